import { tmpdir } from "node:os";

/**
 * The whole environment a test runs a rendered script in: the stub folders given, then the host's basic tools, on
 * PATH, the run's temporary folder (run-tmp.ts) for its mktemp, and the variables given. Nothing else of the test's.
 */
export function scriptEnv(binDirs: readonly string[], variables: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: [...binDirs, "/usr/bin", "/bin"].join(":"), TMPDIR: tmpdir(), ...variables };
}
