/**
 * A manifest stream cut into documents exactly as kubectl cuts it
 * (k8s.io/apimachinery/pkg/util/yaml `YAMLOrJSONDecoder`, which `kubectl apply -f`,
 * Helm and Argo CD use):
 *
 * - **JSON or YAML.** When the first non-whitespace character of the stream's first
 *   4,096 bytes is `{`, the stream is read as a sequence of JSON values (`{…}{…}`). If a
 *   value fails to parse while at most one has been read, the rest of the stream (from
 *   the end of the last value, after its whitespace up to the first line break) is read
 *   as YAML instead; once two values have been read, a failure ends the stream.
 * - **YAML documents** are cut by lines, before any YAML parsing (`YAMLReader`): every
 *   line that starts with `---` ends the current document, whatever the YAML around it
 *   (inside a block scalar too), and is consumed; a separator line read while no
 *   document has started yet (at the start of the stream, or right after another
 *   separator) is kept as the first line of the next document. The separator line may
 *   carry only spaces and a comment (`---`, `--- # c`, `---#c`); any other text after
 *   `---` (`--- {a: 1}`, `----`) is an error that drops the document being read. Line
 *   ends `\r\n` become `\n`.
 * - Each YAML document is then decoded on its own by go-yaml v2, which reads only the
 *   first YAML document of its text: content after a `...` line is ignored, and a
 *   `%YAML`/`%TAG` directive, whose `---` the line cut has removed, is an error. Those
 *   rules are {@link yamlDocumentText}'s.
 */
import { keepShape } from '../shapes';

/** One document of a stream, before decoding. */
export type RawDocument =
  | {
    readonly kind: 'yaml';
    /** The document's text: its lines, each ending in `\n`. */
    readonly text: string;
    /** 1-based line of the stream at which `text` starts. */
    readonly startLine: number;
  }
  | {
    readonly kind: 'json';
    /** The text of one JSON value. */
    readonly text: string;
    readonly startLine: number;
    /** 1-based column at which the value starts on its line. */
    readonly startColumn: number;
  }
  | {
    readonly kind: 'error';
    readonly line: number;
    readonly column: number;
    readonly message: string;
  };

/** How far into the stream kubectl looks for the `{` of a JSON stream (bytes). */
const JSON_SNIFF_BYTES = 4096;

/** Go's unicode.IsSpace. */
export function isGoSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0 || c === 0x1680
    || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function utf8Length(c: number): number {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
}

/**
 * Incremental stream reader: push text as it arrives, documents come out through the
 * callback in stream order.
 */
export class ManifestStream {
  private mode: 'sniff' | 'json' | 'yaml' = 'sniff';
  private buf = '';
  /** Line (1-based) and column (1-based) at which `buf` starts. */
  private line = 1;
  /** YAML: the text of the current document so far, whether it has a line yet, and its first line. */
  private docParts: string[] = [];
  private docStarted = false;
  private docLine = 1;
  /** JSON: values read so far, and whether the stream has ended in error. */
  private jsonCount = 0;
  private stopped = false;
  /** Column (0-based) of the start of `buf` on its line, for JSON values. */
  private column = 0;

  constructor(private readonly onDocument: (doc: RawDocument) => void) {}

  /** Adds text. */
  public push(chunk: string): void {
    if (chunk.length === 0 || this.stopped) return;
    if (this.mode === 'sniff' && this.buf.length === 0 && this.line === 1 && chunk.charCodeAt(0) === 0xfeff) {
      // a byte-order mark at the start of the stream is dropped before anything reads it
      chunk = chunk.slice(1);
      if (chunk.length === 0) return;
    }
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    this.drain(false);
  }

  /** Ends the stream. */
  public end(): void {
    if (!this.stopped) this.drain(true);
    if (this.mode === 'yaml') this.flushYaml();
    this.buf = '';
  }

  private drain(final: boolean): void {
    if (this.mode === 'sniff') {
      const decided = this.sniff(final);
      if (decided === undefined) return;
      this.mode = decided;
    }
    if (this.mode === 'json') this.drainJson(final);
    if (this.mode === 'yaml') this.drainYaml(final);
  }

