import type { z } from "zod";
import { valueAt, type PathSegment } from "./paths";

// Reads the zod schema itself, so that an unknown key is answered with the keys that are known at that
// place in the document (did-you-mean), never with a list kept by hand beside the schema.

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  in?: z.ZodType;
  values?: unknown[];
}

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strip optional/nullable/default/pipe wrappers down to the schema that decides the shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const d = def(s);
    if ((d.type === "optional" || d.type === "nullable" || d.type === "default" || d.type === "readonly") && d.innerType) s = d.innerType;
    else if (d.type === "pipe" && d.in) s = d.in;
    else break;
  }
  return s;
}

/** For a discriminated union, the option whose discriminator matches the value in the document. */
function chooseOption(schema: z.ZodType, value: unknown): z.ZodType | undefined {
  const d = def(schema);
  if (d.type !== "union" || !d.options) return undefined;
  if (d.discriminator && value && typeof value === "object") {
    const tag = (value as Record<string, unknown>)[d.discriminator];
    return d.options.find((o) => literalOf(o, d.discriminator as string) === tag);
  }
  return undefined;
}

function literalOf(option: z.ZodType, key: string): unknown {
  const shape = def(unwrap(option)).shape;
  const field = shape?.[key];
  return field ? def(unwrap(field)).values?.[0] : undefined;
}

/** The schema at a path of the document (following the document's own values through unions). */
export function schemaAt(root: z.ZodType, segments: readonly PathSegment[], document: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (let i = 0; i < segments.length && s; i++) {
    const d = def(s);
    const seg = segments[i];
    if (d.type === "object" && d.shape && typeof seg === "string") s = Object.hasOwn(d.shape, seg) ? d.shape[seg] : undefined;
    else if (d.type === "record" && d.valueType) s = d.valueType;
    else if (d.type === "array" && d.element) s = d.element;
    else if (d.type === "union") {
      const chosen = chooseOption(s, valueAt(document, segments.slice(0, i)));
      s = chosen ? unwrap(chosen) : undefined;
      i--;
      continue;
    } else s = undefined;
    if (s) s = unwrap(s);
  }
  if (s && def(s).type === "union") return chooseOption(s, valueAt(document, segments)) ?? s;
  return s;
}

/** Keys an object accepts at this path ([] where the place is not an object). */
export function knownKeysAt(root: z.ZodType, segments: readonly PathSegment[], document: unknown): string[] {
  const s = schemaAt(root, segments, document);
  if (!s) return [];
  const d = def(unwrap(s));
  return d.type === "object" && d.shape ? Object.keys(d.shape) : [];
}

/** For a key unknown in one option of a discriminated union: the discriminator values of the options that know it. */
export function unionOptionsWithKey(root: z.ZodType, segments: readonly PathSegment[], key: string): string[] {
  let s: z.ZodType | undefined = unwrap(root);
  for (const seg of segments) {
    if (!s) return [];
    const d = def(s);
    if (d.type === "object" && d.shape && typeof seg === "string") s = Object.hasOwn(d.shape, seg) ? unwrap(d.shape[seg]) : undefined;
    else if (d.type === "record" && d.valueType) s = unwrap(d.valueType);
    else if (d.type === "array" && d.element) s = unwrap(d.element);
    else return [];
  }
  if (!s) return [];
  const d = def(s);
  if (d.type !== "union" || !d.discriminator || !d.options) return [];
  const disc = d.discriminator;
  return d.options.filter((o) => Object.hasOwn(def(unwrap(o)).shape ?? {}, key)).map((o) => String(literalOf(o, disc)));
}
