import { readFileSync } from "node:fs";
import { readSnapshot, stableStringify } from "../../plan/snapshot";
import { diffSnapshots } from "../diff/index";
import { EXIT_OK, InputError } from "../exit";
import { formatTarget, oneOnStdout, type OutputOptions, writeOutput } from "../output";
import { type PreviewInput, reconcile } from "../reconcile/index";
import { renderReconcileMarkdown } from "../reconcile/markdown";
import { parsePreview, PreviewError } from "../reconcile/preview";

// `gigafactory reconcile BEFORE.json AFTER.json --preview [LAYER=]FILE ...`: the real engine's `pulumi preview --json`
// of each layer beside the offline diff of the same change. Exit 0 whatever it finds: the review says it; 2 bad input.

export interface ReconcileOptions extends OutputOptions {
  preview?: string[];
  markdown?: boolean;
  json?: boolean;
}

export function runReconcile(beforeFile: string, afterFile: string, opts: ReconcileOptions): number {
  const json = formatTarget(opts, "json");
  const markdown = formatTarget(opts, "markdown");
  oneOnStdout("reconcile", { json, markdown });
  const before = readSnapshot(beforeFile);
  const after = readSnapshot(afterFile);
  const diff = diffSnapshots(before, after);
  const layers = after.layers ?? [];
  const previews = (opts.preview ?? []).map((arg) => previewOf(arg, layers));
  const result = reconcile(diff, previews);
  const section = renderReconcileMarkdown(result);
  const document = `${stableStringify(result)}\n`;
  if (json.file) writeOutput(json.file, document, opts);
  if (markdown.file) writeOutput(markdown.file, section, opts);
  process.stdout.write(json.stdout ? document : section);
  return EXIT_OK;
}

/** `data=preview.json` or `preview.json`: the layer names its project (from the plan's layers), or the URNs do. */
function previewOf(arg: string, layers: { name: string; project: string }[]): PreviewInput {
  const eq = arg.indexOf("=");
  const [layer, file] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [undefined, arg];
  let project: string | undefined;
  if (layer !== undefined) {
    project = layers.find((l) => l.name === layer)?.project ?? layers.find((l) => l.project === layer)?.project;
    if (!project) {
      throw new InputError([`error --preview ${arg}: the plan has no layer ${JSON.stringify(layer)} — name one of ${layers.map((l) => l.name).join(", ") || "(the plan has no layers: give the file alone)"}`]);
    }
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError([`error ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}) — save \`pulumi preview --json\` there`]);
  }
  try {
    return { project, digest: parsePreview(text, file) };
  } catch (e) {
    if (e instanceof PreviewError) throw new InputError([`error ${e.message}`]);
    throw e;
  }
}
