/**
 * Editing YAML text in place for `kubeharden fix`: the changes a fix made to an object,
 * as set / add / insert / remove operations at JSON paths (jsonDiff), applied to the text
 * of one YAML document through the `yaml` package's document model (editYamlDocument).
 *
 * Every node of a parsed document knows where it is in the text, so an edit replaces only
 * the characters of the nodes it changes: a new key is a new line at the indentation of
 * its mapping's keys (or `, key: value` in a flow mapping), a removed key or item takes
 * its lines with it, a changed scalar keeps its quoting. Everything else (comments, key
 * order, quoting, blank lines, the document's own separators) stays byte for byte; a
 * comment inside removed text is kept on a line of its own.
 *
 * These functions do not decide whether an edit is right: the caller decodes the edited
 * text with kubeharden's own decoder and keeps it only when it gives exactly the fixed
 * objects. Anything they cannot do is a RewriteError, never a guess.
 */
import { isAlias, isMap, isScalar, isSeq, Node, Pair, parseAllDocuments, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { jsonEqual } from '../engine/fix-paths';
import { resolvePlain } from '../engine/input/resolve';
import { PathSegment } from '../engine/json-path';

/** Why a document cannot be edited (no input text in it). */
export class RewriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RewriteError';
  }
}

/** One change to a JSON value, at a path of the original value (indexes are the original's). */
export type EditOp =
  /** Replace the value at an existing path. */
  | { readonly kind: 'set'; readonly path: PathSegment[]; readonly value: unknown }
  /** Add a key (the last segment) to the mapping at the rest of the path. */
  | { readonly kind: 'add'; readonly path: PathSegment[]; readonly value: unknown }
  /** Insert an item into the sequence at the path, before its item `before` (at its end when undefined). */
  | { readonly kind: 'insert'; readonly path: PathSegment[]; readonly before?: number; readonly value: unknown }
  /** Remove the key or item at the path. */
  | { readonly kind: 'remove'; readonly path: PathSegment[] };

/**
 * How the `yaml` package reads YAML as kubectl's go-yaml v2 does, as far as it can: YAML
 * 1.1 (yes/no/on/off booleans, 0777 octals, `<<` merge keys), timestamps left as strings.
 * Where the two still differ, the caller sees that the readings differ and leaves the
 * document as it is.
 */
const YAML_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: any[]) => tags.filter((t) => t.tag !== 'tag:yaml.org,2002:timestamp'),
  uniqueKeys: true,
  prettyErrors: false,
};

