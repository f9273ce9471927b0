/**
 * Whether a Go text/template (what the Sealed Secrets controller executes for each value of
 * a SealedSecret's `spec.template.data`, over the decrypted values) reads the data it is
 * executed over: an action that refers to `.` (the data, or a field of it: `.password`,
 * `index . "password"`) or to `$` (the data, in any scope). A template whose actions only
 * print constants (`{{ "hunter2" }}`), or whose only actions are comments
 * (`hunter2{{/* *\/}}`), renders text written in the manifest: a plaintext value.
 *
 * The grammar, a simplification of text/template's lexer (text/template/parse/lex.go)
 * that both kubeharden's check and the admission policies (CEL, RE2) read the same way:
 *
 *   - actions are found left to right, as RE2's FindAll finds the matches of
 *     COMMENT | ACTION (ACTION_SOURCE below): a comment is `{{/*` (or `{{- /*`) up to the
 *     first `*\/}}` (or `*\/ -}}`); an action is `{{`, then literals (`"…"` with escapes,
 *     raw `` `…` ``, `'…'`) and other characters, a `}` only before something that is not
 *     a `}`, then `}}`, so that a `}}` inside a literal does not end it;
 *   - an action's tokens are found left to right, as FindAll finds TOKEN_SOURCE's matches:
 *     literals, words (letters, digits, `_`, with their `.field` chains: `1.5`, `x.y`), a
 *     number that starts with a dot (`.5`), a dot with the name after it, a `$` with the
 *     name after it, any other character;
 *   - the template reads its data when an action that is not a comment has a token that is
 *     a dot with a name or none (not a number), or a bare `$`.
 *
 * A template the controller cannot parse (an unterminated action or literal) reads
 * nothing here: its text is judged as written.
 *
 * The check runs a scanner (no regular expression with backtracking: time linear in the
 * value); test/rules/secrets/go-template.test.ts holds it equal to the two patterns run
 * as FindAll, the CEL's reading.
 */

/** A Go template literal: interpreted string, raw string, character constant. */
const LITERAL = '"(?:[^"\\\\]|\\\\[\\s\\S])*"|`[^`]*`|\'(?:[^\'\\\\]|\\\\[\\s\\S])*\'';

/** The actions (comments first) of a template, as FindAll finds them. */
export const ACTION_SOURCE = '\\{\\{(?:-[ \\t\\r\\n])?/\\*[\\s\\S]*?\\*/(?:[ \\t\\r\\n]-)?\\}\\}'
  + `|\\{\\{(?:${LITERAL}|[^"\`'}]|\\}(?:${LITERAL}|[^"\`'}]))*\\}\\}`;

/** An action that is a comment, or cannot be one other than by its start. */
export const COMMENT_START_SOURCE = '^\\{\\{(?:-[ \\t\\r\\n])?/\\*';

/** The tokens of an action, as FindAll finds them. */
export const TOKEN_SOURCE = `${LITERAL}|[A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]*)*|\\.[0-9][A-Za-z0-9_.]*|\\.[A-Za-z0-9_]*|\\$[A-Za-z0-9_]*|[^"\`'A-Za-z0-9_.$]`;

/** Whether a token refers to the data: a dot (not a number) or a bare `$`. */
export function isDataToken(token: string): boolean {
  if (token === '$') return true;
  return token.charCodeAt(0) === DOT && !(token.length > 1 && isDigit(token.charCodeAt(1)));
}

const DOT = 0x2e;
const CLOSE = 0x7d;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isQuote(c: number): boolean {
  return c === 0x22 || c === 0x60 || c === 0x27;
}

/** ASCII white space as `[ \t\r\n]`. */
function isTrimSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** The end of the literal that starts at `i` (a quote), or -1 when it is not terminated. */
function literalEnd(s: string, i: number): number {
  const quote = s.charCodeAt(i);
  const n = s.length;
  if (quote === 0x60) {
    const j = s.indexOf('`', i + 1);
    return j < 0 ? -1 : j + 1;
  }
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c === BACKSLASH) {
      // an escape takes the next UTF-16 unit; a surrogate pair's second unit is an ordinary one
      if (j + 1 >= n) return -1;
      j++;
      continue;
    }
    if (c === quote) return j + 1;
  }
  return -1;
}

/**
 * The end of the comment that starts at `i` (a `{{`), or -1. `noTerminatorFrom`: the
 * position from which the value is known to hold no `*\/}}` nor `*\/ -}}` (so that a
 * value of many unterminated comments is scanned once).
 */
