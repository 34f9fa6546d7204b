import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { bundlePack, PACK_BUNDLE, type PackManifest, packManifest, SERVED_PACKS } from "./pack-folder";

// `npx tsx policies/write-pack-folders.ts`: rewrites each served pack's bundle and package.json, then its
// package-lock.json (`npm install --package-lock-only`, which asks the registry). Run it after changing a policy or
// anything a policy imports; test/policies/pack-folders.test.ts fails until then.

const ROOT = path.resolve(__dirname, "..");
const rootLock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
const lockedVersion = (pkg: string) => rootLock.packages[`node_modules/${pkg}`]?.version;

for (const pack of SERVED_PACKS) {
  const folder = path.join(ROOT, "policies", pack);
  const manifestFile = path.join(folder, "package.json");
  const manifest = packManifest(JSON.parse(readFileSync(manifestFile, "utf8")) as PackManifest, bundlePack(ROOT, pack).packages, lockedVersion);
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  // Bundled after: the pack reads its own package.json (its name and version), so the bundle holds it.
  const bundle = bundlePack(ROOT, pack);
  mkdirSync(path.join(folder, path.dirname(PACK_BUNDLE)), { recursive: true });
  writeFileSync(path.join(folder, PACK_BUNDLE), bundle.text);
  if (!process.argv.includes("--no-lock")) execFileSync("npm", ["install", "--package-lock-only", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: folder, stdio: "inherit" });
  process.stderr.write(`wrote policies/${pack}/${PACK_BUNDLE} (${bundle.sources.length} files, ${Buffer.byteLength(bundle.text)} bytes) and its package.json: ${Object.keys(manifest.dependencies).join(", ")}\n`);
}