function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * The operations that turn `a` into `b`: mappings key by key (removed, changed, added in
 * `b`'s order), sequences of the same length item by item, other sequences by a longest
 * common subsequence of equal items (what is left between two matches is changed item by
 * item, then removed or inserted). A mapping or sequence that becomes empty is set to
 * `{}` or `[]`, and one that was empty is set to its new value.
 */
export function jsonDiff(a: unknown, b: unknown, path: PathSegment[] = [], out: EditOp[] = []): EditOp[] {
  if (jsonEqual(a, b)) return out;
  if (!isNonEmptyCollection(a)) {
    // a scalar, `{}` or `[]` is replaced whole (several keys added to `{}` are one new mapping)
    out.push({ kind: 'set', path, value: b });
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const bKeys = Object.keys(b);
    if (bKeys.length === 0) {
      out.push({ kind: 'set', path, value: {} });
      return out;
    }
    for (const k of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(b, k)) out.push({ kind: 'remove', path: [...path, k] });
    for (const k of Object.keys(a)) if (Object.prototype.hasOwnProperty.call(b, k)) jsonDiff(a[k], b[k], [...path, k], out);
    for (const k of bKeys) if (!Object.prototype.hasOwnProperty.call(a, k)) out.push({ kind: 'add', path: [...path, k], value: b[k] });
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (b.length === 0) {
      out.push({ kind: 'set', path, value: [] });
      return out;
    }
    if (a.length === b.length) {
      for (let i = 0; i < a.length; i++) jsonDiff(a[i], b[i], [...path, i], out);
      return out;
    }
    diffSequences(a, b, path, out);
    return out;
  }
  out.push({ kind: 'set', path, value: b });
  return out;
}

/** Sequences of different lengths: matched by a longest common subsequence of equal items. */
function diffSequences(a: unknown[], b: unknown[], path: PathSegment[], out: EditOp[]): void {
  const n = a.length;
  const m = b.length;
  // lengths of the longest common subsequences of the suffixes (sequences in manifests are short)
  const table: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = jsonEqual(a[i], b[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const removes: EditOp[] = [];
  const inserts: EditOp[] = [];
  let i = 0;
  let j = 0;
  const gap = (toI: number, toJ: number) => {
    // what lies between two matches: changed pairwise, the rest removed or inserted
    while (i < toI && j < toJ) {
      jsonDiff(a[i], b[j], [...path, i], out);
      i++;
      j++;
    }
    while (i < toI) removes.push({ kind: 'remove', path: [...path, i++] });
    while (j < toJ) inserts.push({ kind: 'insert', path, ...(toI < n ? { before: toI } : {}), value: b[j++] });
  };
  while (i < n && j < m) {
    if (jsonEqual(a[i], b[j])) {
      i++;
      j++;
      continue;
    }
    // the next match along the longest common subsequence
    let ti = i;
    let tj = j;
    while (ti < n && tj < m && !jsonEqual(a[ti], b[tj])) {
      if (table[ti + 1][tj] >= table[ti][tj + 1]) ti++;
      else tj++;
    }
    gap(ti, tj);
  }
  gap(n, m);
  out.push(...removes, ...inserts);
}

/** The `yaml` package's reading of the first document of a text, or why it has none. */
export function readWithYamlLibrary(text: string): { value?: unknown; error?: string } {
  let docs;
  try {
    docs = parseAllDocuments(text, YAML_OPTIONS);
  } catch {
    return { error: 'the YAML library cannot read it' };
  }
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (doc === undefined) return { value: null };
  if (doc.errors.length > 0) return { error: `the YAML library cannot read it (${doc.errors[0].code})` };
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return { error: 'the YAML library cannot read it' };
  }
}

/** Whether a string may be written as a plain scalar: kubeharden's decoder and the `yaml` package both read it back as that string. */
function plainSafe(s: string): boolean {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(s)) return false;
  if (resolvePlain(s) !== s) return false;
  const read = readWithYamlLibrary(`${s}\n`);
  return read.value === s;
}

/** A string as a double-quoted scalar: JSON's escapes are YAML's, and the YAML 1.1 line breaks are escaped too. */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type ScalarStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | string | undefined;

/** A scalar's text; a string keeps the quoting `style` of the scalar it replaces when it can. */
function scalarText(v: unknown, style?: ScalarStyle): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RewriteError('a number that YAML cannot hold');
    return String(v);
  }
  if (typeof v !== 'string') throw new RewriteError('a value that is not JSON');
  if (style === 'QUOTE_DOUBLE') return doubleQuoted(v);
  // eslint-disable-next-line no-control-regex
  if (style === 'QUOTE_SINGLE' && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v)) return `'${v.replace(/'/g, '\'\'')}'`;
  return plainSafe(v) ? v : doubleQuoted(v);
}

function isNonEmptyCollection(v: unknown): boolean {
  return (Array.isArray(v) && v.length > 0) || (isPlainObject(v) && Object.keys(v).length > 0);
}

/** A value in flow style (`{a: 1, b: [x]}`). */
function flow(v: unknown, style?: ScalarStyle): string {
  if (Array.isArray(v)) return `[${v.map((x) => flow(x)).join(', ')}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).map((k) => `${scalarText(k)}: ${flow(v[k])}`).join(', ')}}`;
  return scalarText(v, style);
}

/** One parsed YAML document and what edits to it need to know. */
class DocumentEditor {
  private readonly doc: any;
  /** Start offsets of the flow collection entries removed so far. */
  private readonly removedFlowEntries = new Set<number>();
  /** Offsets at which the text's lines start. */
  private readonly lineStarts: number[] = [0];
  /** Characters that belong to a scalar (a `#` there starts no comment). */
  private readonly inScalar: Uint8Array;
  /** Indentation of a nested mapping's keys, and of a sequence's dashes under its key (the document's habits). */
  private readonly unit: number;
  private readonly seqIndent: number;

