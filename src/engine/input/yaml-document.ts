import { EVENT_ID, Event, getScalarValue, parseEvents, SCALAR_STYLE, COLLECTION_STYLE } from 'js-yaml';
import { decodeGoYaml, flowPlainDiverges, GoYamlError } from './go-yaml';
import { resolvePlain } from './resolve';
import { keepShape } from '../shapes';

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

/** A YAML document's text as it goes to the parser, and where its offsets fall in the document's text. */
interface Prepared {
  readonly source: string;
  /** Offset in the document's text = offset in `source` - `base`. */
  readonly base: number;
  readonly error?: DocumentError;
}

/** Line break characters of YAML 1.1 that js-yaml reads differently. @internal */
export const FOREIGN_BREAK = /[\u0085\u2028\u2029]/;

/**
 * Whether the text holds one of the {@link FOREIGN_BREAK} characters: three native
 * single-character searches instead of the regular expression, which reads every
 * character in JavaScript's regular expression engine. A one-byte string (almost every
 * manifest) cannot hold U+2028 or U+2029, so two of the searches end at once. The
 * same answer as `FOREIGN_BREAK.test(text)` (a test compares both). @internal
 */
export function hasForeignBreak(text: string): boolean {
  return text.indexOf('\u0085') >= 0 || text.indexOf('\u2028') >= 0 || text.indexOf('\u2029') >= 0;
}

/**
 * The text go-yaml v2 decodes of one document that the stream cut, made ready for the
 * parser: go-yaml strips a byte-order mark at its start, skips `...` lines before the
 * content and reads only the first document (so the text ends after the first `...`
 * line that follows content), and refuses a directive (`%YAML`, `%TAG`) whose `---` the
 * line cut removed. The parser gets the document after a `---` line of its own, so that
 * a batch of documents can be parsed in one run.
 */
function prepare(text: string): Prepared {
  let body = text;
  let removed = 0;
  if (body.charCodeAt(0) === 0xfeff) {
    body = body.slice(1);
    removed = 1;
  }
  // the stream may have left a `---` line at the start: the document's own start
  const explicit = isMarkerLine(body, 0, lineEnd(body, 0), '---');
  // the first `...` line (found by the native search: documents are long, markers rare)
  let end = -1;
  for (let at = body.startsWith('...') ? 0 : nextLineStart(body, '...', 0); at >= 0; at = nextLineStart(body, '...', at + 3)) {
    if (isMarkerLine(body, at, lineEnd(body, at), '...')) {
      end = at;
      break;
    }
  }
  // the lines before the content (usually none): a directive there has lost its `---`
  let content = explicit;
  for (let i = explicit ? lineEnd(body, 0) + 1 : 0; !content && i < body.length && i !== end;) {
    const eol = lineEnd(body, i);
    if (body.charCodeAt(i) === 0x25 /* % */) {
      return { source: '', base: 0, error: { offset: i + removed, message: 'a %YAML or %TAG directive here has no "---" line after it (kubectl cuts documents at "---" lines before decoding them), so Kubernetes refuses the document' } };
    }
    let k = i;
    while (k < eol && (body.charCodeAt(k) === 0x20 || body.charCodeAt(k) === 0x09)) k++;
    if (k < eol && body.charCodeAt(k) !== 0x23 /* # */) content = true;
    i = eol + 1;
  }
  if (end >= 0) {
    if (!content) {
      return { source: '', base: 0, error: { offset: end + removed, message: 'a "..." document end before any content: Kubernetes refuses the document' } };
    }
    // go-yaml reads the first document only: it ends here, and the rest is ignored
    body = body.slice(0, Math.min(body.length, lineEnd(body, end) + 1));
  }
  if (hasForeignBreak(body)) {
    const message = 'a NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR character: YAML 1.1 (kubectl) reads it as a line break and other YAML parsers do not, so kubeharden refuses the document; remove it or escape it in a double-quoted string';
    return { source: '', base: 0, error: { offset: body.search(FOREIGN_BREAK) + removed, message } };
  }
  if (explicit) return { source: body, base: -removed };
  return { source: '---\n' + body, base: 4 - removed };
}

/** The start of the next line at or after `from` that begins with `prefix`, or -1. */
function nextLineStart(text: string, prefix: string, from: number): number {
  const at = text.indexOf('\n' + prefix, from > 0 ? from - 1 : 0);
  return at < 0 ? -1 : at + 1;
}

