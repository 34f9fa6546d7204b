import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { type Command, Option } from "commander";
import { InputError } from "./exit";
import { bytes, count } from "./report/format";
import { fixed } from "../core/lib/numbers";

// What every verb writes besides its report: progress while it works (stderr, only on a terminal), one line for
// each file it wrote, and its machine-readable output by one convention:
//   --json              the JSON on stdout (instead of the text report)
//   --json-file FILE    the JSON written to FILE (the text report stays on stdout)
// and the same pair for markdown (--markdown, --markdown-file FILE). A flag never takes a value, so
// `diff --json BEFORE AFTER` reads as two plans. The forms before this convention (`--json FILE`, `--json -`)
// still work and say on stderr what replaces them. --quiet silences progress, file lines and notes.

export type OutputFormat = "json" | "markdown";

export interface OutputOptions {
  quiet?: boolean;
  json?: boolean | string;
  jsonFile?: string;
  markdown?: boolean | string;
  markdownFile?: string;
}

/** Where one format goes: stdout, a file, both or neither. */
export interface FormatTarget {
  stdout: boolean;
  file?: string;
}

export interface OutputStreams {
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** Where a verb run as a function writes its report and its notes: the process's streams, or a test's. */
export interface VerbIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const PROCESS_IO: VerbIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** The streams the conventions write to: the process's own stderr (so progress shows on its terminal), or the io's. */
export function streamsOf(io: VerbIo): OutputStreams {
  return io.stderr === PROCESS_IO.stderr ? { stderr: process.stderr } : { stderr: { write: io.stderr } };
}

const FLAG_HELP: Record<OutputFormat, string> = { json: "JSON", markdown: "markdown" };

/** --quiet, on every verb. */
export function addQuietOption(cmd: Command): Command {
  return cmd.option("-q, --quiet", "no progress, no `wrote FILE` lines, no notes on stderr (errors and warnings still)");
}

/**
 * --FORMAT and --FORMAT-file FILE for one format. `legacyValue`: the verb's --FORMAT took a file before
 * (`plan --json FILE`, `check --markdown FILE`), so it still takes an optional one; never for a verb with
 * positional arguments, where the value would swallow one.
 */
export function addFormatOptions(cmd: Command, format: OutputFormat, what: string, legacyValue: boolean): Command {
  const flag = legacyValue ? `--${format} [file]` : `--${format}`;
  const legacy = legacyValue ? ` (\`--${format} FILE\` is the old form of --${format}-file)` : "";
  return cmd
    .addOption(new Option(flag, `${what} as ${FLAG_HELP[format]} on stdout (instead of the text)${legacy}`))
    .addOption(new Option(`--${format}-file <file>`, `also write ${what} as ${FLAG_HELP[format]} to <file>`));
}

/** Where FORMAT goes, from --FORMAT and --FORMAT-file; an old form adds a note on stderr. */
export function formatTarget(opts: OutputOptions, format: OutputFormat, io: OutputStreams = processStreams): FormatTarget {
  const flag = opts[format];
  const file = format === "json" ? opts.jsonFile : opts.markdownFile;
  if (typeof flag === "string") {
    const legacyFile = flag === "-" ? undefined : flag;
    note(opts, io, legacyFile === undefined ? `\`--${format} -\` is deprecated — use --${format}` : `\`--${format} FILE\` is deprecated — use --${format}-file ${legacyFile}`);
    if (legacyFile !== undefined && file !== undefined && legacyFile !== file) {
      throw new InputError([`error --${format}: two files given (${legacyFile} and ${file}) — give one: --${format}-file FILE`]);
    }
    return legacyFile === undefined ? { stdout: true, file } : { stdout: false, file: legacyFile };
  }
  return { stdout: flag === true, file };
}

/** Refuses two formats that both want stdout. */
export function oneOnStdout(verb: string, targets: Partial<Record<OutputFormat, FormatTarget>>): void {
  const both = (Object.entries(targets) as [OutputFormat, FormatTarget][]).filter(([, t]) => t.stdout).map(([f]) => f);
  if (both.length > 1) {
    throw new InputError([`error ${verb}: ${both.map((f) => `--${f}`).join(" and ")} both want stdout — send one to a file, e.g. --${both[1]}-file ${verb}.${both[1] === "json" ? "json" : "md"}`]);
  }
}

const processStreams: OutputStreams = { stderr: process.stderr };

/**
 * Writes a file, its folder made when missing, and says nothing. A mode is set even on a file that was there, whose
 * mode a write keeps (a script stays executable, a file once executable no longer is). A file that cannot be
 * written is bad input, `hint` saying what to do.
 */
export function writeFile(file: string, text: string | Buffer, mode?: number, hint = "check the folder is one you can write to"): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (mode !== undefined) chmodSync(file, mode);
  } catch (e) {
    throw new InputError([`error ${file}: cannot be written (${(e as NodeJS.ErrnoException).code ?? "error"}) — ${hint}`]);
  }
}

/** Writes a file the user asked for and says so: `wrote FILE (SIZE)`. A file that cannot be written is bad input. */
export function writeOutput(file: string, text: string | Buffer, opts: OutputOptions, io: OutputStreams = processStreams, mode?: number): void {
  writeFile(file, text, mode);
  note(opts, io, `wrote ${file} (${bytes(Buffer.byteLength(text))})`);
}

/** A line on stderr a user may silence with --quiet. */
export function note(opts: OutputOptions, io: OutputStreams, line: string): void {
  if (!opts.quiet) io.stderr.write(`${line}\n`);
}

/**
 * What a verb is doing, on stderr while it does it: only on a terminal (a pipe or a CI log gets nothing), never with
 * --quiet. Each phase is one line: `planning tenants layer… 3,464 resources (1.2 s)`.
 */
export class Progress {
  private open = false;

  constructor(
    private readonly stream: OutputStreams["stderr"],
    readonly enabled: boolean,
  ) {}

  static of(opts: OutputOptions, io: OutputStreams = processStreams): Progress {
    return new Progress(io.stderr, io.stderr.isTTY === true && !opts.quiet);
  }

  /** A phase starts: `planning tenants layer…`. */
  start(what: string): void {
    if (!this.enabled) return;
    this.close();
    this.stream.write(`${what}…`);
    this.open = true;
  }

  /** The phase ends with what it counted: ` 3,464 resources (1.2 s)`. */
  done(items?: number, noun?: string, seconds?: number): void {
    if (!this.enabled || !this.open) return;
    const counted = items === undefined ? "" : ` ${count(items)} ${noun ?? ""}`.trimEnd();
    const took = seconds === undefined ? "" : ` (${fixed(seconds, 1)} s)`;
    this.stream.write(`${counted}${took}\n`);
    this.open = false;
  }

  /** Ends an unfinished line, so what follows starts on its own. */
  close(): void {
    if (this.open) this.stream.write("\n");
    this.open = false;
  }
}

/** The plan engine's layer events as progress lines: `planning compute layer… 1,204 resources (0.9 s)`. */
export function layerProgress(progress: Progress): (e: { layer?: string; resources?: number; seconds?: number }) => void {
  return (e) => (e.resources === undefined ? progress.start(`planning ${e.layer ? `${e.layer} layer` : "the program"}`) : progress.done(e.resources, "resources", e.seconds));
}
