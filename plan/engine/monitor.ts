import type * as rpc from "@pulumi/pulumi/runtime/rpc";
import type { SnapshotResource } from "../snapshot";
import { type OfflineMocks, type ProviderFacts, providerFactsOf } from "./mocks";
import { noResourceOptions, type RegisterRequest, resourceOf } from "./record";

// The resource monitor a plan talks to: Pulumi's mock monitor, with registration taken over so that every
// request is recorded whole, in the order the program sent it, and answered in the wire form without a
// protobuf round trip (the answer goes straight back to the SDK as the plain object it would have decoded).

export interface MockMonitorLike {
  registerResource(req: RegisterRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
  readResource(req: ReadRequest, callback: (err: unknown, resp: unknown) => void): Promise<void>;
  newUrn(parent: string, type: string, name: string): string;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

export interface Recording {
  /** In request order; a slot stays empty when its registration failed. */
  resources: (SnapshotResource | undefined)[];
  /** Package versions the resources asked for, by package (`aws` → `7.48.0`). */
  versions: Record<string, string>;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** The parts of a ReadResourceRequest the snapshot keeps: a read (a stack reference) is listed like a resource. */
export interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getId(): string;
  getProvider(): string;
  getDependenciesList(): string[];
}
/** resproto.Result.SUCCESS: outputs are final, not unknowns. */
const RESULT_SUCCESS = 0;

type Struct = Parameters<typeof rpc.deserializeProperties>[0];
const structOf = (value: Record<string, unknown>) => ({ toJavaScript: () => value }) as unknown as Struct;

export function recordRegistrations(monitor: MockMonitorLike, mocks: OfflineMocks, defaults: ProviderFacts): Recording {
  const recording: Recording = { resources: [], versions: {} };
  const newUrn = monitor.newUrn.bind(monitor);
  // The engine leaves the root stack's type out of its children's URNs; the mock monitor would put it in.
  monitor.newUrn = (parent, type, name) => newUrn(parent.split("::")[2] === STACK_TYPE ? "" : parent, type, name);

  monitor.registerResource = async (req, callback) => {
    const slot = recording.resources.push(undefined) - 1;
    try {
      const type = req.getType();
      const urn = monitor.newUrn(req.getParent(), type, req.getName());
      const version = req.getVersion();
      if (version) recording.versions[packageOfType(type)] ??= version;
      // The inputs leave protobuf once: the mocks and the recorder read the same plain object.
      const inputs = req.getObject()?.toJavaScript() ?? {};
      // The mocks read and answer the wire form itself: the echoed inputs are already what the SDK decodes,
      // and decoding them into runtime values only to encode them again was a tenth of a plan's garbage.
      // Offline ids and names are seeded by type and name, not by URN: a resource keeps them when its component moves.
      const created = mocks.create(`${type}::${req.getName()}`, { type, name: req.getName(), inputs, provider: req.getProvider(), custom: req.getCustom(), id: req.getImportid() });
      const id = created.id ?? "";
      const state = created.state as Record<string, unknown>;
      monitor.resources.set(urn, { urn, id: created.id ?? null, state });
      const resource = resourceOf(req, urn, inputs);
      recording.resources[slot] = resource;
      if (type === "pulumi:providers:aws") mocks.providers.set(`${urn}::${id}`, providerFactsOf(resource.inputs, defaults));
      callback(null, {
        getUrn: () => urn,
        getId: () => id,
        getObject: () => structOf(state),
        getPropertydependenciesMap: () => undefined,
        getResult: () => RESULT_SUCCESS,
      });
    } catch (err) {
      callback(err, undefined);
    }
  };
  const readResource = monitor.readResource.bind(monitor);
  monitor.readResource = async (req, callback) => {
    const slot = recording.resources.push(undefined) - 1;
    await readResource(req, (err, resp) => {
      if (!err) recording.resources[slot] = readOf(req, monitor.newUrn(req.getParent(), req.getType(), req.getName()));
      callback(err, resp);
    });
  };
  return recording;
}

/** A read as the snapshot lists it: what it reads (`name`, the id it was read by), nothing it may change. */
function readOf(req: ReadRequest, urn: string): SnapshotResource {
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent() || null,
    provider: req.getProvider() || null,
    custom: true,
    inputs: { name: req.getId() },
    dependencies: [...req.getDependenciesList()].sort(),
    ...noResourceOptions(),
  };
}

/** `aws:ec2/vpc:Vpc` and `pulumi:providers:aws` both belong to the aws package. */
function packageOfType(type: string): string {
  const parts = type.split(":");
  return parts[0] === "pulumi" && parts[1] === "providers" ? parts[2] : parts[0];
}
