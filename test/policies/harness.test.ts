import type { Policies, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe as group, expect, it } from "vitest";
import { PolicyConfigError, unknownPolicyNames } from "../../policies/harness/pack-config";
import { exitCodeOf, runPacks, type PackUnderTest } from "../../policies/harness/run";
import { POLICY_PACKS } from "../../policies/packs";
import { PlanBuilder } from "../support/snapshot-builder";

// The offline harness behaves like @pulumi/policy's analyzer where a policy can tell the difference.

function pack(policies: Policies, enforcementLevel?: PackUnderTest["enforcementLevel"]): PackUnderTest {
  return { name: "test-pack", version: "1.0.0", enforcementLevel, policies };
}

function plan() {
  const b = new PlanBuilder({ "aws:region": "eu-north-1", "aws:defaultTags": { tags: { a: "b" } } });
  const root = b.component("gigafactory:index:GigaFactory", "gf");
  const bucket = b.add("aws:s3/bucket:Bucket", "data", { bucket: "data" }, { parent: root, protect: true, retainOnDelete: true, ignoreChanges: ["tags"] });
  const queue = b.add("aws:sqs/queue:Queue", "jobs", { name: "jobs" }, { parent: root, dependsOn: [bucket] });
  return { b, root, bucket, queue };
}

const flagEverything: ResourceValidationPolicy = {
  name: "flag-everything",
  description: "flags every resource",
  validateResource: (args, report) => report(`saw ${args.name}`),
};

