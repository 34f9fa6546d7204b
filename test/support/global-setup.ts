import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { cacheEnabled, cachedPlans, keepPlans, newRunDir, planStacks, repoStacks, sourceKey } from "./plan-cache";
import { useRunTemporaryFolder } from "./run-tmp";

// Once per `vitest run`: every stack of stacks/ is planned (in the background, two at a time, the gigafactory
// first) and the folder its plans land in is handed to the test files as `plannedStacks`; a test reads a plan
// with `plannedStack(stack)` (test/support/planned-stacks.ts), which waits for that plan if it is still running.
// A rerun with nothing changed (the same sourceKey) reads the plans kept by an earlier run.

declare module "vitest" {
  export interface ProvidedContext {
    plannedStacks: string;
  }
}

interface Planning {
  key: string;
  dir: string;
  abort: AbortController;
  done: Promise<void>;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Before any worker or plan starts: they inherit the run's temporary folder.
  const removeRunTemporaryFolder = useRunTemporaryFolder();
  let planning: Planning | undefined;
  let servedKey: string | undefined;

  const stop = async (p: Planning | undefined) => {
    if (!p) return;
    p.abort.abort();
    await p.done;
    rmSync(p.dir, { recursive: true, force: true });
  };

  const start = async () => {
    const key = sourceKey();
    if (key === servedKey) return;
    const stacks = repoStacks();
    const previous = planning;
    planning = undefined;
    await stop(previous);
    servedKey = key;
    const kept = cacheEnabled() ? cachedPlans(key, stacks) : undefined;
    if (kept) {
      project.provide("plannedStacks", kept);
      return;
    }
    const dir = newRunDir();
    const abort = new AbortController();
    const done = planStacks(dir, stacks, abort.signal).then(
      (records) => {
        // Kept only when every plan succeeded and nothing it read changed while it ran.
        if (cacheEnabled() && !abort.signal.aborted && records.length === stacks.length && records.every((r) => r.code === 0) && sourceKey() === key) keepPlans(dir, key);
      },
      () => undefined,
    );
    planning = { key, dir, abort, done };
    project.provide("plannedStacks", dir);
  };

  // In watch mode the sources change between runs: plan again when they did.
  project.onTestsRerun(start);
  await start();
  return async () => {
    await stop(planning);
    removeRunTemporaryFolder();
  };
}