  constructor(private readonly text: string) {
    const docs = parseAllDocuments(text, YAML_OPTIONS);
    const doc = Array.isArray(docs) ? docs[0] : undefined;
    if (doc === undefined || doc.errors.length > 0) throw new RewriteError('the YAML library cannot read the document');
    this.doc = doc;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) this.lineStarts.push(i + 1);
    this.inScalar = new Uint8Array(text.length + 1);
    const units = new Map<number, number>();
    const seqs = new Map<number, number>();
    const visit = (node: unknown, depth: number): void => {
      if (depth > 200) return;
      if (isScalar(node)) {
        const r = (node as Scalar).range;
        if (r) this.inScalar.fill(1, r[0], r[1]);
        return;
      }
      if (isMap(node)) {
        for (const pair of (node as YAMLMap).items as Pair<unknown, unknown>[]) {
          visit(pair.key, depth + 1);
          visit(pair.value, depth + 1);
          const key = pair.key as Node | null;
          const value = pair.value as any;
          if (!key?.range || !value?.range || (node as YAMLMap).flow || value.flow) continue;
          if (isMap(value) && value.items.length > 0 && (value.items[0] as any).key?.range) {
            const d = this.column((value.items[0] as any).key.range[0]) - this.column(key.range[0]);
            if (d > 0) units.set(d, (units.get(d) ?? 0) + 1);
          } else if (isSeq(value) && value.items.length > 0) {
            const d = this.column(value.range[0]) - this.column(key.range[0]);
            if (d >= 0) seqs.set(d, (seqs.get(d) ?? 0) + 1);
          }
        }
        return;
      }
      if (isSeq(node)) for (const item of (node as YAMLSeq).items) visit(item, depth + 1);
    };
    visit(doc.contents, 0);
    this.unit = mostCommon(units) ?? 2;
    this.seqIndent = mostCommon(seqs) ?? this.unit;
  }

  /** The text with the operations applied. */
  public apply(ops: readonly EditOp[]): string {
    const edits: Edit[] = [];
    ops.forEach((op, seq) => {
      for (const e of this.editsOf(op)) edits.push({ ...e, seq });
    });
    // comments inside replaced or removed text are kept, each on a line of its own before it
    const kept: Edit[] = [];
    for (const e of edits) {
      const comments = this.commentsIn(e.start, e.end);
      if (comments.length === 0) continue;
      const lineStart = this.lineStart(e.start);
      const indent = /^[ \t]*/.exec(this.text.slice(lineStart))![0];
      kept.push({ start: lineStart, end: lineStart, text: comments.map((c) => `${indent}${c}\n`).join(''), seq: -1 });
    }
    return applyEdits(this.text, [...kept, ...edits]);
  }

  private editsOf(op: EditOp): Omit<Edit, 'seq'>[] {
    switch (op.kind) {
      case 'set': return this.set(op.path, op.value);
      case 'add': return this.add(op.path.slice(0, -1), String(op.path[op.path.length - 1]), op.value);
      case 'insert': return this.insert(op.path, op.before, op.value);
      default: return this.remove(op.path);
    }
  }

  // ---- positions ----

  private lineStart(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (this.lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return this.lineStarts[lo];
  }

  private column(pos: number): number {
    return pos - this.lineStart(pos);
  }

  /** Whether only spaces stand before `pos` on its line. */
  private firstOnLine(pos: number): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.lineStart(pos), pos));
  }

  /** The start of the line after the one `pos` ends on (`pos` itself when a line ends just before it). */
  private nextLine(pos: number): number {
    if (pos > 0 && this.text.charCodeAt(pos - 1) === 0x0a) return pos;
    const nl = this.text.indexOf('\n', pos);
    return nl < 0 ? this.text.length : nl + 1;
  }

  /** The end of a node's own text, without the line end a block collection's range takes in. */
  private endOf(node: any): number {
    const end = node.range[1];
    return end > node.range[0] && this.text.charCodeAt(end - 1) === 0x0a ? end - 1 : end;
  }

  /** The comments (from `#` to the end of the line) in text[start, end). */
  private commentsIn(start: number, end: number): string[] {
    const out: string[] = [];
    for (let i = start; i < end; i++) {
      if (this.inScalar[i] || this.text.charCodeAt(i) !== 0x23) continue;
      const before = i === 0 ? 0x0a : this.text.charCodeAt(i - 1);
      if (before !== 0x20 && before !== 0x09 && before !== 0x0a) continue;
      const nl = this.text.indexOf('\n', i);
      const eol = nl < 0 ? this.text.length : nl;
      out.push(this.text.slice(i, eol));
      i = eol;
    }
    return out;
  }

  // ---- finding nodes ----

  /** The node at a path, with what holds it. */
  private find(path: readonly PathSegment[]): { node: any; parent?: any; pair?: Pair<any, any>; index?: number } {
    let node: any = this.doc.contents;
    let parent: any;
    let pair: Pair<any, any> | undefined;
    let index: number | undefined;
    for (const seg of path) {
      if (isAlias(node)) throw new RewriteError('the change is under a YAML alias');
      if (isMap(node)) {
        const found = (node.items as Pair<any, any>[]).findIndex((p) => keyOf(p) === String(seg));
        if (found < 0) throw new RewriteError('a key the change needs is not written in the document (a merge key or alias holds it)');
        parent = node;
        pair = node.items[found] as Pair<any, any>;
        index = found;
        node = pair.value;
      } else if (isSeq(node)) {
        if (typeof seg !== 'number' || seg >= node.items.length) throw new RewriteError('a list item the change needs is not in the document');
        parent = node;
        pair = undefined;
        index = seg;
        node = node.items[seg];
      } else {
        throw new RewriteError('the path of the change does not lead through the document');
      }
    }
    if (isAlias(node)) throw new RewriteError('the change is under a YAML alias');
    return { node, parent, pair, index };
  }

  /** A node the edit replaces: it must be where the text says, and carry no anchor or tag (other nodes may share it). */
  private replaceable(node: any): void {
    if (!node || !node.range) throw new RewriteError('a value the change replaces has no place in the text');
    if (node.anchor || (node.tag && !isMap(node) && !isSeq(node))) throw new RewriteError('a value the change replaces carries a YAML anchor or tag');
  }

  // ---- rendering ----

  /** What follows `key:` in a block mapping whose key is at column `col`. */
  private afterKey(v: unknown, col: number): string {
    if (!isNonEmptyCollection(v)) return ` ${flow(v)}`;
    if (Array.isArray(v)) return `\n${this.blockLines(v, col + this.seqIndent)}`;
    return `\n${this.blockLines(v, col + this.unit)}`;
  }

  /** A non-empty collection in block style, every line at column `col`, without a final line end. */
  private blockLines(v: unknown, col: number): string {
    const pad = ' '.repeat(col);
    if (Array.isArray(v)) return v.map((item) => `${pad}-${this.itemText(item, col + 2)}`).join('\n');
    const o = v as { [key: string]: unknown };
    return Object.keys(o).map((k) => `${pad}${scalarText(k)}:${this.afterKey(o[k], col)}`).join('\n');
  }

  /** What follows a sequence's `-`, the item's content at column `col`. */
  private itemText(v: unknown, col: number): string {
    if (isPlainObject(v) && Object.keys(v).length > 0) return ` ${this.blockLines(v, col).slice(col)}`;
    return ` ${flow(v)}`;
  }

  // ---- the operations ----

  private set(path: PathSegment[], value: unknown): Omit<Edit, 'seq'>[] {
    if (path.length === 0) throw new RewriteError('the change replaces the whole document');
    const { node, parent, pair } = this.find(path);
    this.replaceable(node);
    const range = node.range as [number, number, number];
    const block = (isMap(node) || isSeq(node)) && !(node as YAMLMap | YAMLSeq).flow;
    const style = isScalar(node) ? (node as Scalar).type : undefined;
    const inline = parent.flow || !isNonEmptyCollection(value);
    if (inline && !block) {
      // a scalar or flow value (or `{}`, `[]`) in place of a scalar or flow value: where it stands
      const start = range[0];
      const empty = range[1] === start;
      // an empty value (`key:`, `-`) gets a space after its indicator
      const space = empty && start > 0 && (this.text[start - 1] === ':' || this.text[start - 1] === '-') ? ' ' : '';
      return [{ start, end: range[1], text: space + flow(value, style) }];
    }
    if (pair) {
      // from the key's colon: on its line, after a comment there, or after the colon
      const keyEnd = pair.key.range[1];
      const keyCol = this.column(pair.key.range[0]);
      const between = this.text.slice(keyEnd, range[0]);
      const colon = /^[ \t]*:[ \t]*(#[^\n]*)?/.exec(between);
      const rest = colon ? between.slice(colon[0].length) : between;
      if (!colon || !(rest === '' || /^\n\s*$/.test(rest)) || (rest === '' && colon[1] !== undefined)) {
        throw new RewriteError('a value the change replaces is laid out in a way kubeharden does not edit');
      }
      if (colon[1] === undefined) {
        return [{ start: keyEnd, end: this.endOf(node), text: inline ? `: ${flow(value)}` : `:${this.afterKey(value, keyCol)}` }];
      }
      // a comment after the colon stays there, and the value goes on the next lines
      const start = keyEnd + colon[0].length;
      return [{ start, end: this.endOf(node), text: inline ? `\n${' '.repeat(keyCol + this.unit)}${flow(value)}` : this.afterKey(value, keyCol) }];
    }
    if (inline) return [{ start: range[0], end: this.endOf(node), text: flow(value) }];
    // an item of a block sequence
    const col = this.column(range[0]);
    if (block && !isMap(node)) throw new RewriteError('a list item the change replaces is laid out in a way kubeharden does not edit');
    return [{ start: range[0], end: this.endOf(node), text: this.itemText(value, col).slice(1) }];
  }

  private add(mapPath: PathSegment[], key: string, value: unknown): Omit<Edit, 'seq'>[] {
    const { node } = this.find(mapPath);
    if (!isMap(node)) throw new RewriteError('the change adds a key to a value that is not a mapping in the document');
    const map = node as YAMLMap;
    const items = map.items as Pair<any, any>[];
    if (map.flow) {
      if (items.length === 0 || items.every((p) => p.key?.range && this.removedFlowEntries.has(p.key.range[0]))) {
        const open = map.range![0];
        if (this.text[open] !== '{') throw new RewriteError('a flow mapping without its brace');
        return [{ start: open + 1, end: open + 1, text: `${scalarText(key)}: ${flow(value)}` }];
      }
      const last = items[items.length - 1];
      const end = (last.value ?? last.key)?.range?.[1];
      if (end === undefined) throw new RewriteError('a flow mapping entry without a place in the text');
      return [{ start: end, end, text: `, ${scalarText(key)}: ${flow(value)}` }];
    }
    const first = items[0]?.key;
    const last = items[items.length - 1];
    const lastNode = last?.value ?? last?.key;
    if (!first?.range || !lastNode?.range) throw new RewriteError('a mapping without a place in the text');
    const col = this.column(first.range[0]);
    const at = this.nextLine(lastNode.range[1]);
    const newline = at > 0 && this.text.charCodeAt(at - 1) !== 0x0a ? '\n' : '';
    return [{ start: at, end: at, text: `${newline}${this.blockLines({ [key]: value }, col)}\n` }];
  }

  /** Where the `-` of a block sequence's item is. */
  private dashOf(item: any): number {
    let i = item.range[0] - 1;
    while (i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t' || this.text[i] === '\n')) i--;
    if (i < 0 || this.text[i] !== '-' || !this.firstOnLine(i)) throw new RewriteError('a list item is laid out in a way kubeharden does not edit');
    return i;
  }

  private insert(seqPath: PathSegment[], before: number | undefined, value: unknown): Omit<Edit, 'seq'>[] {
    const { node } = this.find(seqPath);
    if (!isSeq(node)) throw new RewriteError('the change inserts an item into a value that is not a list in the document');
    const seq = node as YAMLSeq;
    const items = seq.items as any[];
    if (seq.flow) {
      if (before !== undefined) {
        const at = items[before].range[0];
        return [{ start: at, end: at, text: `${flow(value)}, ` }];
      }
      if (items.length === 0) {
        const open = seq.range![0];
        if (this.text[open] !== '[') throw new RewriteError('a flow sequence without its bracket');
        return [{ start: open + 1, end: open + 1, text: flow(value) }];
      }
      const end = items[items.length - 1].range[1];
      return [{ start: end, end, text: `, ${flow(value)}` }];
    }
    const dash = seq.range![0];
    if (this.text[dash] !== '-' || !this.firstOnLine(dash)) throw new RewriteError('a list is laid out in a way kubeharden does not edit');
    const col = this.column(dash);
    const line = `${' '.repeat(col)}-${this.itemText(value, col + 2)}\n`;
    if (before !== undefined) {
      const at = this.lineStart(this.dashOf(items[before]));
      return [{ start: at, end: at, text: line }];
    }
    const at = this.nextLine(items[items.length - 1].range[1]);
    const newline = at > 0 && this.text.charCodeAt(at - 1) !== 0x0a ? '\n' : '';
    return [{ start: at, end: at, text: newline + line }];
  }

  private remove(path: PathSegment[]): Omit<Edit, 'seq'>[] {
    if (path.length === 0) throw new RewriteError('the change removes the whole document');
    const { node: parent } = this.find(path.slice(0, -1));
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const items = (parent as YAMLMap).items as Pair<any, any>[];
      const j = items.findIndex((p) => keyOf(p) === String(last));
      if (j < 0) throw new RewriteError('a key the change removes is not written in the document');
      const pair = items[j];
      const end = (pair.value ?? pair.key)?.range?.[1];
      if (!pair.key?.range || end === undefined) throw new RewriteError('a key without a place in the text');
      if (pair.value) this.replaceable(pair.value);
      if ((parent as YAMLMap).flow) return this.removeFlow(items.map((p) => [p.key.range[0], (p.value ?? p.key).range[1]]), j);
      const start = pair.key.range[0];
      if (this.firstOnLine(start)) return [{ start: this.lineStart(start), end: this.nextLine(end), text: '' }];
      // the first key of a list item, on the dash's line: the next key moves up
      if (j + 1 < items.length && items[j + 1].key?.range) return [{ start, end: items[j + 1].key.range[0], text: '' }];
      throw new RewriteError('a key the change removes is laid out in a way kubeharden does not edit');
    }
    if (isSeq(parent)) {
      const items = (parent as YAMLSeq).items as any[];
      if (typeof last !== 'number' || last >= items.length || !items[last]?.range) throw new RewriteError('a list item the change removes is not in the document');
      this.replaceable(items[last]);
      if ((parent as YAMLSeq).flow) return this.removeFlow(items.map((it) => [it.range[0], it.range[1]]), last);
      const dash = this.dashOf(items[last]);
      return [{ start: this.lineStart(dash), end: this.nextLine(items[last].range[1]), text: '' }];
    }
    throw new RewriteError('the path of the change does not lead through the document');
  }

  /** Removes entry j of a flow collection (entries as [start, end] offsets), with one comma. */
  private removeFlow(entries: number[][], j: number): Omit<Edit, 'seq'>[] {
    // the only entry left: its own text goes (an entry added after it then opens the collection)
    const remaining = entries.filter((e, k) => k === j || !this.removedFlowEntries.has(e[0]));
    this.removedFlowEntries.add(entries[j][0]);
    if (remaining.length === 1) {
      if (this.commentsIn(entries[j][0], entries[j][1]).length > 0) throw new RewriteError('a comment inside a flow collection would be lost');
      return [{ start: entries[j][0], end: entries[j][1], text: '' }];
    }
    const [start, end] = j + 1 < entries.length ? [entries[j][0], entries[j + 1][0]] : [entries[j - 1][1], entries[j][1]];
    if (this.commentsIn(start, end).length > 0) throw new RewriteError('a comment inside a flow collection would be lost');
    return [{ start, end, text: '' }];
  }
}

