import {
  constructFromEvents, EVENT_ID, Event, getScalarValue, parseEvents, Schema, SCALAR_STYLE, NOT_RESOLVED,
  strTag, seqTag, mapTag, nullYaml11Tag, boolYaml11Tag, intYaml11Tag, floatYaml11Tag, mergeTag,
} from 'js-yaml';

/** The tags of {@link KUBERNETES_YAML_SCHEMA}, in the order the schema tries them. */
const KUBERNETES_YAML_TAGS = [strTag, seqTag, mapTag, nullYaml11Tag, boolYaml11Tag, intYaml11Tag, floatYaml11Tag, mergeTag];

/**
 * The scalar resolution Kubernetes applies to YAML manifests (sigs.k8s.io/yaml on
 * go-yaml v2, YAML 1.1): `yes`/`on` are booleans, merge keys work, timestamps stay strings.
 */
export const KUBERNETES_YAML_SCHEMA = new Schema(KUBERNETES_YAML_TAGS);

/** Nesting deeper than this is refused (a YAML "depth bomb"). */
const MAX_DEPTH = 1000;

/** A problem at a position in a document. */
export interface DocumentError {
  /** 0-based offset into the document text. */
  readonly offset: number;
  readonly message: string;
}

/** One parsed YAML document: its value and a way to locate paths in its source. */
export interface ParsedDocument {
  readonly value?: unknown;
  readonly error?: DocumentError;
  /** Offset of the node at the path (or of its nearest existing ancestor). */
  locate(path: string): number;
}

/**
 * Parses one YAML (or JSON) document. Never throws.
 */
export function parseDocument(text: string): ParsedDocument {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch (e) {
    return failed(e, text);
  }
  const index = new EventIndex(events);
  let values: unknown[];
  try {
    values = construct(events, text, index);
  } catch (e) {
    return failed(e, text);
  }
  const locator = new Locator(index, text, 0, events.length, 0);
  if (values.length > 1) {
    return { value: values[0], error: { offset: locator.documentStart(1), message: 'unexpected second document in one document' }, locate: (p) => locator.locate(p) };
  }
  return finish(values[0], locator, text);
}

/**
 * Parses consecutive documents of one stream (as a document splitter cut them) at
 * once: one parser run for the whole batch instead of one per document, which is much
 * cheaper on streams of many small documents. The result is the same as calling
 * {@link parseDocument} on each text: when the batch does not parse as exactly these
 * documents (a malformed one, a limit reached), each text is parsed on its own.
 * Never throws.
 */
export function parseDocuments(texts: readonly string[]): ParsedDocument[] {
  if (texts.length === 1) return [parseDocument(texts[0])];
  if (texts.length === 0) return [];
  const source = texts.join('');
  let events: Event[];
  let values: unknown[];
  let index: EventIndex;
  try {
    events = parseEvents(source, { maxDepth: MAX_DEPTH });
    index = new EventIndex(events);
    values = construct(events, source, index);
  } catch {
    return texts.map(parseDocument);
  }
  if (values.length !== texts.length) return texts.map(parseDocument);
  // where each document's events start, checked against where each text starts
  const starts: number[] = [];
  let base = 0;
  for (let i = 0; i < events.length; i++) {
    if (events[i].type !== EVENT_ID.DOCUMENT) continue;
    const d = starts.length;
    const root = nodeOffset(events[i + 1]);
    if (d >= texts.length || root === undefined || root < base || root >= base + texts[d].length) {
      return texts.map(parseDocument);
    }
    starts.push(i);
    base += texts[d].length;
  }
  if (starts.length !== texts.length) return texts.map(parseDocument);
  const out: ParsedDocument[] = new Array(texts.length);
  base = 0;
  for (let d = 0; d < texts.length; d++) {
    const to = d + 1 < starts.length ? starts[d + 1] : events.length;
    out[d] = finish(values[d], new Locator(index, source, starts[d], to, base), texts[d]);
    base += texts[d].length;
  }
  return out;
}

/**
 * The documents of a parsed event stream, as js-yaml's `constructFromEvents` builds them
 * with {@link KUBERNETES_YAML_SCHEMA}. Manifests are almost always made of untagged
 * scalars, mappings with plain keys and sequences: those are built by
 * {@link constructPlain}, a loop made for them (it does in about 60 % of the time what
 * the general constructor does, which handles every tag, anchor and merge key). Anything
 * else goes to js-yaml's constructor, which then decides, and throws where YAML says so.
 * @internal
 */
