import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Plans every stack of stacks/ once per run; test files read them with plannedStack() (test/support).
    globalSetup: ["test/support/global-setup.ts"],
    // Program tests load the whole Pulumi SDK on mocks; each file gets its own process.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
