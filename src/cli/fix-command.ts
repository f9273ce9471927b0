/**
 * `kubeharden fix [paths...|-]`: applies the rules' fixes to manifests and rewrites them,
 * keeping comments, key order, quoting and document separators.
 *
 * The inputs are read and decoded exactly as `kubeharden check` reads them; the engine's
 * fix pass (Engine.fixObjects) fixes every object; each changed document is then edited
 * in its own text (yaml-edit.ts), and a file is rewritten only when
 * - the `yaml` package reads each edited document as kubeharden's decoder does, and
 * - decoding the edited file with kubeharden's decoder gives exactly the fixed objects.
 * Otherwise the file is left as it is and reported ("cannot rewrite faithfully"), with
 * no text of the input in the message. JSON files are rewritten as JSON: a changed value
 * is written again with the indentation it had (on one line when it was on one line);
 * unchanged values stay as they were.
 *
 * Exit codes: 2 for usage errors, input errors, or a file that needed changes and could
 * not be rewritten; otherwise 1 when the fixed manifests still have an unsuppressed
 * finding at or above --fail-on (one no fix handles, or whose fix declined), else 0.
 */
import * as fs from 'fs';
import { FlagSpec, listFlag, parseArgs, stringFlag, UsageError } from './args';
import { errorDetail } from './error-detail';
import { errorLine, objectLabel, printable } from './format-text';
import { engineSetup, ENGINE_FLAGS, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, INPUT_FLAGS, inputsOf, withEmptyInputError } from './input-options';
import { CliIo } from './io';
import { unifiedDiff } from './unified-diff';
import { editYamlDocument, EditOp, jsonDiff, readWithYamlLibrary, RewriteError } from './yaml-edit';
import { STDIN_FILE } from '../engine/check-session';
import { Engine, Reports } from '../engine/engine';
import { FixChange, FixDeclined } from '../engine/fix';
import { jsonEqual } from '../engine/fix-paths';
import { decodeManifestStream } from '../engine/input/decode';
import { describeFsError, selectInputs } from '../engine/input/files';
import { flattenDocument } from '../engine/input/flatten';
import { splitManifestStream } from '../engine/input/stream';
import { Utf8Reader } from '../engine/input/utf8';
import { LineIndex, parseDocuments, parseJsonValue, ParsedDocument } from '../engine/input/yaml-document';
import { PathSegment, splitPath } from '../engine/json-path';
import { fixOf } from '../engine/rule';
import { InputError, ObjectRef, Report } from '../engine/types';
import { Rules } from '../rules/catalog';

const FORMATS = ['text', 'json'] as const;

/** The flags of `fix`. */
const FIX_FLAGS: FlagSpec[] = [
  ...ENGINE_FLAGS,
  ...INPUT_FLAGS,
  { name: 'write', short: 'w', takesValue: false },
  { name: 'output', short: 'o', takesValue: true },
  { name: 'dry-run', takesValue: false },
  { name: 'rule', short: 'r', takesValue: true },
  { name: 'exclude-namespace', takesValue: true },
  { name: 'format', short: 'f', takesValue: true, values: FORMATS },
  { name: 'help', short: 'h', takesValue: false },
];

const READ_CHUNK = 1024 * 1024;
const UTF8_BOM = '\ufeff';

/** One object of an input, where it is, and what the fix pass made of it. */
interface Entry {
  /** Index of the raw document (of the stream's cut) that holds it. */
  readonly doc: number;
  /** Its path in the document: '' or `items[i]`. */
  readonly path: string;
  readonly value: { [key: string]: unknown };
  fixed?: any;
  changes: FixChange[];
  declined: FixDeclined[];
  object?: ObjectRef;
}

/** One input: its bytes, its text, its objects, and what became of it. */
interface Source {
  /** The name reported (the path, or the --stdin-filename of standard input). */
  readonly name: string;
  /** The file to write with --write (undefined for standard input). */
  readonly file?: string;
  readonly bytes?: Buffer;
  readonly text: string;
  readonly readErrors: InputError[];
  /** Decoding errors (the text is then never rewritten). */
  errors: InputError[];
  entries: Entry[];
  /** The rewritten text, when something changed and the rewrite is faithful. */
  rewritten?: string;
  /** Why a text that needed changes was left untouched, and the line to point at. */
  refused?: { line: number; reason: string };
}

