import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe as group, expect, it } from "vitest";
import type { PlanSnapshot, SnapshotResource } from "../../plan/snapshot";
import { runPacks } from "../../policies/harness/run";
import { runtimeValue, SnapshotProviders } from "../../policies/harness/runtime-args";
import { EU_RESIDENCY_PACK, GUARDRAILS_PACK, TENANT_ISOLATION_PACK, type PackDefinition } from "../../policies/packs";
import { plannedSnapshot } from "../support/planned-stacks";
import { arnOf } from "../support/snapshot-builder";
import { factoryPlan } from "../fixtures/policies/factory-plan";

// The packs served by @pulumi/policy's own analyzer (the process `pulumi preview --policy-pack` starts), asked
// through its gRPC interface the way the engine asks, give the same violations as the offline harness.

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = resolve(__dirname, "../..");

interface Served {
  process: ChildProcess;
  client: { analyze: Function; analyzeStack: Function; close(): void };
}

function serve(pack: string): Promise<Served> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--require", "tsx/cjs", "index.ts"], { cwd: join(ROOT, "policies", pack), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += String(d)));
    child.stdout!.once("data", (d) => {
      const port = String(d).trim();
      done({ process: child, client: new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) });
    });
    child.once("exit", (code) => fail(new Error(`the ${pack} pack exited (${code}) before serving: ${stderr}`)));
  });
}

function options(r: SnapshotResource) {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  o.setIgnorechangesList(r.ignoreChanges);
  o.setAdditionalsecretoutputsList(r.additionalSecretOutputs);
  o.setAliasesList([]);
  if (r.parent) o.setParent(r.parent);
  return o;
}

function providerOf(providers: SnapshotProviders, r: SnapshotResource) {
  const p = providers.providerOf(r);
  if (!p) return undefined;
  const m = new analyzerPb.AnalyzerProviderResource();
  m.setType(p.type);
  m.setUrn(p.urn);
  m.setName(p.name);
  m.setProperties(Struct.fromJavaScript(runtimeValue(p.inputs)));
  return m;
}

function call<T>(fn: Function, client: object, request: unknown): Promise<T> {
  return new Promise((done, fail) => fn.call(client, request, (e: Error | null, response: T) => (e ? fail(e) : done(response))));
}

interface Seen {
  getPolicyname(): string;
  getMessage(): string;
  getUrn(): string;
  getEnforcementlevel(): number;
}

const LEVEL = ["advisory", "mandatory"];

/** Every diagnostic the real analyzer gives for the snapshot: each resource, then the stack. */
async function analyzeWithRuntime(served: Served, snapshot: PlanSnapshot): Promise<string[]> {
  const providers = new SnapshotProviders(snapshot);
  const lines: string[] = [];
  const record = (d: Seen, urn: string) => lines.push(`${LEVEL[d.getEnforcementlevel()]} ${d.getPolicyname()} ${d.getUrn() || urn} ${d.getMessage()}`);
  for (const r of snapshot.resources) {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(r.type);
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setProperties(Struct.fromJavaScript(runtimeValue(r.inputs)));
    req.setOptions(options(r));
    const p = providerOf(providers, r);
    if (p) req.setProvider(p);
    const response = await call<{ getDiagnosticsList(): Seen[] }>(served.client.analyze, served.client, req);
    for (const d of response.getDiagnosticsList()) record(d, r.urn);
  }
  const stack = new analyzerPb.AnalyzeStackRequest();
  stack.setResourcesList(
    snapshot.resources.map((r) => {
      const m = new analyzerPb.AnalyzerResource();
      m.setType(r.type);
      m.setUrn(r.urn);
      m.setName(r.name);
      m.setProperties(Struct.fromJavaScript(runtimeValue(r.inputs)));
      m.setOptions(options(r));
      const p = providerOf(providers, r);
      if (p) m.setProvider(p);
      if (r.parent) m.setParent(r.parent);
      m.setDependenciesList(r.dependencies);
      return m;
    }),
  );
  const response = await call<{ getDiagnosticsList(): Seen[] }>(served.client.analyzeStack, served.client, stack);
  for (const d of response.getDiagnosticsList()) record(d, "");
  return lines.sort();
}