export function construct(events: Event[], source: string, index?: EventIndex): unknown[] {
  return constructPlain(events, source, index) ?? constructFromEvents(events, { source, schema: KUBERNETES_YAML_SCHEMA });
}

type Resolve = (source: string, isExplicit: boolean, tagName: string) => unknown;

/** For each character code below 128, the implicit tags a plain scalar starting with it may have (null: none, it is a string). */
const IMPLICIT_BY_FIRST_CHAR: (readonly { resolve: Resolve; tagName: string }[] | null)[] = [];
/** The implicit tags of a plain scalar starting with a character at or above 128. */
let IMPLICIT_ANY_CHAR: readonly { resolve: Resolve; tagName: string }[] = [];
/** The implicit tags of the empty plain scalar. */
let IMPLICIT_EMPTY: readonly { resolve: Resolve; tagName: string }[] = [];
{
  const implicit = KUBERNETES_YAML_TAGS.filter((t) => t.nodeKind === 'scalar' && t.implicit) as unknown as
    { resolve: Resolve; tagName: string; implicitFirstChars: string[] | null }[];
  const forChar = (c: string) => implicit.filter((t) => t.implicitFirstChars === null || t.implicitFirstChars.includes(c));
  for (let code = 0; code < 128; code++) {
    const tags = forChar(String.fromCharCode(code));
    IMPLICIT_BY_FIRST_CHAR.push(tags.length > 0 ? tags : null);
  }
  IMPLICIT_ANY_CHAR = implicit.filter((t) => t.implicitFirstChars === null);
  IMPLICIT_EMPTY = forChar('');
}

