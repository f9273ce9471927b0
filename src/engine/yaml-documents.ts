/**
 * Splits a YAML stream into its documents without parsing it, so that documents can
 * be parsed one at a time (memory stays flat on large streams) and a malformed
 * document does not stop the documents after it from being checked.
 *
 * YAML forbids a line that starts with `---` or `...` followed by a space, tab or
 * line break inside a document's content (they are document markers), so a line
 * scan finds every document boundary exactly.
 */

/** A document cut out of a stream. */
export interface RawDocument {
  /** The document's text, including its `---` marker line when present. */
  readonly text: string;
  /** 1-based line of the stream at which `text` starts. */
  readonly startLine: number;
}

function isMarkerAt(buf: string, pos: number, marker: string): boolean | undefined {
  if (!buf.startsWith(marker, pos)) return false;
  if (pos + 3 >= buf.length) return undefined; // need more input to decide
  const c = buf.charCodeAt(pos + 3);
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** True when the text holds only blank lines, comments and directives (and at most a bare `---`). */
function isPreamble(text: string): boolean {
  let i = 0;
  const n = text.length;
  while (i < n) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = n;
    let k = i;
    while (k < j && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
    if (k < j && text[k] !== '#' && text[k] !== '%') return false;
    i = j + 1;
  }
  return true;
}

function countLines(text: string): number {
  let count = 0;
  let i = text.indexOf('\n');
  while (i >= 0) {
    count++;
    i = text.indexOf('\n', i + 1);
  }
  return count;
}

/** True when the text has no content at all (blank lines, comments, bare markers). */
export function isBlankDocument(text: string): boolean {
  let i = 0;
  const n = text.length;
  while (i < n) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = n;
    let k = i;
    while (k < j && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
    if (k < j && text[k] !== '#') {
      const rest = text.slice(k, j).trimEnd();
      const bareMarker = (rest === '---' || rest === '...' || rest.startsWith('--- #') || rest.startsWith('... #')) && k === i;
      if (!bareMarker) return false;
    }
    i = j + 1;
  }
  return true;
}

/**
 * Incremental splitter: push text as it arrives, documents come out through the callback.
 */
export class YamlDocumentSplitter {
  private buf = '';
  private bufLine = 1;
  private scanFrom = 0;
  private first = true;

  constructor(private readonly onDocument: (doc: RawDocument) => void) {}

  /** Adds text. */
  public push(chunk: string): void {
    if (chunk.length === 0) return;
    if (this.first) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    this.drain(false);
  }

  /** Signals the end of the stream; emits the last document. */
  public end(): void {
    this.drain(true);
    if (this.buf.length > 0) {
      this.emit(this.buf);
      this.buf = '';
    }
  }

  private emit(text: string): void {
    if (!isBlankDocument(text)) {
      this.onDocument({ text, startLine: this.bufLine });
    }
    this.bufLine += countLines(text);
  }

  private drain(final: boolean): void {
    for (;;) {
      const p = this.nextBoundary(final);
      if (p < 0) return;
      const head = this.buf.slice(0, p);
      if (isPreamble(head) && !/^---/m.test(head)) {
        // directives or comments that belong to the next document
        this.scanFrom = p + 1;
        continue;
      }
      this.emit(head);
      this.buf = this.buf.slice(p);
      this.scanFrom = 0;
    }
  }

  /**
   * Position of the next document boundary after the current document's start: the
   * start of a `---` line, or the line after a `...` line. -1 when none is known yet.
   */
  private nextBoundary(final: boolean): number {
    const buf = this.buf;
    let from = this.scanFrom;
    for (;;) {
      const nl = buf.indexOf('\n', from);
      if (nl < 0) return -1;
      const pos = nl + 1;
      if (pos >= buf.length) {
        this.scanFrom = nl;
        return -1;
      }
      const c = buf.charCodeAt(pos);
      if (c === 0x2d /* - */ || c === 0x2e /* . */) {
        const dash = isMarkerAt(buf, pos, '---');
        const dots = dash ? false : isMarkerAt(buf, pos, '...');
        if (dash === undefined || dots === undefined) {
          if (!final) {
            this.scanFrom = nl;
            return -1;
          }
          // at the end of input a bare marker ends the stream
          if (buf.startsWith('---', pos)) return pos;
          const after = pos + 3;
          return after >= buf.length ? -1 : after;
        }
        if (dash) return pos;
        if (dots) {
          const eol = buf.indexOf('\n', pos);
          if (eol < 0) {
            if (!final) {
              this.scanFrom = nl;
              return -1;
            }
            return -1;
          }
          return eol + 1;
        }
      }
      from = pos;
    }
  }
}

/** Splits a whole YAML text into documents. */
export function splitYamlDocuments(text: string): RawDocument[] {
  const out: RawDocument[] = [];
  const s = new YamlDocumentSplitter((d) => out.push(d));
  s.push(text);
  s.end();
  return out;
}
