#!/usr/bin/env node
"use strict";
// `npm run bench`: plan every stack in a fresh process against its floor (see bench/main.ts).
require("../bin/load-typescript").registerTypeScript();
require("./main.ts")
  .main(process.argv)
  .catch((e) => {
    process.stderr.write(`error bench: ${e && e.message ? e.message.split("\n")[0] : e}\n`);
    process.exitCode = 1;
  });
