// One command line run in this process as bin/gigafactory.js runs it, through cli/main's `run`, with what it writes to
// stdout and stderr taken as its output and the process's exit code left as it was: for the test's own process
// (cli-run.ts gigafactoryInProcess) and the kept gigafactory process (cli-server.js). One at a time.

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function capturedRun(run: (argv: string[]) => Promise<number>, args: readonly string[]): Promise<CapturedRun> {
  let stdout = "";
  let stderr = "";
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((s: unknown) => ((stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: unknown) => ((stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    process.exitCode = undefined;
    const code = await run(["node", "gigafactory", ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.exitCode = undefined;
  }
}
