import { region as regionFacts } from "../../core/catalog/regions";
import { arn, hexOf, type Place, uuidOf } from "./identity";
import { azIdOf } from "./outputs";
import { type PolicyDocumentArgs, renderPolicyDocument } from "./policy-document";

// What the data sources a program reads answer offline. A token missing here is not guessed at: the engine
// records it and the plan reports it, so a new data source is noticed instead of returning nonsense.

export type InvokeHandler = (inputs: Record<string, any>, place: Place) => Record<string, unknown>;

const availabilityZones: InvokeHandler = (_inputs, place) => {
  const names = regionFacts(place.region)?.availabilityZones ?? ["a", "b", "c"].map((l) => `${place.region}${l}`);
  return { id: place.region, names, zoneIds: names.map((n) => azIdOf(n) ?? n), groupNames: [place.region], state: "available" };
};

/** EKS-optimised AMI parameters: `.../image_id` answers an AMI id, the parameter without it answers JSON. */
const ssmParameter: InvokeHandler = (inputs, place) => {
  const name = String(inputs.name ?? "");
  const amiId = `ami-${hexOf(name.replace(/\/image_id$/, ""), 17)}`;
  const value = !name.startsWith("/aws/service/")
    ? `offline-${hexOf(name, 12)}`
    : name.endsWith("/image_id")
      ? amiId
      : name.endsWith("/release_version")
        ? "1.33.0-20250101"
        : JSON.stringify({ image_id: amiId, image_name: name.split("/").slice(-3).join("-"), release_version: "1.33.0-20250101" });
  return {
    id: name,
    name,
    arn: arn(place, "ssm", `parameter${name.startsWith("/") ? "" : "/"}${name}`),
    type: "String",
    value,
    insecureValue: value,
    version: 1,
    withDecryption: inputs.withDecryption ?? true,
  };
};

const kmsKey: InvokeHandler = (inputs, place) => {
  const given = String(inputs.keyId ?? "");
  const keyId = given.startsWith("arn:") ? given.split("/").pop()! : given.startsWith("alias/") ? uuidOf(given) : given;
  return {
    id: keyId,
    keyId,
    arn: arn(place, "kms", `key/${keyId}`),
    awsAccountId: place.account,
    enabled: true,
    keyManager: "CUSTOMER",
    keyState: "Enabled",
    keySpec: "SYMMETRIC_DEFAULT",
    keyUsage: "ENCRYPT_DECRYPT",
    multiRegion: false,
    origin: "AWS_KMS",
  };
};

/** An image in the factory's registry: its digest derived from repository and tag, so a plan is the same every time. */
const ecrImage: InvokeHandler = (inputs, place) => {
  const repositoryName = String(inputs.repositoryName ?? "");
  const tag = String(inputs.imageTag ?? "");
  const imageDigest = String(inputs.imageDigest ?? `sha256:${hexOf(`${repositoryName}:${tag}`, 64)}`);
  return {
    id: `${repositoryName}@${imageDigest}`,
    repositoryName,
    registryId: String(inputs.registryId ?? place.account),
    imageDigest,
    imageTag: tag,
    imageTags: tag ? [tag] : [],
    imagePushedAt: 1_767_225_600,
    imageSizeInBytes: 9_500_000_000,
    imageUri: `${place.account}.dkr.ecr.${place.region}.${place.dnsSuffix}/${repositoryName}@${imageDigest}`,
    mostRecent: false,
  };
};

export const INVOKES: Record<string, InvokeHandler> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": availabilityZones,
  "aws:index/getCallerIdentity:getCallerIdentity": (_i, place) => ({
    id: place.account,
    accountId: place.account,
    arn: arn(place, "sts", "assumed-role/gigafactory-plan/offline", "global"),
    userId: `AROA${hexOf("plan", 17).toUpperCase()}:offline`,
  }),
  "aws:index/getPartition:getPartition": (_i, place) => ({
    id: place.partition,
    partition: place.partition,
    dnsSuffix: place.dnsSuffix,
    reverseDnsPrefix: place.dnsSuffix.split(".").reverse().join("."),
  }),
  "aws:index/getRegion:getRegion": (inputs, place) => {
    const name = String(inputs.region ?? inputs.name ?? place.region);
    return { id: name, name, region: name, description: regionFacts(name)?.country ?? name, endpoint: `ec2.${name}.${place.dnsSuffix}` };
  },
  "aws:ssm/getParameter:getParameter": ssmParameter,
  "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => ({ id: hexOf(JSON.stringify(inputs), 10), ...renderPolicyDocument(inputs as PolicyDocumentArgs) }),
  "aws:kms/getKey:getKey": kmsKey,
  "aws:iam/getPolicy:getPolicy": (inputs, place) => {
    const name = String(inputs.name ?? String(inputs.arn ?? "").split("/").pop());
    const policyArn = String(inputs.arn ?? `arn:${place.partition}:iam::aws:policy/${name}`);
    return { id: policyArn, arn: policyArn, name, path: "/", policy: "{}", policyId: `ANPA${hexOf(policyArn, 17).toUpperCase()}` };
  },
  "aws:eks/getAddonVersion:getAddonVersion": (inputs) => ({
    id: String(inputs.addonName),
    addonName: inputs.addonName,
    kubernetesVersion: inputs.kubernetesVersion,
    version: `v1.0.0-eksbuild.1`,
  }),
  "aws:ecr/getImage:getImage": ecrImage,
  "aws:eks/getClusterAuth:getClusterAuth": (inputs) => ({ id: String(inputs.name), name: inputs.name, token: `k8s-aws-v1.${hexOf(String(inputs.name), 40)}` }),
};
