import { arn, hexOf, type Place, uuidOf } from "./identity";

// What a resource "returns" offline: its inputs echoed back, an id and ARN shaped like AWS's, and the computed
// fields the components read (a VPC's id, an EKS cluster's endpoint and certificate). Ids are derived from a seed of
// type and name, so two plans of the same stack are identical and a resource whose component moves keeps its id.

export interface Created {
  id: string;
  state: Record<string, unknown>;
}

export interface CreateArgs {
  type: string;
  name: string;
  /** In the SDK's wire form: plain JSON, where a secret is a signature-keyed wrapper (never read as a string). */
  inputs: Record<string, any>;
  place: Place;
  /** Tags the resource's provider adds to every taggable resource (`defaultTags.tags`). */
  defaultTags: Record<string, string>;
}

type Computed = (a: CreateArgs, seed: string) => { id: string; arn?: string; extra?: Record<string, unknown> };

const awsId = (prefix: string) => (_a: CreateArgs, seed: string) => `${prefix}-${hexOf(seed, 17)}`;
/** AWS's auto-name: the logical name plus a random suffix, unless the program named the resource. */
const autoName = (a: CreateArgs, seed: string, key = "name", suffix = 7) =>
  typeof a.inputs[key] === "string" ? (a.inputs[key] as string) : `${a.name}-${hexOf(seed, suffix)}`;

function ec2(kind: string, prefix: string, more?: (a: CreateArgs, id: string, seed: string) => Record<string, unknown>): Computed {
  return (a, seed) => {
    const id = awsId(prefix)(a, seed);
    return { id, arn: arn(a.place, "ec2", `${kind}/${id}`), extra: { ownerId: a.place.account, ...more?.(a, id, seed) } };
  };
}