  /** JSON when the first non-space character within the first 4,096 bytes is `{`; undefined while that is not known. */
  private sniff(final: boolean): 'json' | 'yaml' | undefined {
    const buf = this.buf;
    let bytes = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (!isGoSpace(c)) return c === 0x7b && bytes < JSON_SNIFF_BYTES ? 'json' : 'yaml';
      bytes += utf8Length(c);
      if (bytes >= JSON_SNIFF_BYTES) return 'yaml';
    }
    return final ? 'yaml' : undefined;
  }

  // ---- YAML: documents cut by `---` lines ----

  /**
   * Reads the complete lines of `buf`. Lines are not cut out one by one: only separator
   * lines are looked at, and a document's text is taken in pieces of the buffer.
   */
  private drainYaml(final: boolean): void {
    const buf = this.buf;
    let from = 0;
    let docFrom = 0;
    for (;;) {
      let nl = buf.indexOf('\n', from);
      if (nl < 0) {
        if (!final || from >= buf.length) break;
        nl = buf.length; // the last line, without a line end
      }
      if (buf.charCodeAt(from) === 0x2d && buf.startsWith('---', from)) {
        if (docFrom < from) this.docParts.push(buf.slice(docFrom, from));
        docFrom = this.separator(buf, from, nl);
      } else if (!this.docStarted) {
        this.docStarted = true;
        this.docLine = this.line;
      }
      this.line++;
      from = nl + 1;
    }
    if (docFrom < Math.min(from, buf.length)) this.docParts.push(buf.slice(docFrom, Math.min(from, buf.length)));
    this.buf = from >= buf.length ? '' : buf.slice(from);
  }

  /** A line that starts with `---` at `buf[from..eol)`; returns where the current document's text goes on. */
  private separator(buf: string, from: number, eol: number): number {
    let k = from + 3;
    while (k < eol && isGoSpace(buf.charCodeAt(k))) k++;
    if (k < eol && buf.charCodeAt(k) !== 0x23 /* # */) {
      // kubectl drops the document it was reading and reports the separator
      this.docParts = [];
      this.docStarted = false;
      this.onDocument({ kind: 'error', line: this.line, column: 4, message: 'invalid document separator: a line that starts with "---" may hold only spaces and a comment after it' });
      return eol + 1;
    }
    if (this.docStarted) {
      // the separator ends the document and is consumed
      this.flushYaml();
      return eol + 1;
    }
    // with nothing read yet, YAMLReader keeps the separator line as the document's first
    // line (go-yaml then reads it as the document's own start)
    this.docStarted = true;
    this.docLine = this.line;
    return from;
  }

  private flushYaml(): void {
    if (!this.docStarted) return;
    let text = this.docParts.length === 1 ? this.docParts[0] : this.docParts.join('');
    this.docParts = [];
    this.docStarted = false;
    // Go's ReadLine drops the \r of each \r\n; the last line gets a line end
    if (text.indexOf('\r') >= 0) text = text.replace(/\r\n/g, '\n');
    if (text.length > 0 && text.charCodeAt(text.length - 1) !== 0x0a) text += '\n';
    this.onDocument({ kind: 'yaml', text, startLine: this.docLine });
  }

  // ---- JSON: a sequence of values ----

  private drainJson(final: boolean): void {
    for (;;) {
      const buf = this.buf;
      let i = 0;
      while (i < buf.length && isJsonSpace(buf.charCodeAt(i))) i++;
      if (i === buf.length) {
        if (final) this.buf = '';
        return;
      }
      const end = jsonValueEnd(buf, i, final);
      if (end === undefined) return; // wait for more text
      let ok = false;
      if (end > 0) {
        try {
          JSON.parse(buf.slice(i, end));
          ok = true;
        } catch {
          ok = false;
        }
      }
      if (ok) {
        this.advance(i);
        this.jsonCount++;
        this.onDocument({ kind: 'json', text: buf.slice(i, end), startLine: this.line, startColumn: this.column + 1 });
        this.advance(end - i);
        continue;
      }
      if (this.jsonCount > 1) {
        this.advance(i);
        this.onDocument({ kind: 'error', line: this.line, column: this.column + 1, message: 'invalid JSON: the value is not well-formed JSON' });
        this.stopped = true;
        this.buf = '';
        return;
      }
      // Still ambiguous (at most one value read): kubectl reads the rest as YAML, from
      // the end of the last value after its whitespace up to and including the first
      // line break.
      let k = 0;
      while (k < buf.length && isGoSpace(buf.charCodeAt(k))) {
        k++;
        if (buf.charCodeAt(k - 1) === 0x0a) break;
      }
      this.advance(k);
      this.mode = 'yaml';
      this.docLine = this.line;
      return;
    }
  }

  /** Drops `n` characters of `buf`, keeping the line and column counts. */
  private advance(n: number): void {
    const buf = this.buf;
    for (let k = 0; k < n; k++) {
      if (buf.charCodeAt(k) === 0x0a) {
        this.line++;
        this.column = 0;
      } else {
        this.column++;
      }
    }
    this.buf = n === 0 ? buf : buf.slice(n);
  }
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * The end (exclusive) of the JSON value that starts at `from`: found by brackets and
 * strings, not validated (JSON.parse does that). -1 when the text cannot be a value;
 * undefined when the value is not finished within the text (`final`: it never is).
 */
function jsonValueEnd(text: string, from: number, final: boolean): number | undefined {
  const c = text.charCodeAt(from);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let i = from; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === 0x22) {
        i = stringEnd(text, i);
        if (i < 0) return final ? -1 : undefined;
        continue;
      }
      if (d === 0x7b || d === 0x5b) {depth++;} else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return final ? -1 : undefined;
  }
  if (c === 0x22) {
    const e = stringEnd(text, from);
    return e < 0 ? (final ? -1 : undefined) : e + 1;
  }
  let i = from;
  while (i < text.length && /[-+.0-9a-zA-Z]/.test(text[i])) i++;
  if (i === from) return -1;
  if (i === text.length && !final) return undefined;
  return i;
}

/** Index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === 0x5c) i++;
    else if (d === 0x22) return i;
  }
  return -1;
}

/** The documents of a whole stream's text. */
export function splitManifestStream(text: string): RawDocument[] {
  const out: RawDocument[] = [];
  const s = new ManifestStream((d) => out.push(d));
  s.push(text);
  s.end();
  return out;
}

// a stream dies with its input; its hidden class must not (see shapes.ts)
keepShape(new ManifestStream(() => undefined));