/** A text edit: text[start, end) becomes `text`; `seq` orders insertions at one place. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly seq: number;
}

/** Applies non-overlapping edits; insertions at one place go in `seq` order, before a replacement that starts there. */
function applyEdits(text: string, edits: Edit[]): string {
  const sorted = edits.slice().sort((x, y) => x.start - y.start || (x.end - x.start) - (y.end - y.start) || x.seq - y.seq);
  const merged: { start: number; end: number; text: string }[] = [];
  for (const e of sorted) {
    const prev = merged[merged.length - 1];
    if (prev && prev.start === e.start && prev.end === prev.start) {
      prev.end = e.end;
      prev.text += e.text;
      continue;
    }
    if (prev && e.start < prev.end) throw new RewriteError('two changes overlap in the text');
    merged.push({ start: e.start, end: e.end, text: e.text });
  }
  let out = text;
  for (let k = merged.length - 1; k >= 0; k--) {
    const e = merged[k];
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

function keyOf(pair: Pair<any, any>): string | undefined {
  const key = pair.key;
  if (!isScalar(key)) return undefined;
  const v = (key as Scalar).value;
  return v === null || v === undefined ? undefined : String(v);
}

function mostCommon(counts: Map<number, number>): number | undefined {
  let best: number | undefined;
  let n = 0;
  for (const [value, count] of counts) {
    if (count > n) {
      best = value;
      n = count;
    }
  }
  return best;
}

/**
 * The text of one YAML document with the operations applied (paths from the document's
 * root). Throws RewriteError when the document cannot be edited that way.
 */
export function editYamlDocument(text: string, ops: readonly EditOp[]): string {
  if (ops.length === 0) return text;
  return new DocumentEditor(text).apply(ops);
}
