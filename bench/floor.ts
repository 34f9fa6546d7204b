import { readSnapshot } from "../plan/snapshot";
import { runProgram } from "../plan/engine/run";
import { replay } from "./replay";

// A child process of the benchmark: the floor of one plan (bench/replay.ts) on the engine's own mocks and recorder.
// Prints the number of resources it registered.

async function main(file: string): Promise<void> {
  const snapshot = readSnapshot(file);
  const region = String(snapshot.config["aws:region"] ?? snapshot.blueprint.region);
  const result = await runProgram({
    project: snapshot.project,
    stack: snapshot.stack,
    program: () => replay(snapshot),
    config: {},
    secretKeys: [],
    defaults: { region, defaultTags: {} },
  });
  if (result.errors.length) throw new Error(result.errors.join("; "));
  process.stdout.write(`${result.resources.length}\n`);
}

main(process.argv[2]).catch((e: Error) => {
  process.stderr.write(`error floor: ${e.message}\n`);
  process.exitCode = 1;
});
