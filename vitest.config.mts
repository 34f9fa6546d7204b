import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Plans every stack of stacks/ once per run; test files read them with plannedStack() (test/support).
    globalSetup: ["test/support/global-setup.ts"],
    // Program tests load the whole Pulumi SDK on mocks. Each worker process loads it once and runs file after file
    // (no fresh module graph per file): a third less CPU per run. Tests leave no state behind (the CLI runner
    // resets the exit code; no file mocks modules).
    pool: "forks",
    isolate: false,
    // Two files at a time even on two cores, where vitest's default is one: files run one after the other otherwise,
    // and the second core idles once the run's plans are done (on two shared cores a run took ~20-35% less time).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