/** One document of a stream as the decoder makes it, with a way to locate paths. */
interface ReadDocument {
  readonly kind: 'yaml' | 'json';
  readonly text: string;
  readonly startLine: number;
  readonly startColumn?: number;
  readonly parsed: ParsedDocument;
}

/**
 * A stream's documents and objects, decoded with the input module's steps as the check
 * session runs them (the document cut, go-yaml v2 decoding, list flattening, the
 * API server's apiVersion requirement), keeping each object's raw document.
 */
function readStream(text: string, name: string): { docs: ReadDocument[]; entries: Entry[]; errors: InputError[] } {
  const raw = splitManifestStream(text);
  const yamlTexts = raw.flatMap((d) => (d.kind === 'yaml' ? [d.text] : []));
  const parsedYaml = parseDocuments(yamlTexts);
  const docs: ReadDocument[] = [];
  const entries: Entry[] = [];
  const errors: InputError[] = [];
  let y = 0;
  for (const d of raw) {
    if (d.kind === 'error') {
      errors.push({ file: name, line: d.line, column: d.column, message: d.message });
      continue;
    }
    const parsed = d.kind === 'yaml' ? parsedYaml[y++] : parseJsonValue(d.text);
    const doc: ReadDocument = { kind: d.kind, text: d.text, startLine: d.startLine, startColumn: d.kind === 'json' ? d.startColumn : undefined, parsed };
    const index = docs.length;
    docs.push(doc);
    const lines = new LineIndex(d.text);
    const at = (offset: number) => {
      const p = lines.position(offset);
      return { line: p.line + d.startLine - 1, column: p.column };
    };
    if (parsed.error !== undefined) {
      errors.push({ file: name, ...at(parsed.error.offset), message: parsed.error.message });
      continue;
    }
    if (parsed.value === null || parsed.value === undefined) continue;
    const flat = flattenDocument(parsed.value);
    for (const e of flat.errors) errors.push({ file: name, ...at(parsed.locate(e.path)), message: e.message });
    for (const o of flat.objects) {
      if (o.path === '' && !(typeof o.value.apiVersion === 'string' && o.value.apiVersion !== '')) {
        errors.push({ file: name, ...at(parsed.locate('')), message: 'not a Kubernetes object: missing apiVersion' });
        continue;
      }
      entries.push({ doc: index, path: o.path, value: o.value, changes: [], declined: [] });
    }
  }
  return { docs, entries, errors };
}

/** The line of a path of an entry's object in its stream. */
function lineOf(docs: ReadDocument[], entry: Entry, path: string): number {
  const doc = docs[entry.doc];
  const full = entry.path === '' ? path : path === '' ? entry.path : path.startsWith('[') ? entry.path + path : `${entry.path}.${path}`;
  return new LineIndex(doc.text).lineOf(doc.parsed.locate(full)) + doc.startLine - 1;
}

/** Reads a file, no more than `max` bytes (a FIFO such as `<(helm template …)` too). */
function readLimited(file: string, max: number): { bytes?: Buffer; error?: string } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    return { error: `cannot read: ${describeFsError(e)}` };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      const n = fs.readSync(fd, buf, 0, READ_CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > max) return { error: tooLarge(max) };
      chunks.push(buf.subarray(0, n));
    }
  } catch (e) {
    return { error: `cannot read: ${describeFsError(e)}` };
  } finally {
    fs.closeSync(fd);
  }
  return { bytes: Buffer.concat(chunks) };
}

function tooLarge(max: number): string {
  return `input larger than ${max} bytes (the limit is set by --max-input-bytes, maxInputBytes): not read further`;
}