group("enforcement levels", () => {
  it("fails on mandatory, warns on advisory, skips disabled; the pack's level is the default and advisory the runtime's", async () => {
    const { b } = plan();
    const s = b.snapshot();
    const mandatory = await runPacks(s, [pack([flagEverything], "mandatory")]);
    expect(mandatory.diagnostics.map((d) => d.enforcementLevel)).toEqual(["mandatory", "mandatory", "mandatory"]);
    expect(exitCodeOf(mandatory)).toBe(1);
    const runtimeDefault = await runPacks(s, [pack([flagEverything])]);
    expect(runtimeDefault.diagnostics.every((d) => d.enforcementLevel === "advisory")).toBe(true);
    expect(exitCodeOf(runtimeDefault)).toBe(0);
    const disabled = await runPacks(s, [pack([flagEverything], "mandatory")], { config: { "flag-everything": "disabled" } });
    expect(disabled.diagnostics).toEqual([]);
    const all = await runPacks(s, [pack([flagEverything], "mandatory")], { config: { all: "advisory" } });
    expect(exitCodeOf(all)).toBe(0);
  });

  it("refuses a config the Pulumi CLI would refuse", async () => {
    const s = plan().b.snapshot();
    await expect(runPacks(s, POLICY_PACKS, { config: { "residency-resource-region": "sometimes" } })).rejects.toThrow(/not an enforcement level/);
    await expect(runPacks(s, POLICY_PACKS, { config: { "residency-resource-region": { allowedRegions: "eu-north-1" } } })).rejects.toThrow(/allowedRegions: must be array/);
    const error = await runPacks(s, POLICY_PACKS, { config: { "residency-global-services": { exemptions: [{ resource: "x" }] } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyConfigError);
    expect((error as PolicyConfigError).problems).toEqual([{ path: "residency-global-services.exemptions[0]", message: "justification is missing", hint: "add it" }]);
  });

  it("refuses a key a policy's schema does not know, with the key it most likely meant, and names of no policy", async () => {
    const s = plan().b.snapshot();
    const error = await runPacks(s, POLICY_PACKS, { config: { "residency-resource-region": { allowedRegion: ["eu-north-1"] }, "imdsv2-required": { exemptions: [{ resource: "x", justification: "a justification long enough", extra: 1 }] } } }).catch((e: unknown) => e);
    expect((error as PolicyConfigError).problems).toEqual([
      { path: "residency-resource-region.allowedRegion", message: 'unknown key "allowedRegion"', hint: "did you mean allowedRegions? keys here: allowedRegions, exemptions, localPackages" },
      { path: "imdsv2-required.exemptions[0].extra", message: 'unknown key "extra"', hint: "keys here: resource, justification" },
    ]);
    expect(unknownPolicyNames(POLICY_PACKS.flatMap((p) => p.policies), { "residency-resouce-region": "advisory", all: "advisory" })).toEqual([
      { path: "residency-resouce-region", message: 'there is no policy named "residency-resouce-region" in these packs', hint: "did you mean residency-resource-region?" },
    ]);
  });
});

group("config", () => {
  it("hands a policy its schema's defaults, with the configured values over them", async () => {
    const seen: unknown[] = [];
    const policy: StackValidationPolicy = {
      name: "reads-config",
      description: "d",
      configSchema: { properties: { limit: { type: "integer", default: 7 }, names: { type: "array", items: { type: "string" }, default: ["a"] }, free: { type: "string" } } },
      validateStack: (args) => {
        seen.push(args.getConfig());
      },
    };
    const s = plan().b.snapshot();
    await runPacks(s, [pack([policy])]);
    await runPacks(s, [pack([policy])], { config: { "reads-config": { limit: 9, enforcementLevel: "mandatory" } } });
    expect(seen).toEqual([{ limit: 7, names: ["a"] }, { limit: 9, names: ["a"] }]);
  });

  it("keeps the shipped policies correct when the runtime hands them no config at all", async () => {
    const { resourceRegion } = await import("../../policies/eu-residency/policies");
    const violations: string[] = [];
    const args = {
      type: "aws:sqs/queue:Queue",
      name: "jobs",
      urn: "urn:pulumi:s::p::aws:sqs/queue:Queue::jobs",
      props: { region: "us-east-1" },
      provider: { type: "pulumi:providers:aws", name: "default", urn: "u", props: { region: "eu-north-1" } },
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
      stackTags: new Map(),
      isType: () => false,
      asType: () => undefined,
      getConfig: () => ({}),
      notApplicable: (reason?: string) => {
        throw new Error(reason);
      },
    } as unknown as ResourceValidationArgs;
    await (resourceRegion.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(args, (m) => violations.push(m));
    expect(violations).toEqual([expect.stringMatching(/us-east-1 \(own region input\).*place it in one of eu-north-1/)]);
  });
});

group("what a policy is handed", () => {
  it("gives a resource policy the runtime's arguments: provider, options without retainOnDelete, type checks", async () => {
    const { b } = plan();
    const seen: Record<string, unknown>[] = [];
    class Bucket {
      static __pulumiType = "aws:s3/bucket:Bucket";
    }
    class Legacy {
      static isInstance(o: { __pulumiType?: string }) {
        return o.__pulumiType === "aws:sqs/queue:Queue";
      }
    }
    const policy: ResourceValidationPolicy = {
      name: "observe",
      description: "d",
      validateResource: (args) => {
        seen.push({
          name: args.name,
          provider: args.provider ? { name: args.provider.name, region: args.provider.props.region, tags: args.provider.props.defaultTags } : undefined,
          opts: args.opts,
          isBucket: args.isType(Bucket as never),
          asBucket: args.asType(Bucket as never) === undefined ? undefined : "props",
          isQueue: args.isType(Legacy as never),
        });
      },
    };
    await runPacks(b.snapshot(), [pack([policy])]);
    expect(seen).toEqual([
      { name: "gf", provider: undefined, opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] }, isBucket: false, asBucket: undefined, isQueue: false },
      {
        name: "data",
        provider: { name: "default", region: "eu-north-1", tags: '{"tags":{"a":"b"}}' },
        opts: { protect: true, ignoreChanges: ["tags"], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], parent: "urn:pulumi:test::gigafactory::gigafactory:index:GigaFactory::gf" },
        isBucket: true,
        asBucket: "props",
        isQueue: false,
      },
      expect.objectContaining({ name: "jobs", isBucket: false, isQueue: true }),
    ]);
  });

  it("skips a typed validation on other types without calling it, as the runtime's fast path does", async () => {
    const calls: string[] = [];
    const fn = Object.assign((args: ResourceValidationArgs) => void calls.push(args.name), { __pulumiType: "aws:sqs/queue:Queue" });
    const result = await runPacks(plan().b.snapshot(), [pack([{ name: "typed", description: "d", validateResource: fn }])]);
    expect(calls).toEqual(["jobs"]);
    expect(result.runs[0]).toMatchObject({ applied: 1, notApplicable: 2 });
  });

  it("gives a stack policy every resource linked to its parent and dependencies", async () => {
    const { b, bucket } = plan();
    let queue: PolicyResource | undefined;
    const policy: StackValidationPolicy = { name: "links", description: "d", validateStack: (args) => void (queue = args.resources.find((r) => r.name === "jobs")) };
    await runPacks(b.snapshot(), [pack([policy])]);
    expect(queue?.parent?.type).toBe("gigafactory:index:GigaFactory");
    expect(queue?.dependencies.map((d) => d.urn)).toEqual([bucket]);
    expect(queue?.provider?.props.region).toBe("eu-north-1");
  });

  it("reports a stack violation against a resource when given its URN, against the plan when not", async () => {
    const { b, queue } = plan();
    const policy: StackValidationPolicy = {
      name: "both",
      description: "d",
      enforcementLevel: "mandatory",
      validateStack: (_args, report) => {
        report("about the queue", queue);
        report("about the plan");
      },
    };
    const result = await runPacks(b.snapshot(), [pack([policy])]);
    expect(result.diagnostics.map((d) => [d.message, d.urn, d.resourceName])).toEqual([
      ["about the queue", queue, "jobs"],
      ["about the plan", undefined, undefined],
    ]);
  });
});

