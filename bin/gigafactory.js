#!/usr/bin/env node
"use strict";
// The `gigafactory` command, straight after `npm ci` (see load-typescript.js for how the sources load).
require("./load-typescript").registerTypeScript();
require("../cli/main.ts")
  .run(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