function lineEnd(text: string, from: number): number {
  const eol = text.indexOf('\n', from);
  return eol < 0 ? text.length : eol;
}

function isMarkerLine(text: string, start: number, eol: number, marker: string): boolean {
  if (!text.startsWith(marker, start)) return false;
  const c = start + 3 < eol ? text.charCodeAt(start + 3) : -1;
  return c === -1 || c === 0x20 || c === 0x09 || c === 0x0d;
}

/**
 * Decodes one YAML document as the stream cut it (see stream.ts), exactly as kubectl
 * decodes it. Never throws.
 */
export function parseDocument(text: string): ParsedDocument {
  const prepared = prepare(text);
  if (prepared.error !== undefined) return errorAt(prepared.error);
  let { source } = prepared;
  const base = prepared.base;
  let events: Event[];
  try {
    events = parseEvents(source, { maxDepth: MAX_DEPTH });
  } catch (e) {
    // A line that starts with `%` is a directive to go-yaml wherever it stands outside a
    // quoted scalar: it ends the document, and go-yaml reads no further. js-yaml refuses
    // it; read the document up to that line instead.
    const directive = source.indexOf('\n%');
    const at = (e as any)?.mark?.position;
    if (directive < 0 || !(typeof at === 'number' && at >= directive)) return failed(e, source, base);
    source = source.slice(0, directive + 1);
    try {
      events = parseEvents(source, { maxDepth: MAX_DEPTH });
    } catch (again) {
      return failed(again, source, base);
    }
  }
  const index = new EventIndex(events);
  let values: unknown[];
  try {
    values = construct(events, source, index);
  } catch (e) {
    return failed(e, source, base);
  }
  const locator = new Locator(index, source, 0, events.length, base);
  if (values.length !== 1) {
    return errorAt({ offset: locator.documentStart(1), message: 'unexpected second document in one document' });
  }
  return { value: values[0], locate: (p) => locator.locate(p) };
}

/**
 * Decodes consecutive documents of one stream at once: one parser run for the whole
 * batch instead of one per document, which is much cheaper on streams of many small
 * documents. The result is the same as calling {@link parseDocument} on each text: when
 * the batch does not parse as exactly these documents (a malformed one, a limit
 * reached), each text is parsed on its own. Never throws.
 */
export function parseDocuments(texts: readonly string[]): ParsedDocument[] {
  if (texts.length === 1) return [parseDocument(texts[0])];
  if (texts.length === 0) return [];
  const prepared = texts.map(prepare);
  if (prepared.some((p) => p.error !== undefined)) return texts.map(parseDocument);
  const source = prepared.map((p) => p.source).join('');
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
  let at = 0;
  for (let i = 0; i < events.length; i++) {
    if (events[i].type !== EVENT_ID.DOCUMENT) continue;
    const d = starts.length;
    const root = nodeOffset(events[i + 1]);
    if (d >= texts.length || (root !== undefined && (root < at || root >= at + prepared[d].source.length))) {
      return texts.map(parseDocument);
    }
    starts.push(i);
    at += prepared[d].source.length;
  }
  if (starts.length !== texts.length) return texts.map(parseDocument);
  const out: ParsedDocument[] = new Array(texts.length);
  at = 0;
  for (let d = 0; d < texts.length; d++) {
    const to = d + 1 < starts.length ? starts[d + 1] : events.length;
    const locator = new Locator(index, source, starts[d], to, at + prepared[d].base);
    out[d] = { value: values[d], locate: (p) => locator.locate(p) };
    at += prepared[d].source.length;
  }
  return out;
}

/**
 * Decodes one JSON value that the stream cut from a JSON stream (kubectl reads it with
 * Go's encoding/json: the same grammar as JSON.parse, the last of repeated keys wins).
 * Paths are located through the YAML parser, which reads JSON too. Never throws.
 */
