import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { closest } from "../../core/spec/did-you-mean";

// Policy config checked against each policy's JSON Schema with ajv, strictly: a key the schema does not know is
// refused (with the closest known key), never ignored, so a typo such as `allowedRegion` cannot leave a policy
// running on its defaults. Each problem names its path in the config and what to do.

export interface ConfigProblem {
  /** `policy.key[0].field`, as the config document writes it. */
  path: string;
  message: string;
  hint: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
// By the schema's text: a pack loaded again builds equal schemas as new objects, and compiling one costs ~10 ms.
const compiled = new Map<string, ValidateFunction>();

/** The schema of an object whose every level refuses keys it does not list. */
function closed(schema: PolicyConfigJSONSchema): PolicyConfigJSONSchema {
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, closed(v as PolicyConfigJSONSchema)]));
    if (schema.additionalProperties === undefined) out.additionalProperties = false;
  }
  if (schema.items && !Array.isArray(schema.items) && typeof schema.items === "object") out.items = closed(schema.items as PolicyConfigJSONSchema);
  return out as PolicyConfigJSONSchema;
}

function validatorOf(schema: PolicyConfigJSONSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(closed(schema));
    compiled.set(key, v);
  }
  return v;
}

/** `/exemptions/0/resource` → `exemptions[0].resource`. */
function pathOf(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out ? `${out}.${s}` : s), "");
}

function schemaAt(schema: PolicyConfigJSONSchema, schemaPath: string): PolicyConfigJSONSchema | undefined {
  let node: unknown = schema;
  for (const s of schemaPath.replace(/^#\//, "").split("/").slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[s];
  return node as PolicyConfigJSONSchema | undefined;
}

function problemOf(e: ErrorObject, schema: PolicyConfigJSONSchema, prefix: string): ConfigProblem {
  const at = [prefix, pathOf(e.instancePath)].filter(Boolean).join(".");
  if (e.keyword === "additionalProperties") {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys(schemaAt(closed(schema), e.schemaPath)?.properties ?? {});
    const guess = closest(key, known);
    return { path: `${at}.${key}`, message: `unknown key ${JSON.stringify(key)}`, hint: `${guess ? `did you mean ${guess}? ` : ""}keys here: ${known.join(", ") || "none"}` };
  }
  if (e.keyword === "required") return { path: at, message: `${(e.params as { missingProperty: string }).missingProperty} is missing`, hint: "add it" };
  if (e.keyword === "enum") return { path: at, message: `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(", ")}`, hint: "use one of the listed values" };
  const params = e.params as { type?: string; limit?: number; pattern?: string };
  const hints: Record<string, string> = {
    type: `give a value of type ${String(params.type)}`,
    minLength: `write at least ${params.limit} characters`,
    maxLength: `write at most ${params.limit} characters`,
    minItems: `give at least ${params.limit} items`,
    maxItems: `give at most ${params.limit} items`,
    minimum: `give at least ${params.limit}`,
    maximum: `give at most ${params.limit}`,
    pattern: `write a value that matches ${params.pattern}`,
  };
  return { path: at, message: e.message ?? "is not valid", hint: hints[e.keyword] ?? "give a value the policy's schema allows (see its description in the pack)" };
}

/** Every problem of `value` against the schema, each with its path under `prefix`. */
export function validateJson(value: unknown, schema: PolicyConfigJSONSchema, prefix = ""): ConfigProblem[] {
  const validate = validatorOf(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => problemOf(e, schema, prefix));
}
