"use strict";
// How gigafactory's processes load TypeScript: tsx compiles the project's own .ts files as they load (no build
// step, CommonJS, as `pulumi up` runs them), while the SDKs' JavaScript in node_modules loads through node's
// own loader, as under `pulumi up`; tsx inspecting each of their ~1,500 files costs ~0.7 s of CPU per plan.
// Every module's compiled code is cached between runs (compile-cache.js).
const Module = require("node:module");
const path = require("node:path");

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

exports.registerTypeScript = function registerTypeScript() {
  require("./compile-cache").installCompileCache(path.resolve(__dirname, ".."));
  const nodeJs = Module._extensions[".js"];
  const nodeResolve = Module._resolveFilename;
  require("tsx/cjs");
  const tsxJs = Module._extensions[".js"];
  Module._extensions[".js"] = function loadJs(module, filename) {
    return (filename.includes(NODE_MODULES) ? nodeJs : tsxJs).call(this, module, filename);
  };
  // The SDKs' own requires resolve through node's resolver too: tsx's (TypeScript extensions, tsconfig paths)
  // has nothing to add to a package's JavaScript, and parsed a query string for each of ~3,300 of them.
  const tsxResolve = Module._resolveFilename;
  Module._resolveFilename = function resolveFilename(request, parent) {
    const from = parent && parent.filename;
    return (typeof from === "string" && from.includes(NODE_MODULES) ? nodeResolve : tsxResolve).apply(this, arguments);
  };
  // No stack trace is ever shown, and with source maps on node reads the map of every module the SDKs load.
  process.setSourceMapsEnabled(false);
};
