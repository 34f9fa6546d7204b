"use strict";
// V8's compiled code for every CommonJS module a gigafactory process loads (the SDKs' ~1,600 files and the
// project's TypeScript as tsx emits it), kept between runs: a plan then deserializes code instead of parsing
// and compiling ~11 MB of JavaScript again (about 0.35 s of CPU in a gigafactory plan, 0.15 s in its floor).
// The cache is written after the run, so it also holds the functions compiled lazily while the program ran.
//
// What runs is unchanged: each entry is keyed by the module's file and a hash of its exact source, and V8 itself
// refuses data made by another V8 or with other flags (the module is then compiled as usual and the entry
// replaced). One file per project folder and node version under the OS temp folder; written whole and renamed
// into place, so processes running side by side never read half an entry. GIGAFACTORY_COMPILE_CACHE=0 turns it
// off; so do a debugger and V8 coverage, which want code compiled the usual way.
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");

const FORMAT = "gigafactory-compile-cache/1";
/** SHA-1 in hex; crypto.hash is node ≥ 20.12's one-shot form. */
const sha1 = typeof crypto.hash === "function" ? (text) => crypto.hash("sha1", text) : (text) => crypto.createHash("sha1").update(text).digest("hex");

function disabled() {
  if (process.env.GIGAFACTORY_COMPILE_CACHE === "0") return true;
  if (process.env.NODE_V8_COVERAGE) return true;
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ");
  return /--inspect|--debug/.test(flags);
}

/** The folder of this user's caches, in the OS temporary folder: its name is what a test run keeps across runs. */
exports.cacheFolderName = function cacheFolderName() {
  return `gigafactory-compile-cache-${typeof process.getuid === "function" ? process.getuid() : "user"}`;
};

function cacheFile(projectDir) {
  const key = sha1([FORMAT, projectDir, process.version, process.arch].join("\n"));
  return path.join(os.tmpdir(), exports.cacheFolderName(), `${key}.bin`);
}

/** The cache as [index, data]: index maps a file to its source hash and its slice of data. */
function read(file) {
  try {
    const buf = fs.readFileSync(file);
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + headerLength).toString("utf8"));
    if (header.format !== FORMAT) return [{}, Buffer.alloc(0)];
    return [header.entries, buf.subarray(4 + headerLength)];
  } catch {
    return [{}, Buffer.alloc(0)];
  }
}

function write(file, index, data, made) {
  const entries = {};
  const parts = [];
  let offset = 0;
  const add = (filename, hash, bytes) => {
    entries[filename] = { hash, offset, length: bytes.length };
    parts.push(bytes);
    offset += bytes.length;
  };
  for (const [filename, e] of Object.entries(index)) {
    if (!made.has(filename)) add(filename, e.hash, data.subarray(e.offset, e.offset + e.length));
  }
  for (const [filename, { hash, script }] of made) add(filename, hash, script.createCachedData());
  const header = Buffer.from(JSON.stringify({ format: FORMAT, entries }), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([length, header, ...parts]));
  fs.renameSync(tmp, file);
}

/**
 * Compiles every module loaded from now on through the cache of `projectDir`. Node's own loader still resolves,
 * reads and (through tsx) transforms each file; only the step from source to a function changes.
 */
exports.installCompileCache = function installCompileCache(projectDir) {
  if (disabled()) return;
  const file = cacheFile(projectDir);
  const [index, data] = read(file);
  /** Modules compiled in this process: their cache is made at exit, once the program has run. */
  const made = new Map();
  const compile = Module.prototype._compile;

  Module.prototype._compile = function compileCached(content, filename) {
    if (typeof content !== "string" || typeof filename !== "string" || !path.isAbsolute(filename)) return compile.apply(this, arguments);
    const hash = sha1(content);
    const entry = index[filename];
    const cachedData = entry && entry.hash === hash ? data.subarray(entry.offset, entry.offset + entry.length) : undefined;
    let script;
    try {
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      // Not a CommonJS script (ES module syntax, an error to report): node's loader knows what to do with it.
      return compile.apply(this, arguments);
    }
    if (!cachedData || script.cachedDataRejected) made.set(filename, { hash, script });
    const fn = script.runInThisContext({ displayErrors: true });
    // The require function node gives a module (lib/internal/modules/helpers.js, makeRequireFunction).
    const mod = this;
    const require = function require(id) {
      return mod.require(id);
    };
    function resolve(request, options) {
      return Module._resolveFilename(request, mod, false, options);
    }
    resolve.paths = function paths(request) {
      return Module._resolveLookupPaths(request, mod);
    };
    require.resolve = resolve;
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return fn.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };

  process.once("exit", () => {
    if (made.size === 0) return;
    try {
      write(file, index, data, made);
    } catch {
      // A cache that cannot be written costs the next run its compile time, nothing more.
    }
  });
};
