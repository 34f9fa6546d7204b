import * as pulumi from "@pulumi/pulumi";
import { designFactoryOnce, formatFinding } from "../core/design";
import { GigaFactory } from "../components/factory";

// The one place that reads the stack: config in, a validated spec and its blueprint out, then the factory.
const { design, fresh } = designFactoryOnce({
  raw: new pulumi.Config("gigafactory").getObject<unknown>("factory"),
  region: new pulumi.Config("aws").get("region"),
  stack: pulumi.getStack(),
  stackDir: __dirname,
});
// Under `gigafactory plan` the engine made this design first and reports its findings; under `pulumi up`, we do.
if (fresh) for (const f of design.findings.filter((f) => f.level !== "error")) pulumi.log.warn(formatFinding(f));
if (!design.spec || !design.blueprint) {
  // RunError prints its message alone: the user sees every finding with its path, not a stack trace.
  throw new pulumi.RunError(design.findings.map((f) => formatFinding(f)).join("\n"));
}
const { spec, blueprint } = design;
const factory = new GigaFactory(spec.name, { spec, blueprint, requestQuotaIncreases: spec.quotas.requestIncreases });

export const totalGpus = blueprint.totalGpus;
export const nodes = blueprint.nodes;
export const scalableUnits = blueprint.scalableUnits;
export const powerKW = blueprint.powerKW;
export const costPerHourEUR = blueprint.costPerHourEUR;
export const vpcId = factory.network.vpcId;