export function parseJsonValue(text: string): ParsedDocument {
  let value: unknown;
  try {
    // Go's encoding/json turns an escaped lone surrogate into U+FFFD
    value = /\\u[dD][89a-fA-F]/.test(text) ? JSON.parse(text, (_k, v) => (typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v)) : JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error)?.message));
    return errorAt({ offset: m ? Number(m[1]) : 0, message: 'invalid JSON: the value is not well-formed JSON' });
  }
  if (/[eE][+]?[0-9]{3}/.test(text) && !allFinite(value)) {
    return errorAt({ offset: 0, message: 'a number in this JSON value is too large for Kubernetes (it does not fit a 64-bit float)' });
  }
  let locator: Locator | null | undefined;
  const locate = (p: string) => {
    if (locator === undefined) {
      try {
        const events = parseEvents(text, { maxDepth: MAX_DEPTH });
        locator = new Locator(new EventIndex(events), text, 0, events.length, 0);
      } catch {
        locator = null;
      }
    }
    return locator === null ? 0 : locator.locate(p);
  };
  return { value, locate };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function allFinite(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(allFinite);
  if (typeof v === 'object' && v !== null) return Object.values(v).every(allFinite);
  return true;
}

function errorAt(error: DocumentError): ParsedDocument {
  return { error, locate: () => error.offset };
}

/**
 * The documents of a parsed event stream, decoded as kubectl decodes them (go-yaml v2,
 * then JSON: see go-yaml.ts). Manifests are almost always made of untagged scalars,
 * mappings with plain string keys and sequences: those are built by
 * {@link constructPlain}, a loop made for them; anything else (a tag, an anchor, an
 * alias, a merge key, a repeated or non-string key, a number JSON cannot hold, a flow
 * scalar that YAML 1.1 reads differently) goes to {@link decodeGoYaml}, which decides,
 * and throws where Kubernetes refuses the document.
 * @internal
 */
export function construct(events: Event[], source: string, index?: EventIndex): unknown[] {
  return constructPlain(events, source, index) ?? constructGeneral(events, source);
}

/** The general path of {@link construct}: the reference its fast path is tested against. @internal */
export function constructGeneral(events: Event[], source: string): unknown[] {
  checkFlowScalars(events, source);
  return decodeGoYaml(events, source);
}

/** Refuses a plain scalar inside a flow collection that YAML 1.1 and js-yaml read differently. */
function checkFlowScalars(events: Event[], source: string): void {
  let flow = 0;
  const styles: boolean[] = [];
  for (const ev of events) {
    if (ev.type === EVENT_ID.MAPPING || ev.type === EVENT_ID.SEQUENCE) {
      const isFlow = ev.style === COLLECTION_STYLE.FLOW;
      styles.push(isFlow);
      if (isFlow) flow++;
    } else if (ev.type === EVENT_ID.POP) {
      if (styles.pop()) flow--;
    } else if (ev.type === EVENT_ID.DOCUMENT) {
      styles.push(false);
    } else if (flow > 0 && ev.type === EVENT_ID.SCALAR && ev.style === SCALAR_STYLE.PLAIN && ev.valueStart >= 0) {
      const text = ev.fast ? source.slice(ev.valueStart, ev.valueEnd) : getScalarValue(source, ev);
      if (flowPlainDiverges(text, source, ev.valueEnd)) throw new GoYamlError(ev.valueStart, FLOW_DIVERGES);
    }
  }
}

const FLOW_DIVERGES = 'a plain scalar inside [ ] or { } holds a "?" or a ":" not followed by a space: YAML 1.1 (kubectl) and YAML 1.2 read it differently, so kubeharden refuses the document; quote the scalar or put a space after ":"';

const DOCUMENT_FRAME: unknown[] = [];