/** The value of a plain (unquoted, untagged) scalar, resolved as the schema does. */
function resolvePlain(text: string): unknown {
  const code = text.length === 0 ? -1 : text.charCodeAt(0);
  const tags = code < 0 ? IMPLICIT_EMPTY : code < 128 ? IMPLICIT_BY_FIRST_CHAR[code] : IMPLICIT_ANY_CHAR;
  if (tags === null) return text;
  for (let k = 0; k < tags.length; k++) {
    const value = tags[k].resolve(text, false, tags[k].tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return text;
}

const DOCUMENT_FRAME: unknown[] = [];

/**
 * Plain mapping keys seen before, by a hash of their length and a few of their
 * characters. Keys are few and repeat in every document; one already seen is taken
 * from here, checked against the source in place, instead of being cut out of the text
 * and looked up again as a property name. Only keys that resolve to themselves (strings)
 * are kept, as independent copies (never slices of a document's text).
 */
const KEY_CACHE: (string | undefined)[] = new Array(4096).fill(undefined);
const MAX_CACHED_KEY = 40;

/** The key `source[start..end)` (a fast plain scalar) when it is a string key; undefined when it is not one (then the caller resolves it). */
function cachedKey(source: string, start: number, end: number): string | undefined {
  const len = end - start;
  if (len <= 0 || len > MAX_CACHED_KEY) return undefined;
  const slot = (len * 131 + source.charCodeAt(start) * 31 + source.charCodeAt(end - 1) * 7 + source.charCodeAt(start + Math.floor(len / 2))) % 4096;
  const known = KEY_CACHE[slot];
  if (known !== undefined && known.length === len && source.startsWith(known, start)) return known;
  const text = source.slice(start, end);
  if (text === '<<' || resolvePlain(text) !== text) return undefined;
  const copy = (' ' + text).slice(1);
  KEY_CACHE[slot] = copy;
  return copy;
}

/**
 * Builds the documents of an event stream made only of untagged, unanchored scalars,
 * mappings and sequences, with distinct scalar keys; returns undefined as soon as it
 * meets anything else (a tag, an anchor, an alias, a merge key, a complex or repeated
 * key, a key that names a property every object inherits, a directive), without
 * deciding whether that is valid. The result is exactly `constructFromEvents`' with
 * {@link KUBERNETES_YAML_SCHEMA} (a test compares both over every fixture). When it
 * builds them, it also tells the index where each collection ends (it passes every
 * event anyway), so that locating paths later needs no pass of its own.
 * @internal
 */
export function constructPlain(events: Event[], source: string, index?: EventIndex): unknown[] | undefined {
  const documents: unknown[] = [];
  // the open collections, innermost last, with the events that opened them; for a
  // mapping, the key waiting for its value
  const stack: any[] = [];
  const keys: (string | undefined)[] = [];
  const opened: number[] = [];
  const n = events.length;
  const ends = index === undefined ? undefined : new Int32Array(n);
  let top: any = undefined;
  let key: string | undefined = undefined;
  let documentValue: unknown = undefined;
  for (let i = 0; i < n; i++) {
    const ev = events[i];
    let value: unknown;
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        if (ev.directives.length > 0 || top !== undefined) return undefined;
        top = DOCUMENT_FRAME;
        documentValue = undefined;
        opened.push(i);
        continue;
      case EVENT_ID.SCALAR: {
        if (ev.tagStart !== -1 || ev.anchorStart !== -1) return undefined;
        if (key === undefined && ev.fast && ev.style === SCALAR_STYLE.PLAIN && top !== DOCUMENT_FRAME && !Array.isArray(top)) {
          // a plain mapping key: most are the same few names (apiVersion, name, image...)
          value = cachedKey(source, ev.valueStart, ev.valueEnd);
          if (value !== undefined) break;
        }
        const text = ev.fast ? source.slice(ev.valueStart, ev.valueEnd) : getScalarValue(source, ev);
        if (ev.style === SCALAR_STYLE.PLAIN) {
          if (text === '<<') return undefined; // a merge key
          value = resolvePlain(text);
        } else {
          value = text;
        }
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (ev.tagStart !== -1 || ev.anchorStart !== -1 || top === undefined) return undefined;
        stack.push(top);
        keys.push(key);
        opened.push(i);
        top = ev.type === EVENT_ID.MAPPING ? {} : [];
        key = undefined;
        continue;
      case EVENT_ID.POP:
        if (top === undefined || key !== undefined) return undefined;
        if (ends !== undefined) ends[opened.pop()!] = i + 1;
        else opened.pop();
        if (top === DOCUMENT_FRAME) {
          documents.push(documentValue);
          top = undefined;
          continue;
        }
        value = top;
        top = stack.pop();
        key = keys.pop();
        break;
      default: // an alias
        return undefined;
    }
    if (top === DOCUMENT_FRAME) {
      documentValue = value;
    } else if (Array.isArray(top)) {
      top.push(value);
    } else if (key === undefined) {
      if (typeof value === 'object' && value !== null) return undefined; // a complex key
      key = typeof value === 'string' ? value : String(value);
    } else {
      // a repeated key, or one every object inherits (`constructor`, `__proto__`...)
      if (top[key] !== undefined) return undefined;
      top[key] = value;
      key = undefined;
    }
  }
  if (top !== undefined) return undefined;
  if (ends !== undefined) index!.setEnds(ends);
  return documents;
}

/**
 * Where each node of an event stream ends, shared by the documents of one batch:
 * filled by {@link constructPlain} while it builds them, or else computed in one pass
 * over the events, the first time a path is looked up. @internal
 */
export class EventIndex {
  /** For each collection's opening event, the index of the event after its end (0 elsewhere). */
  private ends?: Int32Array;
  /** Set when the plain constructor recorded the ends. */
  private plain = false;
  constructor(readonly events: Event[]) {}

  /** True when {@link constructPlain} built the documents (it recorded the ends): the stream has no alias. */
  get builtPlain(): boolean {
    return this.plain;
  }

  /** @internal */
  setEnds(ends: Int32Array): void {
    this.ends = ends;
    this.plain = true;
  }

  /** Index of the event after the node that starts at event `i`. */
  end(i: number): number {
    const ends = this.ends ?? this.computeEnds();
    const e = ends[i];
    return e === 0 ? i + 1 : e;
  }

  /** For each collection's opening event, the index of the event after its end; 0 for the other events (they end at the next one). */
  nodeEnds(): Int32Array {
    return this.ends ?? this.computeEnds();
  }

  private computeEnds(): Int32Array {
    const events = this.events;
    const ends = new Int32Array(events.length);
    const stack: number[] = [];
    for (let k = 0; k < events.length; k++) {
      const type = events[k].type;
      if (type === EVENT_ID.MAPPING || type === EVENT_ID.SEQUENCE || type === EVENT_ID.DOCUMENT) {
        stack.push(k);
      } else if (type === EVENT_ID.POP) {
        const open = stack.pop();
        if (open !== undefined) ends[open] = k + 1;
      }
    }
    for (const open of stack) ends[open] = events.length;
    this.ends = ends;
    return ends;
  }
}

function finish(value: unknown, locator: Locator, text: string): ParsedDocument {
  // an alias is written `*name`: without a `*` the document has none, and the plain
  // constructor builds only documents without one: no need to count them
  const aliasFree = locator.builtPlain || text.indexOf('*') < 0;
  const aliasError = aliasFree ? undefined : checkAliasExpansion(locator.aliasCount(), locator.eventCount(), value);
  if (aliasError) {
    return { error: { offset: locator.firstAliasOffset(), message: aliasError }, locate: (p) => locator.locate(p) };
  }
  return { value, locate: (p) => locator.locate(p) };
}

function failed(e: unknown, text: string): ParsedDocument {
  const mark = (e as any)?.mark;
  const reason = (e as any)?.reason;
  let offset = typeof mark?.position === 'number' ? mark.position : 0;
  let message = typeof reason === 'string' && reason.length > 0 ? reason : String((e as any)?.message ?? e).split('\n')[0];
  // The parser notices an unclosed `[` or `{` only where the document goes on without it
  // (often at its end, as "deficient indentation"): point at the bracket instead.
  const opener = unclosedFlowOpener(text, text.length);
  if (opener !== undefined && opener < offset) {
    const closer = text[opener] === '[' ? ']' : '}';
    message = `"${text[opener]}" is never closed with "${closer}" (the parser stopped further on: ${message})`;
    offset = opener;
  }
  return { error: { offset, message: `invalid YAML: ${message}` }, locate: () => offset };
}

/**
 * The offset of the innermost `[` or `{` still open at `end`, reading flow collections
 * the way YAML does: brackets inside quoted scalars and comments do not count, and a
 * bracket that is only part of a plain scalar (`a[0]`) does not open a collection.
 * Undefined when every collection is closed. Used only to explain a parse error.
 */
function unclosedFlowOpener(text: string, end: number): number | undefined {
  const stack: number[] = [];
  let quote = '';
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (quote !== '') {
      if (quote === '"' && c === '\\') {i++;} else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = '';
      }
      continue;
    }
    const prev = i === 0 ? '\n' : text[i - 1];
    const startsToken = prev === ' ' || prev === '\t' || prev === '\n' || prev === '\r' || prev === ':' || prev === ',' || prev === '[' || prev === '{' || prev === '-';
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n' || prev === '\r')) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) break;
      i = eol;
    } else if ((c === '"' || c === "'") && startsToken) {
      quote = c;
    } else if ((c === '[' || c === '{') && startsToken) {
      stack.push(i);
    } else if ((c === ']' || c === '}') && stack.length > 0) {
      stack.pop();
    }
  }
  return stack.length > 0 ? stack[stack.length - 1] : undefined;
}

