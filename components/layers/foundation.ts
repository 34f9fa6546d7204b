import type { LayerArgs } from "./root";
import { GigaFactory } from "./root";
import type { LayerOutputs } from "./exports";
import { FactoryKey } from "../foundation/factory-key";
import { FactoryNetwork } from "../foundation/network";
import { DeployPath } from "../foundation/deploy-path";
import { ImageSupply } from "../foundation/image-supply";
import { SlurmdImage } from "../foundation/slurmd-image";
import { loginImageRecipe } from "../../core/render/image/recipes";
import { declareQuotaRequests } from "../foundation/quota-requests";
import { factoryMirrorCopies } from "../../core/blueprint/registry";
import { chartVersions } from "../../core/blueprint/charts";

/** What the rest stands on: the factory's key, its network, the way into the private cluster, its registry. */
export function declareFoundation(root: GigaFactory, { spec, blueprint }: LayerArgs): LayerOutputs<"foundation"> {
  const name = root.factoryName;
  const children = root.children;
  const accountId = root.accountId();
  // Where the factory's AWS resources are: the ARNs and service principals its components write.
  const place = { region: blueprint.region, partition: blueprint.partition, dnsSuffix: blueprint.dnsSuffix, accountId };
  const key = new FactoryKey(
    `${name}-factory`,
    { region: blueprint.region, dnsSuffix: blueprint.dnsSuffix, description: `gigafactory ${spec.name}: logs, volumes and file systems` },
    children,
  );
  const network = new FactoryNetwork(
    `${name}-net`,
    { region: blueprint.region, plan: blueprint.network, keyArn: key.arn, flowLogRetentionDays: spec.network.flowLogRetentionDays },
    children,
  );
  // The way into the private cluster: the API server's group, and the runner that deploys the in-cluster layers.
  const deployPath = new DeployPath(
    `${name}-access`,
    {
      plan: blueprint.access,
      clusterName: blueprint.factory,
      ...place,
      vpcId: network.vpcId,
      subnets: network.subnets,
      keyArn: key.arn,
      s3PrefixListId: network.gatewayEndpoints.s3.prefixListId,
      factory: blueprint.factory,
    },
    children,
  );
  // The registry every chart and image comes from; the compute layer lets its nodes pull through it.
  const images = new ImageSupply(
    `${name}-scheduling-images`,
    {
      ...place,
      keyArn: key.arn,
      copies: factoryMirrorCopies(blueprint.pools, chartVersions(blueprint.charts)),
    },
    children,
  );
  // The image the NodeSets run: its repository and build; the runner builds it before the platform layer.
  const slurmdImage = new SlurmdImage(
    `${name}-slurmd-image`,
    {
      clusterName: blueprint.factory,
      ...place,
      registry: images.registry,
      keyArn: key.arn,
      logRetentionDays: spec.network.flowLogRetentionDays,
    },
    children,
  );
  // The image the login pods run (Enroot and Pyxis on Slinky's login), built alike.
  const loginImage = new SlurmdImage(
    `${name}-login-image`,
    { clusterName: blueprint.factory, ...place, registry: images.registry, keyArn: key.arn, logRetentionDays: spec.network.flowLogRetentionDays, recipe: loginImageRecipe() },
    children,
  );
  if (spec.quotas.requestIncreases) declareQuotaRequests(name, blueprint.quotas, { parent: root, provider: root.provider });
  return {
    accountId,
    vpcId: network.vpcId,
    subnetIds: Object.fromEntries(Object.entries(network.subnets).map(([subnet, s]) => [subnet, s.id])),
    efaSecurityGroupId: network.efaSecurityGroup.id,
    keyArn: key.arn,
    apiServerSecurityGroupId: deployPath.apiServerSecurityGroup.id,
    runnerRoleArn: deployPath.runnerRole?.arn ?? null,
    registry: images.registry,
    slurmdImage: slurmdImage.ref,
    loginImage: loginImage.ref,
  };
}
