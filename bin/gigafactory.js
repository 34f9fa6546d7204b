#!/usr/bin/env node
"use strict";
// The `gigafactory` command, straight after `npm ci` (see load-typescript.js for how the sources load).
require("./load-typescript").registerTypeScript();
// A reader that stops early (`| head`) is not an error of ours: end quietly rather than with a stack trace.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
});
require("../cli/main.ts")
  .run(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
