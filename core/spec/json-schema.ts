import { z } from "zod";
import { CONFIG_KEY, factoryInputSchema, tenantsFileSchema } from "./schema";

// The JSON Schemas of the files a user writes, generated from the zod schema so an editor checks what the loader
// checks: a stack file (`stacks/Pulumi.<stack>.yaml`) and a tenants file. Draft-07, the draft every YAML and JSON
// editor reads. Published under schema/ by `gigafactory schema --out schema/`; a test keeps them up to date.

export const STACK_SCHEMA_FILE = "gigafactory.schema.json";
export const TENANTS_SCHEMA_FILE = "tenants.schema.json";

type JsonSchema = Record<string, unknown>;

/** The spec as an editor sees it: the input before presets fill it in, so nothing a preset gives is required. */
function inputSchemaOf(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io: "input",
    target: "draft-7",
    // A value parsed by code (a transform) is described by the type it starts as.
    unrepresentable: "any",
    override: (ctx) => {
      const pattern = ctx.jsonSchema.pattern;
      if (typeof pattern === "string" && caseInsensitive(ctx.zodSchema)) ctx.jsonSchema.pattern = ignoringCase(pattern);
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** Whether a string schema's regex is case-insensitive: JSON Schema patterns take no flags. */
function caseInsensitive(schema: unknown): boolean {
  const checks = (schema as { _zod?: { def?: { checks?: { _zod?: { def?: { pattern?: RegExp } } }[] } } })._zod?.def?.checks ?? [];
  return checks.some((c) => c._zod?.def?.pattern?.flags.includes("i") === true);
}

/** A regex source made to match either case of every letter (`[KMB]` → `[KMBkmb]`, `[x-z]` → `[x-zX-Z]`, `x` → `[xX]`). */
export function ignoringCase(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") {
      out += ch + (source[i + 1] ?? "");
      i++;
    } else if (ch === "[") {
      const close = classEnd(source, i);
      out += `[${withOtherCases(source.slice(i + 1, close))}]`;
      i = close;
    } else out += /[a-z]/i.test(ch) ? `[${ch}${otherCase(ch)}]` : ch;
  }
  return out;
}

/** The index of the `]` closing the class opened at `open` (a `]` right after `[` or `[^` is a member). */
function classEnd(source: string, open: number): number {
  let i = open + 1;
  if (source[i] === "^") i++;
  if (source[i] === "]") i++;
  for (; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === "]") return i;
  }
  return source.length;
}

/** A class's members with the other case of each letter and letter range added. */
function withOtherCases(body: string): string {
  const extra: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") {
      i++;
      continue;
    }
    const ch = body[i];
    if (body[i + 1] === "-" && i + 2 < body.length) {
      const to = body[i + 2];
      if (/[a-z]/i.test(ch) && /[a-z]/i.test(to)) extra.push(`${otherCase(ch)}-${otherCase(to)}`);
      i += 2;
    } else if (/[a-z]/i.test(ch)) extra.push(otherCase(ch));
  }
  return body + extra.filter((e) => !body.includes(e)).join("");
}

function otherCase(ch: string): string {
  return ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
}

/** The stack file: Pulumi's stack settings, the region, the factory under `gigafactory:factory`, any other config. */
export function stackFileJsonSchema(): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "gigafactory stack file (stacks/Pulumi.<stack>.yaml)",
    description: `A Pulumi stack file whose config holds the factory under ${CONFIG_KEY}; generated from core/spec/schema.ts.`,
    type: "object",
    properties: {
      config: {
        type: "object",
        properties: {
          "aws:region": { type: "string", minLength: 1, description: "the AWS region of every layer, e.g. eu-north-1" },
          [CONFIG_KEY]: { description: "the factory: preset, pools, storage, tenants, ...", ...inputSchemaOf(factoryInputSchema) },
        },
        required: [CONFIG_KEY],
        // Other providers' and Pulumi's own settings live beside the factory.
        additionalProperties: true,
      },
    },
    required: ["config"],
    // Pulumi's own keys (encryptionsalt, secretsprovider, environment, ...).
    additionalProperties: true,
  };
}

/** A tenants file next to a stack (the spec's `tenantsFile`). */
export function tenantsFileJsonSchema(): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "gigafactory tenants file (the spec's tenantsFile)",
    description: "tenants: a map of tenant name to tenant, as under the spec's tenants; generated from core/spec/schema.ts.",
    ...inputSchemaOf(tenantsFileSchema),
  };
}

/** Each published schema file's name and text, as `gigafactory schema` writes them. */
export function publishedSchemas(): { file: string; text: string }[] {
  return [
    { file: STACK_SCHEMA_FILE, text: `${JSON.stringify(stackFileJsonSchema(), null, 2)}\n` },
    { file: TENANTS_SCHEMA_FILE, text: `${JSON.stringify(tenantsFileJsonSchema(), null, 2)}\n` },
  ];
}
