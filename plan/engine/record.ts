import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { SECRET_MARK, type SnapshotResource } from "../snapshot";

// The whole registration request, as the engine would receive it, turned into a snapshot resource.
// Values arrive in the SDK's wire form: secrets, resource references, assets and unknowns carry a signature key.

const SIG = rpc.specialSigKey;
/** What an input still unknown at plan time shows as (it never is with preview=false, but a snapshot must not lie). */
export const UNKNOWN_MARK = "[unknown]";

/** The parts of a RegisterResourceRequest the snapshot keeps (getters of the SDK's protobuf message). */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;

  getDependenciesList(): string[];
  getProvider(): string;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getVersion(): string;
  getImportid(): string;
}

/** A wire value as plain JSON: a secret at any depth is SECRET_MARK; a resource reference is its id (custom) or URN. */
export function plainValue(value: unknown): unknown {
  if (value === rpc.unknownValue) return UNKNOWN_MARK;
  if (Array.isArray(value)) return value.map(plainValue);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  switch (obj[SIG]) {
    case rpc.specialSecretSig:
      return SECRET_MARK;
    case rpc.specialResourceSig:
      return typeof obj.id === "string" && obj.id !== "" ? obj.id : obj.urn;
    case rpc.specialAssetSig:
    case rpc.specialArchiveSig: {
      const { [SIG]: _sig, ...rest } = obj;
      return plainValue(rest);
    }
    case rpc.specialOutputValueSig:
      if (obj.secret === true) return SECRET_MARK;
      return "value" in obj ? plainValue(obj.value) : UNKNOWN_MARK;
    default: {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(obj)) out[k] = plainValue(obj[k]);
      return out;
    }
  }
}

/** The options of a resource the engine makes or reads itself (a default provider, a stack reference): none. */
export function noResourceOptions(): Pick<SnapshotResource, "protect" | "retainOnDelete" | "ignoreChanges" | "deleteBeforeReplace" | "additionalSecretOutputs"> {
  return { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [] };
}

/** One registration as a snapshot resource; `urn` is what the monitor answered, `wireInputs` the request's object as JSON. */
export function resourceOf(req: RegisterRequest, urn: string, wireInputs: Record<string, unknown>): SnapshotResource {
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent() || null,
    provider: req.getProvider() || null,
    custom: req.getCustom(),
    inputs: plainValue(wireInputs) as Record<string, unknown>,
    dependencies: [...new Set(req.getDependenciesList())].sort(),
    protect: req.getProtect(),
    retainOnDelete: req.getRetainondelete(),
    ignoreChanges: [...req.getIgnorechangesList()],
    deleteBeforeReplace: req.getDeletebeforereplace(),
    // The SDK appends a type's own secret outputs to the program's: each name once.
    additionalSecretOutputs: [...new Set(req.getAdditionalsecretoutputsList())],
  };
}
