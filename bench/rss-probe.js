"use strict";
// Preloaded into every process the benchmark starts: appends this process's peak resident set (KiB) and CPU
// time (µs) to the file the benchmark names, so a plan that re-executes node is measured in every process it runs.
const { appendFileSync } = require("node:fs");
const file = process.env.GIGAFACTORY_BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${process.pid} ${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
}