/**
 * Plain mapping keys seen before, by a hash of their length and a few of their
 * characters. Keys are few and repeat in every document; one already seen is taken
 * from here, checked against the source in place, instead of being cut out of the text
 * and looked up again as a property name. Only keys that resolve to themselves (strings)
 * are kept, as independent copies (never slices of a document's text).
 *
 * Module-level on purpose: it is a pure, bounded memo (4,096 slots, keys of at most 40
 * characters) of a pure function of the key's text (its resolution, and an interned copy
 * of it); which engine or session filled a slot changes no result, only how often a
 * key's text is cut out again.
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
 * deciding whether that is valid. The result is exactly {@link decodeGoYaml}'s (a test
 * compares both over every fixture). When it
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
  /** Per open collection, whether it is a flow one; and how many flow collections are open. */
  const flowStyles: boolean[] = [];
  let flow = 0;
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
        if (key === undefined && flow === 0 && ev.fast && ev.style === SCALAR_STYLE.PLAIN && top !== DOCUMENT_FRAME && !Array.isArray(top)) {
          // a plain mapping key: most are the same few names (apiVersion, name, image...)
          value = cachedKey(source, ev.valueStart, ev.valueEnd);
          if (value !== undefined) break;
        }
        const text = ev.fast ? source.slice(ev.valueStart, ev.valueEnd) : getScalarValue(source, ev);
        if (ev.style === SCALAR_STYLE.PLAIN) {
          if (text === '<<') return undefined; // a merge key
          if (flow > 0 && flowPlainDiverges(text, source, ev.valueEnd)) return undefined;
          value = resolvePlain(text);
          // a number JSON cannot hold: the general decoder refuses the document
          if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
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
        if (ev.style === COLLECTION_STYLE.FLOW) {
          flowStyles.push(true);
          flow++;
        } else {
          flowStyles.push(false);
        }
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
        if (flowStyles.pop()) flow--;
        break;
      default: // an alias
        return undefined;
    }
    if (top === DOCUMENT_FRAME) {
      documentValue = value;
    } else if (Array.isArray(top)) {
      top.push(value);
    } else if (key === undefined) {
      // a key that is not a string (a number, a boolean, null, a collection): the general
      // decoder converts it as sigs.k8s.io/yaml does, or refuses it
      if (typeof value !== 'string') return undefined;
      key = value;
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

/** js-yaml's parse errors whose text names a part of the input, with a message that does not. */
const QUOTING_REASONS: [RegExp, string][] = [
  [/^tag name cannot contain such characters/, 'a tag name holds characters a tag cannot hold'],
  [/^there is a previously declared suffix/, 'a %TAG directive declares a handle twice'],
  [/^undeclared tag handle/, 'a tag uses a handle that no %TAG directive declares'],
  [/^nesting exceeded maxDepth/, `the document nests collections deeper than ${MAX_DEPTH} levels`],
];

/** A parse error's message: the parser's reason when it names no part of the input. */
function safeReason(reason: unknown): string {
  if (typeof reason !== 'string' || reason.length === 0) return 'malformed YAML';
  for (const [pattern, message] of QUOTING_REASONS) if (pattern.test(reason)) return message;
  // every other reason of the parser is a fixed text; refuse anything that quotes
  return /["'`$]|: /.test(reason) ? 'malformed YAML' : reason;
}

/** A document that failed to parse or decode: where (relative to the document's text) and why. */
function failed(e: unknown, source: string, base: number): ParsedDocument {
  let offset: number;
  let message: string;
  if (e instanceof GoYamlError) {
    offset = e.offset;
    message = e.message;
  } else {
    const mark = (e as any)?.mark;
    offset = typeof mark?.position === 'number' ? mark.position : 0;
    message = `invalid YAML: ${safeReason((e as any)?.reason)}`;
    // The parser notices an unclosed `[` or `{` only where the document goes on without it
    // (often at its end, as "deficient indentation"): point at the bracket instead.
    const opener = unclosedFlowOpener(source, source.length);
    if (opener !== undefined && opener < offset) {
      const closer = source[opener] === '[' ? ']' : '}';
      message = `invalid YAML: "${source[opener]}" is never closed with "${closer}" (the parser stopped further on: ${safeReason((e as any)?.reason)})`;
      offset = opener;
    }
  }
  return errorAt({ offset: Math.max(0, offset - base), message });
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
 * Maps JSON paths to source offsets from the parser's events, only when asked: the
 * path's segments are followed down the event stream, jumping over the subtrees that
 * are not on the path (where each collection ends is computed once per document, on
 * the first lookup), so no per-document index of paths is ever built. The events are
 * `events[from..to)` of a source in which the document starts at offset `base`;
 * offsets returned are relative to the document. @internal
 */
export class Locator {
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
        // the keys of a mapping are few: compare them in place. A document the plain
        // constructor built has each key once; elsewhere a repeated key keeps its last
        // value (as in Kubernetes), so the last match is the node.
        let hit = -1;
        const nodeEnds = this.index.nodeEnds();
        const to = this.to;
        const unique = this.index.builtPlain;
        for (let j = i + 1; j < to && events[j].type !== EVENT_ID.POP;) {
          const k = events[j];
          if (key === undefined ? this.keyIsRange(k, path, keyStart, keyEnd) : this.keyIs(k, key)) {
            hit = j;
            if (unique) break;
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

// a batch's event index, its documents' locators and line indexes die with the batch;
// their hidden classes must not (see shapes.ts)
keepShape(new Locator(keepShape(new EventIndex([])), '', 0, 0, 0));
keepShape(new LineIndex(''));
