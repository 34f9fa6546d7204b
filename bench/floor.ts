import { readSnapshot } from "../plan/snapshot";
import { runProgram } from "../plan/engine/run";
import { replay } from "./replay";

// A child process of the benchmark: the floor of one plan (bench/replay.ts) on the engine's own mocks and recorder.
// `floor.js FILE [--classes]`; prints the number of resources it registered.

async function main(file: string, classes: boolean): Promise<void> {
  const snapshot = readSnapshot(file);
  const region = String(snapshot.config["aws:region"] ?? snapshot.blueprint.region);
  // One program per layer's stack, as the plan runs them; a plan made before layers is one.
  const stacks = snapshot.layers?.length
    ? snapshot.layers.map((l) => ({ project: l.project, resources: snapshot.resources.filter((r) => r.layer === l.name) }))
    : [{ project: snapshot.project, resources: snapshot.resources }];
  const recorded: unknown[] = [];
  for (const stack of stacks) {
    const result = await runProgram({
      project: stack.project,
      stack: snapshot.stack,
      program: () => replay({ ...snapshot, resources: stack.resources }, { classes }),
      config: {},
      secretKeys: [],
      defaults: { region, defaultTags: {} },
    });
    if (result.errors.length) throw new Error(result.errors.join("; "));
    recorded.push(...result.resources);
  }
  if (process.env.GIGAFACTORY_FLOOR_RECORD) require("node:fs").writeFileSync(process.env.GIGAFACTORY_FLOOR_RECORD, JSON.stringify(recorded));
  process.stdout.write(`${recorded.length}\n`);
}

main(process.argv[2], process.argv.includes("--classes")).catch((e: Error) => {
  process.stderr.write(`error floor: ${e.message}\n`);
  process.exitCode = 1;
});
