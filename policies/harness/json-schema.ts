import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

// The part of JSON Schema the Pulumi CLI checks policy config with (it uses gojsonschema): enough to refuse the
// config a real `pulumi preview --policy-pack` would refuse, with the path of each problem.

export function validateJson(value: unknown, schema: PolicyConfigJSONSchema | boolean, path = ""): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path || "(config)"}: not allowed`];
  const errors: string[] = [];
  const at = path || "(config)";
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => isType(value, t))) return [`${at}: expected ${types.join(" or ")}, got ${describe(value)}`];
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push(`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: must match ${schema.pattern}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: at most ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: at least ${schema.minItems} items`);
    if (schema.items !== undefined && !Array.isArray(schema.items)) {
      value.forEach((item, i) => errors.push(...validateJson(item, schema.items as PolicyConfigJSONSchema | boolean, `${path}[${i}]`)));
    }
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${path ? `${path}.` : ""}${key}: required`);
    for (const [key, item] of Object.entries(obj)) {
      const child = path ? `${path}.${key}` : key;
      const property = schema.properties?.[key];
      if (property !== undefined) errors.push(...validateJson(item, property, child));
      else if (schema.additionalProperties !== undefined) errors.push(...validateJson(item, schema.additionalProperties, child));
    }
  }
  return errors;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
