import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAccountsScript } from "../../../../core/render/slurm/accounts";
import { slurmBlueprint } from "../../../fixtures/slurm/blueprint";

// The accounts script run by /bin/sh against a stand-in for sacctmgr that keeps what was added in a file and
// answers as sacctmgr does: `add` of something that exists fails ("Nothing new added", exit 1), `modify` of
// something missing fails ("Nothing modified", exit 1), `show` prints the names it has.
const FAKE_SACCTMGR = `#!/bin/sh
printf '%s\\n' "$*" >> "$SACCTMGR_LOG"
verb=""; kind=""; name=""
for a in "$@"; do
  case "$a" in
    --*) ;;
    show|add|modify) [ -z "$verb" ] && verb=$a ;;
    cluster|qos|account|association) [ -z "$kind" ] && kind=$a ;;
    name=*|account=*) [ -z "$name" ] && name=\${a#*=} ;;
    *=*|where|set) ;;
    *) [ "$verb" = add ] && [ -z "$name" ] && name=$a ;;
  esac
done
[ "$kind" = association ] && kind=account
if grep -qx "$kind:$name" "$SACCTMGR_STATE"; then known=1; else known=0; fi
case "$verb" in
  show) [ $known = 1 ] && echo "$name"; exit 0 ;;
  add) if [ $known = 1 ]; then echo " Nothing new added."; exit 1; fi; echo "$kind:$name" >> "$SACCTMGR_STATE" ;;
  modify) if [ $known = 0 ]; then echo " Nothing modified"; exit 1; fi ;;
esac
exit 0
`;

let dir: string;
let script: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gf-sacctmgr-"));
  writeFileSync(join(dir, "sacctmgr"), FAKE_SACCTMGR, { mode: 0o755 });
  writeFileSync(join(dir, "state"), "");
  script = join(dir, "accounts.sh");
  const bp = slurmBlueprint({
    factory: "gf-small",
    pools: [{ name: "h100", nodes: 64 }],
    tenants: [
      { name: "team-a", gpuQuota: 256, priority: "critical", priorityValue: 1000 },
      { name: "team-b", gpuQuota: 128, costCenter: "cc b's lab" },
    ],
  });
  writeFileSync(script, renderAccountsScript(bp), { mode: 0o755 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runScript(): { status: number | null; calls: string[]; output: string } {
  const log = join(dir, `log-${Date.now()}-${Math.random()}`);
  writeFileSync(log, "");
  const r = spawnSync("/bin/sh", [script], {
    encoding: "utf8",
    env: { PATH: `${dir}:/usr/bin:/bin`, SACCTMGR_LOG: log, SACCTMGR_STATE: join(dir, "state") },
  });
  return { status: r.status, calls: readFileSync(log, "utf8").trim().split("\n"), output: `${r.stdout}${r.stderr}` };
}

describe("the accounts script", () => {
  it("adds the cluster, a QOS per priority class and an account per tenant, then sets their limits", () => {
    const first = runScript();
    expect(first.status, first.output).toBe(0);
    const adds = first.calls.filter((c) => c.startsWith("--immediate add"));
    expect(adds).toEqual([
      "--immediate add cluster gf-small",
      "--immediate add qos critical",
      "--immediate add qos standard",
      "--immediate add account team-a cluster=gf-small",
      "--immediate add account team-b cluster=gf-small",
    ]);
    expect(first.calls).toContain(
      "--immediate modify account where name=team-b cluster=gf-small set Description=tenant team-b, internal data Organization=cc b's lab Fairshare=128 GrpTRES=gres/gpu=128 QOS=standard DefaultQOS=standard",
    );
    expect(first.calls).toContain("--immediate modify qos where name=critical set Priority=1000 Description=priority class critical");
  });

  it("changes only values when run again: nothing is added twice", () => {
    const again = runScript();
    expect(again.status, again.output).toBe(0);
    expect(again.calls.filter((c) => c.includes(" add "))).toEqual([]);
    expect(again.calls.filter((c) => c.includes(" modify "))).toHaveLength(4);
  });
});