/**
 * Aliases share nodes, so a small document can stand for an exponentially large one
 * (a "billion laughs" alias bomb). Kubernetes refuses such documents; so do we, by
 * counting the nodes the document expands to.
 */
function checkAliasExpansion(aliases: number, eventCount: number, value: unknown): string | undefined {
  if (aliases === 0) return undefined;
  const limit = Math.max(100_000, eventCount * 50);
  const memo = new Map<object, number>();
  const onPath = new Set<object>();
  const size = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (onPath.has(v)) return Infinity; // recursive alias
    onPath.add(v);
    let total = 1;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      total += size(c);
      if (total > limit) break;
    }
    onPath.delete(v);
    memo.set(v, total);
    return total;
  };
  const total = size(value);
  if (total > limit) {
    return `YAML aliases expand this document to more than ${limit} nodes (an alias bomb); refusing it`;
  }
  return undefined;
}

/**
 * Maps JSON paths to source offsets from the parser's events, only when asked: the
 * path's segments are followed down the event stream, jumping over the subtrees that
 * are not on the path (where each collection ends is computed once per document, on
 * the first lookup), so no per-document index of paths is ever built. The events are
 * `events[from..to)` of a source in which the document starts at offset `base`;
 * offsets returned are relative to the document.
 */
class Locator {
  private readonly events: Event[];
  /** The previous path looked up, and where each of its segments led: end in the path, event, offset. */
  private memoPath?: string;
  private memoCount = 0;
  private readonly memoEnds: number[] = [];
  private readonly memoIndex: number[] = [];
  private readonly memoOffset: number[] = [];
  constructor(
    private readonly index: EventIndex,
    private readonly source: string,
    private readonly from: number,
    private readonly to: number,
    private readonly base: number,
  ) {
    this.events = index.events;
  }

