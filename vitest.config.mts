import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Program tests load the whole Pulumi SDK on mocks; each file gets its own process.
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