/** Reads standard input, no more than `max` bytes. */
async function readStdin(input: AsyncIterable<string | Uint8Array> | undefined, max: number): Promise<{ bytes?: Buffer; error?: string }> {
  if (input === undefined) return { error: 'cannot read: standard input is not available' };
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of input) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
      total += bytes.byteLength;
      if (total > max) return { error: tooLarge(max) };
      chunks.push(bytes);
    }
  } catch (e) {
    return { error: `cannot read standard input: ${errorDetail(e)}` };
  }
  return { bytes: Buffer.concat(chunks) };
}

function textOf(bytes: Buffer): string {
  const reader = new Utf8Reader();
  return reader.push(bytes) + reader.end();
}

/** A source read from bytes. */
function sourceOf(name: string, file: string | undefined, bytes: Buffer): Source {
  const text = textOf(bytes);
  const { entries, errors } = readStream(text, name);
  return { name, file, bytes, text, readErrors: [], errors, entries };
}

/** A source that could not be read. */
function unreadable(name: string, message: string): Source {
  return { name, text: '', readErrors: [{ file: name, line: 0, column: 0, message }], errors: [], entries: [] };
}

/** The path segments of an object's path in its document ('' or `items[i]`). */
function segments(path: string): PathSegment[] {
  return path === '' ? [] : splitPath(path) ?? [];
}

/** Offsets at which the lines of a text start. */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/**
 * The value `ops` make of `value` (a copy): what jsonDiff's operations mean, applied to
 * plain JSON (for JSON inputs, and to check a diff). Values are changed first, then the
 * lists' items removed and inserted, the deepest lists first, so that every path keeps
 * meaning what it meant in the original.
 */
export function applyJsonOps(value: unknown, ops: readonly EditOp[]): unknown {
  const root = { v: JSON.parse(JSON.stringify(value)) };
  const valueAt = (path: readonly PathSegment[]): any => path.reduce((cur: any, s) => cur?.[s], root.v);
  const lists = new Map<string, { path: PathSegment[]; removes: Set<number>; inserts: { before?: number; value: unknown }[] }>();
  const listOf = (path: PathSegment[]) => {
    const key = JSON.stringify(path);
    let l = lists.get(key);
    if (!l) lists.set(key, l = { path, removes: new Set(), inserts: [] });
    return l;
  };
  for (const op of ops) {
    if (op.kind === 'set' || op.kind === 'add') {
      if (op.path.length === 0) {
        root.v = op.value;
        continue;
      }
      valueAt(op.path.slice(0, -1))[op.path[op.path.length - 1]] = JSON.parse(JSON.stringify(op.value));
    } else if (op.kind === 'insert') {
      listOf(op.path).inserts.push({ before: op.before, value: op.value });
    } else {
      const parentPath = op.path.slice(0, -1);
      const last = op.path[op.path.length - 1];
      if (typeof last === 'number') listOf(parentPath).removes.add(last);
      else delete valueAt(parentPath)[last];
    }
  }
  for (const l of [...lists.values()].sort((x, y) => y.path.length - x.path.length)) {
    const list = valueAt(l.path) as unknown[];
    const out: unknown[] = [];
    for (let i = 0; i <= list.length; i++) {
      for (const ins of l.inserts) if ((ins.before ?? list.length) === i) out.push(ins.value);
      if (i < list.length && !l.removes.has(i)) out.push(list[i]);
    }
    if (l.path.length === 0) root.v = out;
    else valueAt(l.path.slice(0, -1))[l.path[l.path.length - 1]] = out;
  }
  return root.v;
}

/** The indentation of a JSON text, for JSON.stringify: undefined when it is on one line. */
function jsonIndent(text: string): string | number | undefined {
  if (!text.includes('\n')) return undefined;
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return 2;
  return m[1].startsWith('\t') ? '\t' : Math.min(10, m[1].length);
}

/** The operations of a document: each changed object's diff, under the object's path in it. */
function documentOps(entries: Entry[]): EditOp[] {
  const ops: EditOp[] = [];
  for (const e of entries) {
    const prefix = segments(e.path);
    for (const op of jsonDiff(e.value, e.fixed)) ops.push({ ...op, path: [...prefix, ...op.path] } as EditOp);
  }
  return ops;
}

/**
 * The source's text with its changed documents edited, or a RewriteError saying why it
 * cannot be rewritten faithfully.
 */