async function analyzeOffline(pack: PackDefinition, snapshot: PlanSnapshot): Promise<string[]> {
  const result = await runPacks(snapshot, [pack]);
  return result.diagnostics.map((d) => `${d.enforcementLevel} ${d.policy} ${d.urn ?? ""} ${d.description}\n${d.message}`).sort();
}

function leakyFactory(): PlanSnapshot {
  const f = factoryPlan();
  f.b.add("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replicate", { bucket: "gf-checkpoints-1a2b3c4", rules: [{ destination: { bucket: "arn:aws:s3:::us-archive" } }] }, { provider: f.aws, dependsOn: [f.urns.bucket] });
  f.b.add("aws:dynamodb/table:Table", "jobs", { replicas: [{ regionName: "us-east-1" }] }, { provider: f.aws });
  f.b.add("aws:cloudfront/distribution:Distribution", "cdn", { enabled: true }, { provider: f.aws });
  f.b.add("aws:sqs/queue:Queue", "elsewhere", { region: "ap-south-1", kmsMasterKeyId: arnOf("kms", "ap-south-1", "key/k") }, { provider: f.aws });
  f.b.add("kubernetes:core/v1:Pod", "hub", { spec: { containers: [{ name: "c", image: "nginx:1.27" }] } }, { provider: f.k8s });
  f.b.set(f.urns.launchTemplate, { metadataOptions: { httpTokens: "optional" } });
  f.b.set(f.urns.logGroup, { skipDestroy: "[unknown]" });
  f.b.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", { securityGroupId: "sg-1", cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp" }, { provider: f.aws });
  return f.b.snapshot();
}

group("the packs under @pulumi/policy's own analyzer", () => {
  const served: Record<string, Served> = {};

  beforeAll(async () => {
    served.residency = await serve("eu-residency");
    served.guardrails = await serve("guardrails");
    served.isolation = await serve("tenant-isolation");
  });

  afterAll(() => {
    for (const s of Object.values(served)) {
      s.client.close();
      s.process.kill();
    }
  });

  it("eu-residency: the same violations, at the same levels, on the same resources as offline", async () => {
    const snapshot = leakyFactory();
    const runtime = await analyzeWithRuntime(served.residency, snapshot);
    expect(runtime.length).toBeGreaterThan(6);
    expect(await analyzeOffline(EU_RESIDENCY_PACK, snapshot)).toEqual(runtime);
  });

  it("guardrails: the same violations, at the same levels, on the same resources as offline", async () => {
    const snapshot = leakyFactory();
    const runtime = await analyzeWithRuntime(served.guardrails, snapshot);
    expect(runtime.length).toBeGreaterThan(4);
    expect(await analyzeOffline(GUARDRAILS_PACK, snapshot)).toEqual(runtime);
  });

  it("tenant-isolation: a layer's preview proves what it holds, refuses what it sees broken and advises on the rest, as offline", async () => {
    const dev = await plannedSnapshot("dev");
    const snapshot: PlanSnapshot = { ...dev, layers: [], resources: dev.resources.filter((r) => r.layer === "tenants") };
    const point = snapshot.resources.find((r) => r.type === "aws:s3/accessPoint:AccessPoint" && r.name.endsWith("team-a-datasets-access"))!;
    const theirs = snapshot.resources.find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" && r.inputs.namespace === "team-b")!.inputs.roleArn as string;
    const policy = JSON.parse(point.inputs.policy as string);
    policy.Statement[0].Principal.AWS.push(theirs);
    point.inputs = { ...point.inputs, policy: JSON.stringify(policy) };
    const runtime = await analyzeWithRuntime(served.isolation, snapshot);
    expect(runtime.filter((l) => l.startsWith("mandatory tenant-s3-isolated")).join("\n")).toMatch(/team-b's role gf-dev-team-b-workload is let into team-a's prefix/);
    expect(runtime.some((l) => l.startsWith("advisory proof-coverage"))).toBe(true);
    expect(await analyzeOffline(TENANT_ISOLATION_PACK, snapshot)).toEqual(runtime);
  }, 15 * 60_000);
});