function commentEnd(s: string, i: number, state: { noTerminatorFrom: number }): number {
  const q = commentTextStart(s, i);
  if (q < 0 || q >= state.noTerminatorFrom) return -1;
  for (let j = s.indexOf('*/', q); j >= 0; j = s.indexOf('*/', j + 1)) {
    const k = j + 2;
    if (isTrimSpace(s.charCodeAt(k)) && s.charCodeAt(k + 1) === DASH && s.charCodeAt(k + 2) === CLOSE && s.charCodeAt(k + 3) === CLOSE) return k + 4;
    if (s.charCodeAt(k) === CLOSE && s.charCodeAt(k + 1) === CLOSE) return k + 2;
  }
  state.noTerminatorFrom = Math.min(state.noTerminatorFrom, q);
  return -1;
}

/**
 * Where the greedy scan of an action's body from `p` stops (the body's tokens: a
 * literal, a character that is neither a quote nor `}`, or a `}` with such a literal or
 * character after it). The action is there when a `}}` follows. `stops` remembers, for
 * the positions that earlier failed scans passed, where they stopped (scans from the
 * `{{` inside a literal meet the earlier ones), so that the value is scanned a bounded
 * number of times.
 */
function bodyStop(s: string, p: number, stops: Map<number, number>): number {
  const n = s.length;
  const visited: number[] = [];
  let stop = -1;
  while (p < n) {
    const known = stops.get(p);
    if (known !== undefined) {
      stop = known;
      break;
    }
    visited.push(p);
    const c = s.charCodeAt(p);
    if (isQuote(c)) {
      const e = literalEnd(s, p);
      if (e < 0) break;
      p = e;
    } else if (c === CLOSE) {
      if (p + 1 >= n) break;
      const d = s.charCodeAt(p + 1);
      if (d === CLOSE) break;
      if (isQuote(d)) {
        const e = literalEnd(s, p + 1);
        if (e < 0) break;
        p = e;
      } else {
        p += 2;
      }
    } else {
      p++;
    }
  }
  if (stop < 0) stop = p;
  for (const v of visited) stops.set(v, stop);
  return stop;
}

/** The actions of a template (start and end of each, comments included), as FindAll finds ACTION_SOURCE's matches. */
export function templateActions(s: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const comments = { noTerminatorFrom: Number.MAX_SAFE_INTEGER };
  const stops = new Map<number, number>();
  let i = s.indexOf('{{');
  while (i >= 0) {
    let end = commentEnd(s, i, comments);
    if (end < 0) {
      const stop = bodyStop(s, i + 2, stops);
      if (s.charCodeAt(stop) === CLOSE && s.charCodeAt(stop + 1) === CLOSE) end = stop + 2;
    }
    if (end >= 0) {
      out.push({ start: i, end });
      i = s.indexOf('{{', end);
    } else {
      i = s.indexOf('{{', i + 1);
    }
  }
  return out;
}

/**
 * Where the text of a comment that starts at `i` (a `{{`) begins, after `{{/*` or
 * `{{- /*` (COMMENT_START_SOURCE), or -1 when no comment starts there.
 */
function commentTextStart(s: string, i: number): number {
  if (s.charCodeAt(i + 2) === SLASH && s.charCodeAt(i + 3) === STAR) return i + 4;
  if (s.charCodeAt(i + 2) === DASH && isTrimSpace(s.charCodeAt(i + 3)) && s.charCodeAt(i + 4) === SLASH && s.charCodeAt(i + 5) === STAR) return i + 6;
  return -1;
}

/** Whether the action `s[start, end)` has a token that refers to the data (TOKEN_SOURCE, isDataToken). */
function actionReadsData(s: string, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    const c = s.charCodeAt(p);
    if (isQuote(c)) {
      const e = literalEnd(s, p);
      // within an action every literal is terminated (the action's grammar has no other quote)
      p = e < 0 || e > end ? end : e;
    } else if (isWordChar(c)) {
      p++;
      // a word with its .field chain
      for (;;) {
        while (p < end && isWordChar(s.charCodeAt(p))) p++;
        if (p < end && s.charCodeAt(p) === DOT) {
          p++;
          continue;
        }
        break;
      }
    } else if (c === DOT) {
      if (p + 1 < end && isDigit(s.charCodeAt(p + 1))) {
        p += 2;
        while (p < end && (isWordChar(s.charCodeAt(p)) || s.charCodeAt(p) === DOT)) p++;
      } else {
        return true;
      }
    } else if (c === DOLLAR) {
      if (!(p + 1 < end && isWordChar(s.charCodeAt(p + 1)))) return true;
      p++;
      while (p < end && isWordChar(s.charCodeAt(p))) p++;
    } else {
      p++;
    }
  }
  return false;
}

/** Whether the template reads the data it is executed over (see the grammar above). */
export function templateReadsData(s: string): boolean {
  if (s.indexOf('{{') < 0) return false;
  for (const { start, end } of templateActions(s)) {
    if (commentTextStart(s, start) < 0 && actionReadsData(s, start, end)) return true;
  }
  return false;
}
