import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bundlePack, PACK_BUNDLE, packageOf, RUNNER_PACKAGES, SERVED_PACKS } from "../../policies/pack-folder";
import { ROOT, tempDir } from "../support/cli-run";

// Each pack `pulumi preview --policy-pack policies/<pack>` serves stands on its own: copied alone to another
// place, its folder holds every file of the repository the pack reaches (bundled), names every npm package
// the bundle imports in its package.json at this repository's versions, and locks them in its own lockfile.
// GIGAFACTORY_PACK_NPM_CI=1 also runs the real `npm ci` in each copy (asks the registry) and loads the pack.

const rootLock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
const REWRITE = "rewrite with `npx tsx policies/write-pack-folders.ts`";

/** A folder copied on its own, without node_modules: what a clean checkout of only that folder holds. */
function cleanCopy(pack: string): string {
  const dir = path.join(tempDir(), pack);
  cpSync(path.join(ROOT, "policies", pack), dir, { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
  return dir;
}

/** Every module the file requires, read from its text (static imports and require calls). */
function requiresOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

describe.each(SERVED_PACKS)("the %s pack's folder", (pack) => {
  const dir = cleanCopy(pack);
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { main: string; dependencies: Record<string, string> };

  it(`serves the bundle of today's sources — ${REWRITE}`, () => {
    expect(manifest.main).toBe(PACK_BUNDLE);
    expect(parse(readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"))).toMatchObject({ runtime: "nodejs", description: expect.any(String) });
    const fresh = bundlePack(ROOT, pack);
    expect(readFileSync(path.join(dir, PACK_BUNDLE), "utf8") === fresh.text, REWRITE).toBe(true);
    // The bundle holds the pack's own files and the shared ones it reaches outside its folder.
    expect(fresh.sources).toContain(`policies/${pack}/pack.ts`);
    expect(fresh.sources.some((s) => !s.startsWith(`policies/${pack}/`))).toBe(true);
  });

  it("reaches no file outside its folder, and its package.json names every package the bundle imports", () => {
    const imports = requiresOf(path.join(dir, PACK_BUNDLE));
    const local = imports.filter((s) => s.startsWith("."));
    for (const s of local) expect(existsSync(path.resolve(dir, path.dirname(PACK_BUNDLE), s)) || existsSync(path.resolve(dir, path.dirname(PACK_BUNDLE), `${s}.js`)), s).toBe(true);
    const packages = [...new Set(imports.map(packageOf).filter((p): p is string => !!p))].sort();
    expect(packages.length).toBeGreaterThan(0);
    expect(Object.keys(manifest.dependencies).sort()).toEqual([...new Set([...packages, ...RUNNER_PACKAGES])].sort());
    for (const [pkg, version] of Object.entries(manifest.dependencies)) expect(version, `${pkg} as the repository locks it`).toBe(rootLock.packages[`node_modules/${pkg}`]?.version);
  });

  it("locks exactly those packages in its own package-lock.json", () => {
    const lock = JSON.parse(readFileSync(path.join(dir, "package-lock.json"), "utf8")) as { lockfileVersion: number; packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    expect(lock.packages[""].dependencies, REWRITE).toEqual(manifest.dependencies);
    for (const [pkg, version] of Object.entries(manifest.dependencies)) expect(lock.packages[`node_modules/${pkg}`]?.version, pkg).toBe(version);
    // Every package the locked ones need is locked too: `npm ci` installs from the lock alone.
    for (const [where, entry] of Object.entries(lock.packages)) {
      for (const dep of Object.keys(entry.dependencies ?? {})) {
        const nested = `${where ? `${where}/` : ""}node_modules/${dep}`;
        const found = [nested, `node_modules/${dep}`].some((k) => lock.packages[k] !== undefined);
        expect(found, `${where || "the pack"} needs ${dep}`).toBe(true);
      }
    }
  });

  it.runIf(process.env.GIGAFACTORY_PACK_NPM_CI === "1")(
    "loads from the copy after its own `npm ci`: the policy server starts and says its port",
    async () => {
      execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, stdio: "ignore" });
      const child: ChildProcess = spawn(process.execPath, ["-e", "require('./')"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      try {
        const port = await new Promise<string>((done, fail) => {
          let stderr = "";
          child.stderr!.on("data", (d) => (stderr += String(d)));
          child.stdout!.once("data", (d) => done(String(d).trim()));
          child.once("exit", (code) => fail(new Error(`the pack exited (${code}): ${stderr}`)));
        });
        expect(port).toMatch(/^\d+$/);
      } finally {
        child.kill();
      }
    },
    180_000,
  );
});
