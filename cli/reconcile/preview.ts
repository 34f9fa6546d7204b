import { z } from "zod";

// The document `pulumi preview --json` prints (Pulumi's PreviewDigest; docs/sources.md#pulumi-preview-json):
// { config, steps: [{ op, urn, provider, oldState, newState, diffReasons, replaceReasons, detailedDiff }],
//   diagnostics: [{ urn, prefix, message, severity }], duration, changeSummary, maybeCorrupt }.
// Only what a reconciliation reads is parsed; every other field may be there or not.

const stateSchema = z.object({ type: z.string().optional() }).passthrough();

const stepSchema = z
  .object({
    op: z.string().min(1),
    urn: z.string().startsWith("urn:pulumi:"),
    oldState: stateSchema.nullish(),
    newState: stateSchema.nullish(),
    diffReasons: z.array(z.string()).nullish(),
    replaceReasons: z.array(z.string()).nullish(),
  })
  .passthrough();

const digestSchema = z
  .object({
    steps: z.array(stepSchema).nullish(),
    diagnostics: z
      .array(z.object({ urn: z.string().optional(), prefix: z.string().optional(), message: z.string().optional(), severity: z.string().optional() }).passthrough())
      .nullish(),
    changeSummary: z.record(z.string(), z.number()).nullish(),
  })
  .passthrough();

export type PreviewStep = z.infer<typeof stepSchema>;

export interface PreviewDigest {
  steps: PreviewStep[];
  diagnostics: { urn?: string; message: string; severity: string }[];
  changeSummary: Record<string, number>;
}

/** Why a preview document cannot be read: a message naming the path in it and what to do. */
export class PreviewError extends Error {}

/** The ops by which the engine deletes a resource and creates it again (a `replace` step comes with its halves). */
export const REPLACE_OPS: ReadonlySet<string> = new Set(["replace", "create-replacement", "delete-replaced", "read-replacement", "import-replacement", "discard-replaced"]);
/** The ops by which a resource leaves the stack. */
export const DELETE_OPS: ReadonlySet<string> = new Set(["delete", "discard"]);

export function parsePreview(text: string, source: string): PreviewDigest {
  let value: unknown;
  try {
    // Pulumi may print a line or two before the document when the program logs to stdout: start at the first `{`.
    const start = text.indexOf("{");
    value = JSON.parse(start > 0 ? text.slice(start) : text);
  } catch (e) {
    throw new PreviewError(`${source}: not valid JSON (${(e as Error).message}) — save the output of \`pulumi preview --json\` to this file`);
  }
  const parsed = digestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PreviewError(`${source}: ${issue.path.join(".") || "the document"}: ${issue.message} — this is not the output of \`pulumi preview --json\``);
  }
  const d = parsed.data;
  return {
    steps: d.steps ?? [],
    diagnostics: (d.diagnostics ?? []).map((x) => ({ urn: x.urn, message: (x.message ?? "").trim(), severity: x.severity ?? "info" })),
    changeSummary: d.changeSummary ?? {},
  };
}

/** A URN's parts: `urn:pulumi:<stack>::<project>::<type chain>::<name>` (a name may hold `::`, a type never). */
export function urnParts(urn: string): { stack: string; project: string; type: string; name: string } | undefined {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) return undefined;
  const chain = parts[2];
  return { stack: parts[0].slice("urn:pulumi:".length), project: parts[1], type: chain.slice(chain.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}
