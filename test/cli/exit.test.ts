import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_BAD_INPUT, InputError, inputErrorOf } from "../../cli/exit";
import { ProjectError } from "../../plan/engine/project";
import { SnapshotError } from "../../plan/snapshot";
import { gigafactory, gigafactoryInProcess, tempDir } from "../support/cli-run";

// A snapshot or a project that cannot be read is bad input (exit 2) whichever verb reads it: the exit is decided
// in one place, and each verb's message stays `error <file>: <what> — <what to do>`.

describe("the bad input an error stands for", () => {
  it("is the error itself, a project's or a snapshot's message as one line, and nothing for a defect", () => {
    const input = new InputError(["error x: y — z"]);
    expect(inputErrorOf(input)).toBe(input);
    expect(inputErrorOf(new SnapshotError("a.json: cannot be read (ENOENT) — check the path"))?.lines).toEqual(["error a.json: cannot be read (ENOENT) — check the path"]);
    expect(inputErrorOf(new ProjectError("p/Pulumi.yaml: name is missing — name the project"))?.lines).toEqual(["error p/Pulumi.yaml: name is missing — name the project"]);
    expect(inputErrorOf(new Error("boom"))).toBeUndefined();
    expect(inputErrorOf("boom")).toBeUndefined();
  });
});

describe("a snapshot that cannot be read, on every verb that reads one", () => {
  const dir = tempDir();
  const missing = join(dir, "nope.json");
  const broken = join(dir, "broken.json");
  writeFileSync(broken, "{ not json");

  it("check, diff and reconcile exit 2 with the file's error as one line", async () => {
    for (const args of [["check", "--snapshot", missing], ["diff", missing, broken, "--no-policies"], ["reconcile", missing, broken]]) {
      const r = await gigafactoryInProcess(...args);
      expect([r.code, r.stdout, r.stderr], args[0]).toEqual([EXIT_BAD_INPUT, "", `error ${missing}: cannot be read (ENOENT) — check the path\n`]);
    }
    const r = await gigafactoryInProcess("reconcile", broken, missing);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.stderr).toMatch(/^error .*broken\.json: not valid JSON \(.+\) — write it with `gigafactory plan --json-file FILE`\n$/);
  });

  it("plan --baseline names the option before the file", async () => {
    const r = await gigafactory(["plan", "--stack", "dev", "--baseline", missing]);
    expect([r.code, r.stdout, r.stderr]).toEqual([EXIT_BAD_INPUT, "", `error --baseline: ${missing}: cannot be read (ENOENT) — check the path\n`]);
  });
});
