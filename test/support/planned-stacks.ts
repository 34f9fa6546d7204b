import { existsSync, readFileSync } from "node:fs";
import { inject } from "vitest";
import { parseSnapshot, type PlanSnapshot } from "../../plan/snapshot";
import { type PlanRecord, readRecord, recordFile, repoStacks, snapshotFile } from "./plan-cache";

// The repository's stacks as `gigafactory plan --stack S --json FILE` planned them for this test run (once, in
// test/support/global-setup.ts): the run (exit code, stdout, stderr) and the snapshot it wrote. A test reads
// these rather than planning a repository stack itself; a copy of the stacks with an edit is another input and
// plans itself (test/fixtures/diff/real-plans.ts).

export interface PlannedStack extends PlanRecord {
  /** The snapshot file, shared by every test of the run: read it, never write it. */
  file: string;
  /** The snapshot's text, byte for byte. */
  text: string;
  /** The snapshot, parsed anew for each caller (a test may change its copy). */
  snapshot: PlanSnapshot;
}

/** Every stack of stacks/, by name. */
export const REPO_STACKS: readonly string[] = repoStacks();

/** How long a test waits for a plan still running (a gigafactory plan takes ~8 s alone, minutes on a busy machine). */
const WAIT_MS = 15 * 60_000;

/** The run of `plan --stack <stack>`, whatever its exit code, once it has ended. */
export async function plannedRun(stack: string): Promise<PlanRecord> {
  if (!REPO_STACKS.includes(stack)) throw new Error(`${stack} is not a stack of stacks/ (${REPO_STACKS.join(", ")})`);
  const dir = inject("plannedStacks");
  if (!dir) throw new Error("no planned stacks: run the tests through vitest.config.mts, whose globalSetup plans them");
  const deadline = Date.now() + WAIT_MS;
  while (!existsSync(recordFile(dir, stack))) {
    if (Date.now() > deadline) throw new Error(`the plan of ${stack} did not end within ${WAIT_MS / 60_000} minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return readRecord(dir, stack)!;
}

/** The stack's plan: its run and its snapshot. Fails with the plan's stderr when the plan did not succeed. */
export async function plannedStack(stack: string): Promise<PlannedStack> {
  const run = await plannedRun(stack);
  if (run.code !== 0) throw new Error(`gigafactory ${run.args.join(" ")} exited ${run.code}: ${run.stderr}`);
  const file = snapshotFile(inject("plannedStacks"), stack);
  const text = readFileSync(file, "utf8");
  return { ...run, file, text, snapshot: parseSnapshot(JSON.parse(text), file) };
}

/** The stack's snapshot (what `planOf(stack)` used to plan anew). */
export async function plannedSnapshot(stack: string): Promise<PlanSnapshot> {
  return (await plannedStack(stack)).snapshot;
}
