#!/usr/bin/env node
"use strict";
// The `gigafactory` command, straight after `npm ci`: tsx compiles the TypeScript sources as they load,
// and the program stays CommonJS, as `pulumi up` runs it.
require("tsx/cjs");
// No stack trace is ever shown, and with source maps on node reads the map of every module the SDKs load.
process.setSourceMapsEnabled(false);
require("../cli/main.ts")
  .run(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