function rewrite(source: Source): string {
  const bytes = source.bytes!;
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!Buffer.from((hasBom ? UTF8_BOM : '') + source.text, 'utf8').equals(bytes)) {
    throw new RewriteError('the file is not plain UTF-8 (another encoding, or invalid bytes), so writing it again would change more than the fix');
  }
  let text = source.text;
  let crlf = false;
  if (text.includes('\r')) {
    const lf = text.replace(/\r\n/g, '\n');
    if (lf.includes('\r') || (text.match(/\n/g) ?? []).length !== (text.match(/\r\n/g) ?? []).length) {
      throw new RewriteError('the file mixes line ends (CRLF and LF, or lone CR)');
    }
    text = lf;
    crlf = true;
  }
  const { docs, entries } = readStream(text, source.name);
  if (entries.length !== source.entries.length || entries.some((e, i) => !jsonEqual(e.value, source.entries[i].value))) {
    throw new RewriteError('the file reads differently once its line ends are normalized');
  }
  entries.forEach((e, i) => {
    e.fixed = source.entries[i].fixed;
  });
  const kinds = new Set(docs.map((d) => d.kind));
  if (kinds.size > 1) throw new RewriteError('the file holds JSON and YAML documents together');
  const starts = lineStarts(text);
  const byDoc = new Map<number, Entry[]>();
  for (const e of entries) {
    if (jsonEqual(e.value, e.fixed)) continue;
    const list = byDoc.get(e.doc) ?? [];
    list.push(e);
    byDoc.set(e.doc, list);
  }
  // the documents' replacements, from the last to the first
  const replacements: { start: number; end: number; text: string }[] = [];
  for (const [index, list] of byDoc) {
    const doc = docs[index];
    if (doc.kind === 'json') {
      const start = starts[doc.startLine - 1] + doc.startColumn! - 1;
      if (text.slice(start, start + doc.text.length) !== doc.text) throw new RewriteError('a JSON value is not where the stream cut it');
      let theirs: unknown;
      try {
        theirs = JSON.parse(doc.text);
      } catch {
        throw new RewriteError('JSON.parse cannot read the value');
      }
      if (!jsonEqual(theirs, doc.parsed.value)) throw new RewriteError('JSON.parse reads the value differently from kubectl');
      const fixed = applyJsonOps(doc.parsed.value, documentOps(list));
      replacements.push({ start, end: start + doc.text.length, text: JSON.stringify(fixed, null, jsonIndent(doc.text)) });
      continue;
    }
    const lineCount = (doc.text.match(/\n/g) ?? []).length;
    const start = starts[doc.startLine - 1];
    const endLine = doc.startLine - 1 + lineCount;
    const end = endLine < starts.length ? starts[endLine] : text.length;
    const original = text.slice(start, end);
    const missingNewline = original + '\n' === doc.text;
    if (original !== doc.text && !missingNewline) throw new RewriteError('a document is not where the stream cut it');
    const theirs = readWithYamlLibrary(doc.text);
    if (theirs.error !== undefined) throw new RewriteError(theirs.error);
    if (!jsonEqual(theirs.value, doc.parsed.value)) {
      throw new RewriteError('the YAML library reads the document differently from kubectl (YAML 1.1 and 1.2 differ on some values), so an edit could change its meaning');
    }
    let edited = editYamlDocument(doc.text, documentOps(list));
    if (missingNewline && edited.endsWith('\n')) edited = edited.slice(0, -1);
    replacements.push({ start, end, text: edited });
  }
  replacements.sort((a, b) => b.start - a.start);
  for (const r of replacements) text = text.slice(0, r.start) + r.text + text.slice(r.end);
  if (crlf) text = text.replace(/\n/g, '\r\n');
  // the authority: the edited file must decode to exactly the fixed objects
  const decoded = decodeManifestStream(Buffer.from((hasBom ? UTF8_BOM : '') + text, 'utf8'));
  const objects = decoded.flatMap((d) => d.objects);
  const errors = decoded.flatMap((d) => d.errors);
  if (errors.length > 0 || objects.length !== source.entries.length || objects.some((o, i) => !jsonEqual(o.value, source.entries[i].fixed))) {
    throw new RewriteError('the edited text would not decode to exactly the fixed objects');
  }
  return text;
}