const COMPUTED: Record<string, Computed> = {
  "aws:ec2/vpc:Vpc": ec2("vpc", "vpc", (a, _id, seed) => ({
    defaultSecurityGroupId: `sg-${hexOf(`${seed}/sg`, 17)}`,
    defaultRouteTableId: `rtb-${hexOf(`${seed}/rtb`, 17)}`,
    mainRouteTableId: `rtb-${hexOf(`${seed}/rtb`, 17)}`,
    defaultNetworkAclId: `acl-${hexOf(`${seed}/acl`, 17)}`,
    dhcpOptionsId: `dopt-${hexOf(`${seed}/dopt`, 17)}`,
    instanceTenancy: a.inputs.instanceTenancy ?? "default",
  })),
  // A subnet made by name reports its AZ ID, one made by AZ ID its name (the mock's account maps a→az1, b→az2, ...).
  "aws:ec2/subnet:Subnet": ec2("subnet", "subnet", (a) =>
    typeof a.inputs.availabilityZoneId === "string"
      ? { availabilityZone: azNameOf(a.inputs.availabilityZoneId, a.place.region) }
      : { availabilityZoneId: azIdOf(a.inputs.availabilityZone) },
  ),
  "aws:ec2/securityGroup:SecurityGroup": (a, seed) => {
    const id = `sg-${hexOf(seed, 17)}`;
    return { id, arn: arn(a.place, "ec2", `security-group/${id}`), extra: { ownerId: a.place.account, name: autoName(a, seed) } };
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2("security-group-rule", "sgr"),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2("security-group-rule", "sgr"),
  "aws:ec2/securityGroupRule:SecurityGroupRule": (_a, seed) => ({ id: `sgrule-${hexOf(seed, 10)}` }),
  "aws:ec2/routeTable:RouteTable": ec2("route-table", "rtb"),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": (_a, seed) => ({ id: `rtbassoc-${hexOf(seed, 17)}` }),
  "aws:ec2/route:Route": (_a, seed) => ({ id: `r-rtb-${hexOf(seed, 17)}1080289494` }),
  "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": (_a, seed) => ({ id: `vpc-cidr-assoc-${hexOf(seed, 17)}` }),
  "aws:ec2/internetGateway:InternetGateway": ec2("internet-gateway", "igw"),
  "aws:ec2/natGateway:NatGateway": ec2("natgateway", "nat"),
  "aws:ec2/eip:Eip": ec2("elastic-ip", "eipalloc", (_a, _id, seed) => ({ publicIp: `203.0.113.${parseInt(hexOf(seed, 2), 16) % 250}` })),
  "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("vpc-endpoint", "vpce", (a, id) => ({
    dnsEntries: a.inputs.vpcEndpointType === "Interface"
      ? [{ dnsName: `${id}.${String(a.inputs.serviceName ?? "").split(".").pop()}.${a.place.region}.vpce.${a.place.dnsSuffix}`, hostedZoneId: "Z7HUB22UULQXV" }]
      : [],
    networkInterfaceIds: [],
    prefixListId: a.inputs.vpcEndpointType === "Gateway" ? `pl-${hexOf(id, 8)}` : undefined,
    state: "available",
  })),
  "aws:ec2/launchTemplate:LaunchTemplate": (a, seed) => {
    const id = `lt-${hexOf(seed, 17)}`;
    return { id, arn: arn(a.place, "ec2", `launch-template/${id}`), extra: { latestVersion: 1, defaultVersion: 1, name: autoName(a, seed, "name", 26) } };
  },
  "aws:ec2/placementGroup:PlacementGroup": (a, seed) => {
    const name = autoName(a, seed);
    return { id: name, arn: arn(a.place, "ec2", `placement-group/${name}`), extra: { placementGroupId: `pg-${hexOf(seed, 17)}` } };
  },
  "aws:ec2/capacityReservation:CapacityReservation": ec2("capacity-reservation", "cr", (a) => ({ ownerId: a.place.account })),
  "aws:ec2/flowLog:FlowLog": ec2("vpc-flow-log", "fl"),
  "aws:ec2/networkAcl:NetworkAcl": ec2("network-acl", "acl"),
  "aws:kms/key:Key": (a, seed) => {
    const keyId = uuidOf(seed);
    return { id: keyId, arn: arn(a.place, "kms", `key/${keyId}`), extra: { keyId } };
  },
  "aws:kms/alias:Alias": (a, seed) => {
    const name = autoName(a, seed);
    return { id: name, arn: arn(a.place, "kms", name), extra: { targetKeyArn: a.inputs.targetKeyId } };
  },
  "aws:kms/replicaKey:ReplicaKey": (a, seed) => {
    const keyId = `mrk-${hexOf(seed, 32)}`;
    return { id: keyId, arn: arn(a.place, "kms", `key/${keyId}`), extra: { keyId } };
  },
  "aws:iam/role:Role": (a, seed) => {
    const name = autoName(a, seed);
    return { id: name, arn: arn(a.place, "iam", `role${a.inputs.path ?? "/"}${name}`, "global"), extra: { uniqueId: `AROA${hexOf(seed, 17).toUpperCase()}`, name } };
  },
  "aws:iam/policy:Policy": (a, seed) => {
    const name = autoName(a, seed);
    const policyArn = arn(a.place, "iam", `policy${a.inputs.path ?? "/"}${name}`, "global");
    return { id: policyArn, arn: policyArn, extra: { policyId: `ANPA${hexOf(seed, 17).toUpperCase()}`, name } };
  },
  "aws:iam/instanceProfile:InstanceProfile": (a, seed) => {
    const name = autoName(a, seed);
    return { id: name, arn: arn(a.place, "iam", `instance-profile/${name}`, "global"), extra: { uniqueId: `AIPA${hexOf(seed, 17).toUpperCase()}`, name } };
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (a, seed) => ({ id: `${a.inputs.role}-${hexOf(seed, 26)}` }),
  "aws:iam/rolePolicy:RolePolicy": (a, seed) => ({ id: `${a.inputs.role}:${autoName(a, seed)}` }),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (a) => {
    const host = String(a.inputs.url ?? "").replace(/^https:\/\//, "");
    const providerArn = arn(a.place, "iam", `oidc-provider/${host}`, "global");
    return { id: providerArn, arn: providerArn };
  },
  "aws:s3/bucket:Bucket": bucket,
  "aws:s3/bucketV2:BucketV2": bucket,
  "aws:cloudwatch/logGroup:LogGroup": (a, seed) => {
    const name = autoName(a, seed);
    return { id: name, arn: arn(a.place, "logs", `log-group:${name}`) };
  },
  "aws:eks/cluster:Cluster": (a, seed) => {
    const name = autoName(a, seed);
    const oidcId = hexOf(`${seed}/oidc`, 32).toUpperCase();
    const endpointId = hexOf(`${seed}/endpoint`, 32).toUpperCase();
    return {
      id: name,
      arn: arn(a.place, "eks", `cluster/${name}`),
      extra: {
        name,
        endpoint: `https://${endpointId}.gr7.${a.place.region}.eks.${a.place.dnsSuffix}`,
        certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\n${hexOf(`${seed}/ca`, 64)}\n-----END CERTIFICATE-----\n`).toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.${a.place.region}.${a.place.dnsSuffix}/id/${oidcId}` }] }],
        clusterId: uuidOf(`${seed}/cluster`),
        platformVersion: "eks.1",
        status: "ACTIVE",
        version: a.inputs.version ?? "1.33",
        vpcConfig: { ...(a.inputs.vpcConfig ?? {}), clusterSecurityGroupId: `sg-${hexOf(`${seed}/csg`, 17)}`, vpcId: `vpc-${hexOf(`${seed}/vpc`, 17)}` },
      },
    };
  },
  "aws:eks/nodeGroup:NodeGroup": (a, seed) => {
    const name = autoName(a, seed, "nodeGroupName", 26);
    return {
      id: `${a.inputs.clusterName}:${name}`,
      arn: arn(a.place, "eks", `nodegroup/${a.inputs.clusterName}/${name}/${uuidOf(seed)}`),
      extra: { nodeGroupName: name, status: "ACTIVE", resources: [{ autoscalingGroups: [{ name: `eks-${name}-${uuidOf(seed)}` }], remoteAccessSecurityGroupId: "" }] },
    };
  },
  "aws:eks/addon:Addon": (a) => ({
    id: `${a.inputs.clusterName}:${a.inputs.addonName}`,
    arn: arn(a.place, "eks", `addon/${a.inputs.clusterName}/${a.inputs.addonName}/${uuidOf(`${a.inputs.clusterName}/${a.inputs.addonName}`)}`),
    extra: { addonVersion: a.inputs.addonVersion ?? "v1.0.0-eksbuild.1" },
  }),
  "aws:eks/accessEntry:AccessEntry": (a) => ({
    id: `${a.inputs.clusterName}:${a.inputs.principalArn}`,
    arn: arn(a.place, "eks", `access-entry/${a.inputs.clusterName}/${uuidOf(String(a.inputs.principalArn))}`),
  }),
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (a) => ({ id: `${a.inputs.clusterName}#${a.inputs.principalArn}#${a.inputs.policyArn}` }),
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": (a, seed) => {
    const id = `a-${hexOf(seed, 17)}`;
    return { id: `${a.inputs.clusterName},${id}`, arn: arn(a.place, "eks", `podidentityassociation/${a.inputs.clusterName}/${id}`), extra: { associationId: id } };
  },
  "aws:fsx/lustreFileSystem:LustreFileSystem": (a, seed) => {
    const id = `fs-${hexOf(seed, 17)}`;
    return {
      id,
      arn: arn(a.place, "fsx", `file-system/${id}`),
      extra: { dnsName: `${id}.fsx.${a.place.region}.${a.place.dnsSuffix}`, mountName: hexOf(`${seed}/mount`, 8), networkInterfaceIds: [`eni-${hexOf(`${seed}/eni`, 17)}`], ownerId: a.place.account },
    };
  },
  "aws:fsx/dataRepositoryAssociation:DataRepositoryAssociation": (a, seed) => {
    const id = `dra-${hexOf(seed, 17)}`;
    return { id, arn: arn(a.place, "fsx", `association/${a.inputs.fileSystemId}/${id}`), extra: { associationId: id } };
  },
  "aws:secretsmanager/secret:Secret": (a, seed) => {
    const name = autoName(a, seed);
    const secretArn = arn(a.place, "secretsmanager", `secret:${name}-${hexOf(seed, 6)}`);
    return { id: secretArn, arn: secretArn, extra: { name } };
  },
  "aws:secretsmanager/secretVersion:SecretVersion": (a, seed) => ({ id: `${a.inputs.secretId}|${uuidOf(seed)}`, extra: { versionId: uuidOf(seed) } }),
  "aws:rds/cluster:Cluster": (a, seed) => {
    const id = autoName(a, seed, "clusterIdentifier", 26);
    const host = `${id}.cluster-${hexOf(seed, 12)}.${a.place.region}.rds.${a.place.dnsSuffix}`;
    return { id, arn: arn(a.place, "rds", `cluster:${id}`), extra: { clusterIdentifier: id, endpoint: host, readerEndpoint: host.replace(".cluster-", ".cluster-ro-"), port: a.inputs.port ?? 3306, clusterResourceId: `cluster-${hexOf(seed, 26).toUpperCase()}` } };
  },
  "aws:rds/clusterInstance:ClusterInstance": (a, seed) => {
    const id = autoName(a, seed, "identifier", 26);
    return { id, arn: arn(a.place, "rds", `db:${id}`), extra: { identifier: id, endpoint: `${id}.${hexOf(seed, 12)}.${a.place.region}.rds.${a.place.dnsSuffix}`, port: 3306 } };
  },
  "aws:rds/instance:Instance": (a, seed) => {
    const id = autoName(a, seed, "identifier", 26);
    const address = `${id}.${hexOf(seed, 12)}.${a.place.region}.rds.${a.place.dnsSuffix}`;
    return { id, arn: arn(a.place, "rds", `db:${id}`), extra: { identifier: id, address, endpoint: `${address}:${a.inputs.port ?? 3306}`, port: a.inputs.port ?? 3306 } };
  },
  "aws:codebuild/project:Project": (a, seed) => {
    const name = autoName(a, seed);
    const projectArn = arn(a.place, "codebuild", `project/${name}`);
    return { id: projectArn, arn: projectArn, extra: { name, badgeUrl: "" } };
  },
  "aws:rds/subnetGroup:SubnetGroup": (a, seed) => {
    const name = autoName(a, seed);
    return { id: name, arn: arn(a.place, "rds", `subgrp:${name}`) };
  },
};