  /** Whether the plain constructor built the document (so it has no alias). */
  get builtPlain(): boolean {
    return this.index.builtPlain;
  }

  eventCount(): number {
    return this.to - this.from;
  }

  aliasCount(): number {
    let n = 0;
    for (let i = this.from; i < this.to; i++) if (this.events[i].type === EVENT_ID.ALIAS) n++;
    return n;
  }

  documentStart(n: number): number {
    let seen = 0;
    for (let i = this.from; i < this.to; i++) {
      if (this.events[i].type === EVENT_ID.DOCUMENT) {
        if (seen === n) return this.rel(nodeOffset(this.events[i + 1]) ?? this.base);
        seen++;
      }
    }
    return 0;
  }

  firstAliasOffset(): number {
    for (let i = this.from; i < this.to; i++) {
      const ev = this.events[i];
      if (ev.type === EVENT_ID.ALIAS) return this.rel(Math.max(0, ev.anchorStart - 1));
    }
    return 0;
  }

  locate(path: string): number {
    return this.rel(this.find(path));
  }

  private rel(offset: number): number {
    return Math.max(0, offset - this.base);
  }

  /**
   * Offset (in the source) of the path's node, or of its nearest existing ancestor.
   * The path is read in place (as `splitPath` reads it), without splitting it: paths are
   * many (one per finding) and mostly plain keys, which are compared to the source text
   * directly.
   */
  private find(path: string): number {
    const events = this.events;
    // the first document's root node
    let i = this.from;
    while (i < this.to && events[i].type !== EVENT_ID.DOCUMENT) i++;
    i++;
    if (i >= this.to) return this.base;
    const root = nodeOffset(events[i]) ?? this.base;
    let offset = root;
    const n = path.length;
    let p = 0;
    // Findings in one object share most of their paths (spec.template.spec.containers[0]...):
    // resume from the deepest segment the previous path resolved that this path shares.
    const ends = this.memoEnds;
    let keep = 0;
    if (this.memoPath !== undefined && this.memoCount > 0) {
      const last = this.memoPath;
      const m = Math.min(last.length, n);
      let same = 0;
      while (same < m && last.charCodeAt(same) === path.charCodeAt(same)) same++;
      for (let k = this.memoCount - 1; k >= 0; k--) {
        const e = ends[k];
        if (e > same) continue;
        const c = e === n ? -1 : path.charCodeAt(e);
        if (c === -1 || c === 0x2e || c === 0x5b) {
          p = e;
          i = this.memoIndex[k];
          offset = this.memoOffset[k];
          keep = k + 1;
          break;
        }
      }
    }
    this.memoCount = keep;
    this.memoPath = path;
    while (p < n) {
      const c = path.charCodeAt(p);
      if (c === 0x2e /* . */) {
        if (p === 0) return root; // not a path
        p++;
        continue;
      }
      let keyStart = -1;
      let keyEnd = -1;
      let key: string | undefined;
      let index = -1;
      if (c === 0x5b /* [ */) {
        if (path.charCodeAt(p + 1) === 0x22 /* " */) {
          let j = p + 2;
          while (j < n && path.charCodeAt(j) !== 0x22) j += path.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
          if (j >= n || path.charCodeAt(j + 1) !== 0x5d /* ] */) return root;
          try {
            key = JSON.parse(path.slice(p + 1, j + 1));
          } catch {
            return root;
          }
          if (typeof key !== 'string') return root;
          p = j + 2;
        } else {
          const j = path.indexOf(']', p);
          if (j < 0) return root;
          index = digitsValue(path, p + 1, j);
          if (index < 0) {
            const num = Number(path.slice(p + 1, j));
            if (!Number.isInteger(num) || num < 0) return root;
            index = num;
          }
          p = j + 1;
        }
      } else {
        let j = p;
        while (j < n) {
          const d = path.charCodeAt(j);
          if (d === 0x2e || d === 0x5b) break;
          j++;
        }
        keyStart = p;
        keyEnd = j;
        p = j;
      }
      if (offset < 0) continue; // past a node that is missing: only validate the rest of the path
      const ev = events[i];
      if (index < 0) {
        if (ev.type !== EVENT_ID.MAPPING) {
          offset = -offset - 2; // remember it, stop descending
          continue;
        }
        // the keys of a mapping are few: compare them in place (a key appears once in a
        // mapping: a repeated one is refused when the document is built)
        let hit = -1;
        const nodeEnds = this.index.nodeEnds();
        const to = this.to;
        for (let j = i + 1; j < to && events[j].type !== EVENT_ID.POP;) {
          const k = events[j];
          if (key === undefined ? this.keyIsRange(k, path, keyStart, keyEnd) : this.keyIs(k, key)) {
            hit = j;
            break;
          }
          // over the key, then over its value
          const afterKey = nodeEnds[j] === 0 ? j + 1 : nodeEnds[j];
          if (afterKey >= to) break;
          j = nodeEnds[afterKey] === 0 ? afterKey + 1 : nodeEnds[afterKey];
        }
        if (hit < 0) {
          offset = -offset - 2;
          continue;
        }
        offset = nodeOffset(events[hit]) ?? offset;
        i = this.end(hit);
      } else {
        if (ev.type !== EVENT_ID.SEQUENCE) {
          offset = -offset - 2;
          continue;
        }
        let j = i + 1;
        for (let k = 0; k < index && j < this.to && events[j].type !== EVENT_ID.POP; k++) j = this.end(j);
        if (j >= this.to || events[j].type === EVENT_ID.POP) {
          offset = -offset - 2;
          continue;
        }
        i = j;
        offset = nodeOffset(events[j]) ?? offset;
      }
      if (i >= this.to || events[i].type === EVENT_ID.POP) {
        offset = -offset - 2;
      } else {
        const k = this.memoCount++;
        ends[k] = p;
        this.memoIndex[k] = i;
        this.memoOffset[k] = offset;
      }
    }
    return offset < 0 ? -offset - 2 : offset;
  }