/** The key of a finding of an object, to find a declined fix's reason for it. */
function findingKey(file: string, object: ObjectRef, ruleId: string, path: string): string {
  return [file, object.kind, object.namespace ?? '', object.name ?? '', ruleId, path].join('\u0000');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `file:line` (just `file` when the line is unknown). */
function located(file: string, line: number): string {
  return line > 0 ? `${printable(file)}:${line}` : printable(file);
}

/** Runs `fix`; returns the exit code. Throws UsageError for usage problems. */
export async function fixCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, FIX_FLAGS, 'fix');
  const write = parsed.flags.get('write') === true;
  const dryRun = parsed.flags.get('dry-run') === true;
  const output = stringFlag(parsed, 'output');
  const format = (stringFlag(parsed, 'format') ?? 'text') as typeof FORMATS[number];
  if (output === '') throw new UsageError('--output needs a file name', 'fix');
  if (write && output !== undefined) throw new UsageError('--write rewrites the files in place and --output writes one result elsewhere: give one of them', 'fix');
  if (format === 'json' && !write && output === undefined && !dryRun) {
    throw new UsageError('--format json needs --write, --output or --dry-run: without them, standard output carries the fixed manifests', 'fix');
  }
  const excluded = listFlag(parsed, 'exclude-namespace', 'fix');
  const setup = engineSetup(parsed, io, 'fix', excluded.length > 0 ? { excludeNamespaces: excluded } : {});
  if (setup === undefined) return EXIT_ERROR;
  const inputs = inputsOf(parsed, io, 'fix', 'fix');
  if (write && !dryRun && inputs.paths.includes(STDIN_FILE)) {
    throw new UsageError('--write rewrites files in place, and standard input is not a file: leave --write out to print the result, or give --output', 'fix');
  }
  const engine = new Engine(setup.options);
  const rules = ruleSelection(listFlag(parsed, 'rule', 'fix'), engine);

  // read every input as check reads it
  const max = engine._setup().maxInputBytes;
  const sources: Source[] = [];
  for (const p of inputs.paths) {
    if (p === STDIN_FILE) {
      const read = await readStdin(io.stdin, max);
      sources.push(read.bytes ? sourceOf(inputs.stdinName, undefined, read.bytes) : unreadable(inputs.stdinName, read.error!));
      continue;
    }
    for (const input of selectInputs(p)) {
      if (input.kind === 'skipped') continue;
      if (input.kind === 'error') {
        sources.push(unreadable(input.path, input.message));
        continue;
      }
      const read = readLimited(input.path, max);
      sources.push(read.bytes ? sourceOf(input.path, input.path, read.bytes) : unreadable(input.path, read.error!));
    }
  }
  if (output !== undefined && sources.length !== 1) {
    throw new UsageError(`--output writes the result of one input, and ${plural(sources.length, 'file')} were given: use --write to rewrite several files in place`, 'fix');
  }

  // fix every object, then rewrite the files whose objects changed
  const all = sources.flatMap((s) => s.entries);
  const fixedReport = engine.fixObjects(all.map((e) => e.value), rules ? { rules } : {});
  fixedReport.objects.forEach((o, i) => {
    Object.assign(all[i], { fixed: o.fixed, changes: o.changes, declined: o.declined, object: o.object });
  });
  for (const s of sources) {
    if (s.errors.length > 0) {
      // never rewritten, whether or not its objects needed fixing: what kubectl refuses is not guessed at
      s.refused = {
        line: s.errors[0].line,
        reason: `the file does not decode as Kubernetes manifests (${plural(s.errors.length, 'input error')}; a template, such as Helm's {{ }}, is fixed in its rendered output)`,
      };
      continue;
    }
    const changed = s.entries.filter((e) => !jsonEqual(e.value, e.fixed));
    if (changed.length === 0) continue;
    const { docs } = readStream(s.text, s.name);
    const line = lineOf(docs, changed[0], '');
    try {
      s.rewritten = rewrite(s);
    } catch (e) {
      if (!(e instanceof RewriteError)) throw e;
      s.refused = { line, reason: e.message };
    }
  }

  // the report of what the manifests are now: the fixed text, or the text left as it was
  const session = engine.newSession();
  for (const s of sources) {
    if (s.readErrors.length > 0) s.readErrors.forEach((e) => session.addError(e));
    else session.addText(s.rewritten ?? s.text, s.name);
  }
  const toStdout = !write && output === undefined && !dryRun;
  const log = (text: string) => (toStdout || dryRun || format === 'json' ? io.stderr : io.stdout).write(text);
  const report = withEmptyInputError(session.report(), inputs);

  // write, print or show the results
  let writeFailed = false;
  const diffs: { file: string; diff: string }[] = [];
  if (dryRun) {
    for (const s of sources) {
      if (s.rewritten === undefined) continue;
      const diff = unifiedDiff(s.text, s.rewritten, printable(s.name), printable(s.name));
      diffs.push({ file: s.name, diff });
      if (format === 'text') io.stdout.write(diff);
    }
  } else if (write) {
    for (const s of sources) {
      if (s.rewritten === undefined || s.file === undefined) continue;
      writeFailed = !writeText(s.file, s, io) || writeFailed;
    }
  } else if (output !== undefined) {
    const s = sources[0];
    if (s.readErrors.length === 0 && s.refused === undefined && s.errors.length === 0) writeFailed = !writeText(output, s, io);
  } else {
    // standard output: the fixed stream (never the text of an input left untouched because of a problem)
    const clean = sources.filter((s) => s.readErrors.length === 0 && s.refused === undefined && s.errors.length === 0);
    const parts = clean.map((s) => s.rewritten ?? s.text);
    io.stdout.write(parts.map((t) => (t === '' || t.endsWith('\n') ? t : `${t}\n`)).join('---\n'));
  }

  const result = summarize(sources, report, rules, engine);
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ ...result.json, ...(dryRun ? { diffs } : {}) }, null, 2)}\n`);
  } else {
    log(result.text);
    const done = dryRun ? 'would be rewritten' : write || output !== undefined ? 'rewritten' : 'printed fixed';
    log(`kubeharden fix: ${plural(result.changes, 'change')} in ${plural(result.objects, 'object')}, ${plural(result.files, 'file')} ${done}; `
      + `${plural(result.remaining, 'finding')} left (${result.declined} declined, ${result.remaining - result.declined} without a fix applied); `
      + `${plural(report.errors.length + result.refused, 'error')}\n`);
  }
  if (report.errors.length > 0 || result.refused > 0 || writeFailed) return EXIT_ERROR;
  return Reports.hasFindingsAtOrAbove(report, setup.failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** The rules whose fixes to apply (--rule), checked: each must exist, have a fix and be run by the engine. */
function ruleSelection(ids: string[], engine: Engine): string[] | undefined {
  if (ids.length === 0) return undefined;
  const catalog = new Map(Rules.metadata().map((m) => [m.id, m]));
  const running = new Map(engine.rules.map((r) => [r.metadata.id, r]));
  for (const id of ids) {
    if (!catalog.has(id)) {
      const hint = [...catalog.keys()].find((k) => k.includes(id) || id.includes(k));
      throw new UsageError(`unknown rule "${printable(id)}" for --rule${hint ? `; did you mean ${hint}?` : ''}`, 'fix');
    }
    const rule = running.get(id);
    if (rule === undefined) throw new UsageError(`rule ${id} is not run with this profile and configuration, so it has nothing to fix`, 'fix');
    if (fixOf(rule) === undefined) throw new UsageError(`rule ${id} has no fix (kubeharden rules --format json shows which rules are fixable)`, 'fix');
  }
  return ids;
}

/** Writes a source's result (the rewritten text, or the text as it was), as UTF-8 with its byte-order mark if it had one. */
function writeText(file: string, s: Source, io: CliIo): boolean {
  const bytes = s.bytes!;
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    if (s.rewritten === undefined) fs.writeFileSync(file, bytes);
    else fs.writeFileSync(file, (hasBom ? UTF8_BOM : '') + s.rewritten, 'utf8');
    return true;
  } catch (e) {
    io.stderr.write(`kubeharden: cannot write ${printable(file)}: ${errorDetail(e)}\n`);
    return false;
  }
}

/** What the run did: the text lines, the JSON document, and the counts. */
function summarize(sources: Source[], report: Report, rules: string[] | undefined, engine: Engine) {
  const lines: string[] = [];
  const declinedReasons = new Map<string, string>();
  const changedObjects: unknown[] = [];
  let changes = 0;
  let objects = 0;
  let files = 0;
  let refused = 0;
  for (const s of sources) {
    for (const e of s.readErrors) lines.push(`kubeharden: ${errorLine(e)}`);
    for (const e of s.entries) for (const d of e.declined) declinedReasons.set(findingKey(s.name, e.object!, d.ruleId, d.path), d.reason);
    if (s.refused) {
      refused++;
      lines.push(`kubeharden: ${located(s.name, s.refused.line)}: cannot rewrite faithfully: ${s.refused.reason}; the file is left untouched`);
      continue;
    }
    if (s.rewritten === undefined) continue;
    files++;
    const { docs, entries: now } = readStream(s.rewritten.replace(/\r\n/g, '\n'), s.name);
    s.entries.forEach((e, i) => {
      if (e.changes.length === 0 || jsonEqual(e.value, e.fixed)) return;
      objects++;
      const where = (p: string) => (now[i] ? lineOf(docs, now[i], p) : 0);
      const byLine = e.changes.map((c) => ({ c, line: where(c.path) })).sort((x, y) => x.line - y.line);
      for (const { c, line } of byLine) {
        changes++;
        lines.push(`${located(s.name, line)} ${objectLabel(e.object!)}: ${c.ruleId} ${printable(c.path)} — ${printable(c.summary)}`);
      }
      changedObjects.push({ file: s.name, line: where(''), object: e.object, changes: e.changes, declined: e.declined });
    });
  }
  const fixable = new Set(engine.rules.filter((r) => fixOf(r) !== undefined).map((r) => r.metadata.id));
  const selected = rules ? new Set(rules) : undefined;
  const untouched = new Set(sources.filter((s) => s.refused !== undefined).map((s) => s.name));
  const remaining: unknown[] = [];
  let declined = 0;
  for (const f of report.findings) {
    if (f.suppressed) continue;
    const reason = declinedReasons.get(findingKey(f.file, f.object, f.ruleId, f.path));
    let why: string;
    if (untouched.has(f.file) && fixable.has(f.ruleId)) why = 'the file is left untouched';
    else if (reason !== undefined) why = `fix declined: ${reason}`;
    else if (!fixable.has(f.ruleId)) why = 'the rule has no fix';
    else if (selected && !selected.has(f.ruleId)) why = 'its fix was not selected (--rule)';
    else why = 'no fix applies to it';
    if (why.startsWith('fix declined')) declined++;
    lines.push(`${located(f.file, f.line)} ${objectLabel(f.object)}: ${f.ruleId} ${printable(f.path) || '(object)'} — not fixed (${f.severity}): ${printable(why)}`);
    remaining.push({ file: f.file, line: f.line, object: f.object, ruleId: f.ruleId, severity: f.severity, path: f.path, reason: why });
  }
  for (const e of report.errors) {
    if (sources.some((s) => s.readErrors.includes(e))) continue;
    lines.push(`kubeharden: ${errorLine(e)}`);
  }
  const json = {
    tool: report.tool,
    profile: report.profile,
    files: sources.map((s) => ({
      file: s.name,
      rewritten: s.rewritten !== undefined,
      ...(s.refused ? { line: s.refused.line, cannotRewrite: s.refused.reason } : {}),
    })),
    objects: changedObjects,
    remaining,
    errors: report.errors,
    summary: { changes, objects, files, remaining: remaining.length, declined, errors: report.errors.length + refused },
  };
  return { text: lines.length > 0 ? `${lines.join('\n')}\n` : '', json, changes, objects, files, remaining: remaining.length, declined, refused };
}