function bucket(a: CreateArgs, seed: string): ReturnType<Computed> {
  const name = typeof a.inputs.bucket === "string" ? a.inputs.bucket : `${a.name}-${hexOf(seed, 7)}`.toLowerCase();
  return {
    id: name,
    arn: `arn:${a.place.partition}:s3:::${name}`,
    extra: {
      bucket: name,
      bucketDomainName: `${name}.s3.${a.place.dnsSuffix}`,
      bucketRegionalDomainName: `${name}.s3.${a.place.region}.${a.place.dnsSuffix}`,
      region: a.place.region,
      hostedZoneId: "Z3BAZG2TWCNX0D",
    },
  };
}

/** eu-north-1a → eun1-az1: the zone id AWS reports next to the name. */
export function azIdOf(availabilityZone: unknown): string | undefined {
  if (typeof availabilityZone !== "string") return undefined;
  const m = /^([a-z]+)-([a-z]+)-([a-z]+-)?(\d+)([a-z])$/.exec(availabilityZone);
  if (!m) return undefined;
  const [, area, direction, sub, n, letter] = m;
  const short = `${area.slice(0, 2)}${(sub ?? "").slice(0, 1)}${direction.slice(0, 1)}${n}`;
  return `${short}-az${letter.charCodeAt(0) - 96}`;
}

