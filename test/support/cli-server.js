"use strict";
// A `gigafactory` process that runs the command lines a test sends it over IPC, one after another, each through
// cli/main's `run` exactly as bin/gigafactory.js runs one: loaded the same way (tsx for the project, node's loader for
// the SDKs), stdout and stderr taken as the command's, the exit code returned. A test that plans many copies of a
// stack pays node's start and the SDKs' load once (test/support/cli-run.ts, `gigafactoryServed`).
require("../../bin/load-typescript").registerTypeScript();
const { run } = require("../../cli/main.ts");
const { EXIT_UNEXPECTED } = require("../../cli/exit.ts");
const { capturedRun } = require("./captured-run.ts");

// The test's worker went away: so does this process.
process.on("disconnect", () => process.exit(0));

let queue = Promise.resolve();

process.on("message", (request) => {
  queue = queue.then(() => serve(request));
});

async function serve({ id, args, cwd }) {
  const dir = process.cwd();
  let result;
  try {
    process.chdir(cwd);
    result = await capturedRun(run, args);
  } catch (e) {
    // run() answers every failure with an exit code: a throw is a defect, shown whole so the test names it.
    result = { code: EXIT_UNEXPECTED, stdout: "", stderr: `cli-server: ${e && e.stack ? e.stack : String(e)}\n` };
  } finally {
    process.chdir(dir);
  }
  process.send({ id, ...result });
}
