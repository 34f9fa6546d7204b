import * as pulumi from "@pulumi/pulumi";

// Pulumi mocks that record every registration, for component tests that assert resources and options.
// Import the component under test after `installRecordingMocks()` (the SDK reads the mocks at registration).

export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  provider?: string;
}

export interface Recorder {
  resources: Registered[];
  unmockedCalls: string[];
  ofType(type: string): Registered[];
  one(type: string, nameSuffix: string): Registered;
}

const CALLS: Record<string, (inputs: any) => Record<string, unknown>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/test", userId: "AIDTEST" }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com" }),
  "aws:index/getRegion:getRegion": (inputs) => ({ name: inputs.name ?? "eu-north-1", region: inputs.region ?? "eu-north-1" }),
  "aws:ssm/getParameter:getParameter": (inputs) => ({ name: inputs.name, value: "ami-0123456789abcdef0", type: "String" }),
};

/** Outputs a provider computes that a test needs (e.g. an EKS cluster's endpoint), by resource. */
export type ComputedOutputs = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>;

export function installRecordingMocks(region = "eu-north-1", computed?: ComputedOutputs): Recorder {
  const resources: Registered[] = [];
  const unmockedCalls: string[] = [];
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        const id = `${args.name}-id`;
        const arn = `arn:aws:${args.type.split(":")[1] ?? "x"}:${region}:123456789012:${args.name}`;
        return { id, state: { ...args.inputs, id, arn, keyId: `${args.name}-key-id`, ...(computed?.(args) ?? {}) } };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        const answer = CALLS[args.token];
        if (!answer) {
          // Never throw here: the SDK would surface an empty message. Record it and let the test assert.
          unmockedCalls.push(args.token);
          return {};
        }
        return answer(args.inputs);
      },
    },
    "gigafactory",
    "test",
    false,
  );
  return {
    resources,
    unmockedCalls,
    ofType: (type) => resources.filter((r) => r.type === type),
    one(type, nameSuffix) {
      const found = resources.filter((r) => r.type === type && r.name.endsWith(nameSuffix));
      if (found.length !== 1) throw new Error(`expected one ${type} named *${nameSuffix}, found ${found.length}`);
      return found[0];
    },
  };
}

/** Resolves an Output in a test (mocks run with preview=false, so every output is known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Lets every pending registration reach the mocks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