/** eun1-az1 → eu-north-1a in the region given: the name the mock's account shows for an AZ ID. */
export function azNameOf(availabilityZoneId: string, region: string): string | undefined {
  const m = /-az(\d+)$/.exec(availabilityZoneId);
  return m ? `${region}${String.fromCharCode(96 + Number(m[1]))}` : undefined;
}

/** The state of a resource as `pulumi up` would read it back: inputs, id, ARN and the computed fields. */
export function createResource(a: CreateArgs, seed: string): Created {
  const computed = COMPUTED[a.type]?.(a, seed) ?? fallback(a, seed);
  const state: Record<string, unknown> = { ...a.inputs, ...computed.extra, id: computed.id };
  if (computed.arn !== undefined) state.arn = computed.arn;
  // The state goes back to the SDK as wire data, where a field is either there or not.
  for (const k of Object.keys(state)) if (state[k] === undefined) delete state[k];
  // AWS merges the provider's default tags into every taggable resource's tagsAll.
  if (a.type.startsWith("aws:") && a.inputs.tags !== undefined) {
    state.tagsAll = { ...a.defaultTags, ...(a.inputs.tags ?? {}) };
  }
  return { id: computed.id, state };
}

function fallback(a: CreateArgs, seed: string): ReturnType<Computed> {
  if (a.type.startsWith("kubernetes:")) return kubernetesObject(a, seed);
  if (a.type.startsWith("pulumi:providers:")) return { id: uuidOf(seed) };
  const [pkg, module] = a.type.split(":");
  if (pkg !== "aws") return { id: `${a.name}-${hexOf(seed, 8)}` };
  const service = module.split("/")[0];
  const kind = a.type.split(":")[2].replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
  const id = autoName(a, seed);
  return { id, arn: arn(a.place, service, `${kind}/${id}`) };
}

/** Kubernetes objects: the provider auto-names `metadata.name` and the id is `namespace/name`. */
function kubernetesObject(a: CreateArgs, seed: string): ReturnType<Computed> {
  const metadata = { ...(a.inputs.metadata ?? {}) } as Record<string, unknown>;
  if (typeof metadata.name !== "string") metadata.name = `${a.name}-${hexOf(seed, 8)}`;
  metadata.uid = uuidOf(seed);
  const id = typeof metadata.namespace === "string" ? `${metadata.namespace}/${metadata.name}` : String(metadata.name);
  return { id, extra: { metadata } };
}