  /** Whether a key node is the key `key` (as the constructed object names it). */
  private keyIs(ev: Event, key: string): boolean {
    if (ev.type === EVENT_ID.SCALAR) {
      if (ev.fast) {
        // the key's text is its value
        return ev.valueEnd - ev.valueStart === key.length && this.source.startsWith(key, ev.valueStart);
      }
      return getScalarValue(this.source, ev) === key;
    }
    if (ev.type === EVENT_ID.ALIAS) return key === '*';
    return key === '?'; // a complex (collection) key
  }

  /** Whether a key node is the key `path[start..end)`. */
  private keyIsRange(ev: Event, path: string, start: number, end: number): boolean {
    if (ev.type === EVENT_ID.SCALAR && ev.fast) {
      const len = end - start;
      if (ev.valueEnd - ev.valueStart !== len) return false;
      const source = this.source;
      const at = ev.valueStart;
      for (let k = 0; k < len; k++) {
        if (source.charCodeAt(at + k) !== path.charCodeAt(start + k)) return false;
      }
      return true;
    }
    return this.keyIs(ev, path.slice(start, end));
  }

  /** Index of the event after the node that starts at event `i` (at most the document's end). */
  private end(i: number): number {
    if (i >= this.to) return this.to;
    const e = this.index.end(i);
    return e > this.to ? this.to : e;
  }
}

/** The value of `path[start..end)` when it is only decimal digits (at most 9), else -1. */
function digitsValue(path: string, start: number, end: number): number {
  if (end <= start || end - start > 9) return -1;
  let v = 0;
  for (let k = start; k < end; k++) {
    const d = path.charCodeAt(k) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function nodeOffset(ev: Event | undefined): number | undefined {
  if (!ev) return undefined;
  switch (ev.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return ev.start;
    case EVENT_ID.SCALAR:
      return ev.valueStart;
    case EVENT_ID.ALIAS:
      return Math.max(0, ev.anchorStart - 1);
    default:
      return undefined;
  }
}

/** Line and column (both 1-based) of offsets in a text. */
export class LineIndex {
  /** Offset where each line starts, built on the first question. */
  private starts?: number[];
  constructor(private readonly text: string) {}

  /** The line of an offset (offsets out of range are clamped). */
  lineOf(offset: number): number {
    return this.lineIndex(offset) + 1;
  }

  position(offset: number): { line: number; column: number } {
    if (!(offset >= 0)) offset = 0;
    else if (offset > this.text.length) offset = this.text.length;
    const i = this.lineIndex(offset);
    return { line: i + 1, column: offset - this.starts![i] + 1 };
  }

  /** The 0-based line of an offset. */
  private lineIndex(offset: number): number {
    let starts = this.starts;
    if (starts === undefined) {
      starts = [0];
      const t = this.text;
      let i = t.indexOf('\n');
      while (i >= 0) {
        starts.push(i + 1);
        i = t.indexOf('\n', i + 1);
      }
      this.starts = starts;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