group("failures and the unknown", () => {
  it("reports a policy that throws as its own error and still runs the others", async () => {
    const throws: ResourceValidationPolicy = {
      name: "throws",
      description: "d",
      validateResource: (args) => {
        if (args.name === "data") throw new TypeError("cannot read properties of undefined");
      },
    };
    const result = await runPacks(plan().b.snapshot(), [pack([throws, flagEverything], "mandatory")]);
    expect(result.failures).toEqual([
      { pack: "test-pack", policy: "throws", urn: "urn:pulumi:test::gigafactory::gigafactory:index:GigaFactory$aws:s3/bucket:Bucket::data", message: expect.stringContaining("TypeError: cannot read properties of undefined") },
    ]);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["saw gf", "saw data", "saw jobs"]);
    expect(exitCodeOf(result)).toBe(1);
  });

  it("counts notApplicable as not applicable, never as a pass or a violation", async () => {
    const narrow: ResourceValidationPolicy = { name: "narrow", description: "d", validateResource: (args) => args.notApplicable("only queues") };
    const result = await runPacks(plan().b.snapshot(), [pack([narrow], "mandatory")]);
    expect(result.runs[0]).toMatchObject({ applied: 0, notApplicable: 3, violations: 0 });
    expect(result.diagnostics).toEqual([]);
  });

  it("turns a value unknown during preview into the runtime's advisory 'can't run' for a policy that reads it", async () => {
    const { b, queue } = plan();
    b.set(queue, { kmsMasterKeyId: "[unknown]" });
    const reads: ResourceValidationPolicy = {
      name: "reads-key",
      description: "d",
      enforcementLevel: "mandatory",
      validateResource: (args, report) => {
        if (args.props.kmsMasterKeyId === "alias/aws/sqs") report("AWS-managed key");
      },
    };
    const result = await runPacks(b.snapshot(), [pack([reads])]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ enforcementLevel: "advisory", unknownDuringPreview: true, message: expect.stringMatching(/can't run policy 'reads-key' .* during preview: string value at \.kmsMasterKeyId can't be known during preview/) }),
    ]);
  });

  it("keeps the shipped residency policies mandatory when a value is unknown: unknown is unproven", async () => {
    const b = new PlanBuilder({ "aws:region": "[unknown]" });
    b.add("aws:sqs/queue:Queue", "jobs");
    const result = await runPacks(b.snapshot(), POLICY_PACKS);
    expect(result.diagnostics.filter((d) => d.unknownDuringPreview)).toEqual([]);
    expect(result.diagnostics.find((d) => d.policy === "residency-resource-region")).toMatchObject({ enforcementLevel: "mandatory", message: expect.stringMatching(/region is not known until deployment/) });
  });

  it("runs every validation of a policy that lists several", async () => {
    const many: ResourceValidationPolicy = { name: "many", description: "d", validateResource: [(a, r) => r(`one ${a.name}`), (a, r) => r(`two ${a.name}`)] };
    const result = await runPacks(plan().b.snapshot(), [pack([many])]);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["one gf", "two gf", "one data", "two data", "one jobs", "two jobs"]);
  });
});
