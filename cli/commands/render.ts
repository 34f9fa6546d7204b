import type { Command } from "commander";
import { verb } from "../exit";
import { addQuietOption } from "../output";
import { addStackOptions } from "./stack-options";
import { RENDER_FOLDERS } from "./render-folders";
import type { RenderOptions } from "./render-run";
import { loadVerb } from "./load-verb";

// `gigafactory render`: its options here; the renderers load when it runs (render-run.ts).

export function registerRender(program: Command): void {
  const cmd = addStackOptions(program.command("render").description(`write the files derived from the blueprint under --out: ${RENDER_FOLDERS.map((f) => `${f}/`).join(", ")}`))
    // Checked by the verb, not commander: a required option is checked before unknown ones (`--ot x` would read as a missing --out).
    .option("-o, --out <folder>", "the folder to write into (created when missing)");
  addQuietOption(cmd).action(verb(async (opts: RenderOptions) => (await run()).render(opts)));
}

function run(): Promise<typeof import("./render-run")> {
  return loadVerb(() => require("./render-run") as typeof import("./render-run"), () => import("./render-run"));
}
