/**
 * Scalar resolution exactly as kubectl and the API server's YAML path see it:
 * sigs.k8s.io/yaml decodes with go-yaml v2 (go.yaml.in/yaml/v2, YAML 1.1), whose
 * `resolve` function turns a scalar's text and tag into a value. This module is that
 * function's semantics, written for JavaScript values:
 *
 * - plain scalars are looked up by their first character: `+ -` and digits may be
 *   numbers, `y Y n N t T f F o O ~` may be one of the fixed words, `.` may be a float;
 *   anything else is a string;
 * - the fixed words: `y Y yes Yes YES true True TRUE on On ON` are true,
 *   `n N no No NO false False FALSE off Off OFF` are false, `'' ~ null Null NULL` are
 *   null, `.inf .Inf .INF +.inf …` and `-.inf …` are infinities, `.nan .NaN .NAN` NaN;
 * - numbers: every `_` is removed, then the text is read as Go's
 *   `strconv.ParseInt(s, 0, 64)` reads it (`0x`/`0X` hex, `0o`/`0O` octal, `0b`/`0B`
 *   binary, a leading `0` octal, an optional sign), then as an unsigned 64-bit integer,
 *   then, when it matches `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, as a
 *   float (so `08` is 8 and `1e3` is 1000), then `0b…` and `-0b…` once more in base 2; a
 *   float out of range (`1e400`) stays a string;
 * - timestamps stay strings (go-yaml v2 keeps their text when decoding into an interface);
 * - a tag other than `!!str !!bool !!int !!float !!null !!timestamp` (the non-specific `!`,
 *   a local `!foo`, `!!binary`, `!!merge`) leaves the text a string (`!!binary` decodes
 *   base64); one of those tags must resolve to its own type or it is an error (`!!int`
 *   on `5.0`, `!!bool` on `1`), except that an integer is accepted as a `!!float`.
 *
 * Values are JavaScript numbers: integers beyond 2^53 lose precision exactly as they do
 * when the JSON that Kubernetes produces is read by JavaScript.
 */

/** The tag prefix of the YAML core tags (`!!int` is `tag:yaml.org,2002:int`). */
export const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';
export const STR_TAG = YAML_TAG_PREFIX + 'str';
export const INT_TAG = YAML_TAG_PREFIX + 'int';
export const FLOAT_TAG = YAML_TAG_PREFIX + 'float';
export const BOOL_TAG = YAML_TAG_PREFIX + 'bool';
export const NULL_TAG = YAML_TAG_PREFIX + 'null';
export const TIMESTAMP_TAG = YAML_TAG_PREFIX + 'timestamp';
export const BINARY_TAG = YAML_TAG_PREFIX + 'binary';
export const MERGE_TAG = YAML_TAG_PREFIX + 'merge';

/** A scalar that cannot be decoded; the message never quotes the scalar. */
export class ResolveError extends Error {}

/** What go-yaml v2 resolves a scalar to: a Go string, int (or int64), uint64, float64, bool or nil. */
export type ScalarKind = 'str' | 'int' | 'uint' | 'float' | 'bool' | 'null';

/** A resolved scalar: its kind, its value, and for integers their exact value. */
export interface Resolved {
  readonly kind: ScalarKind;
  readonly value: unknown;
  readonly exact?: bigint;
}

const WORDS = new Map<string, Resolved>();
{
  const add = (kind: ScalarKind, value: unknown, words: string[]) => {
    for (const w of words) WORDS.set(w, { kind, value });
  };
  add('bool', true, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
  add('bool', false, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
  add('null', null, ['', '~', 'null', 'Null', 'NULL']);
  add('float', NaN, ['.nan', '.NaN', '.NAN']);
  add('float', Infinity, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
  add('float', -Infinity, ['-.inf', '-.Inf', '-.INF']);
}

/** The resolution hint of a scalar's first character (go-yaml's resolve table). */
const HINT = new Uint8Array(128);
{
  HINT[0x2b] = HINT[0x2d] = 0x53; // 'S': a sign
  for (let c = 0x30; c <= 0x39; c++) HINT[c] = 0x44; // 'D': a digit
  for (const c of 'yYnNtTfFoO~') HINT[c.charCodeAt(0)] = 0x4d; // 'M': in the word map
  HINT[0x2e] = 0x2e; // '.': a float, or a word
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's ParseFloat accepts of a decimal starting with `.` (underscores only between digits). */
const DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Go's `strconv.ParseInt(s, base, 64)` (then `ParseUint` when `unsigned`), for base 0
 * (prefix decides) or 2: the value as a number, or undefined when Go returns an error.
 */
function parseGoInt(s: string, base: 0 | 2, unsigned: boolean): bigint | undefined {
  let i = 0;
  let negative = false;
  if (!unsigned && (s[0] === '+' || s[0] === '-')) {
    negative = s[0] === '-';
    i = 1;
  }
  let radix = 10;
  if (base === 2) {
    radix = 2;
  } else if (s[i] === '0' && i + 1 < s.length) {
    const p = s[i + 1];
    if (p === 'x' || p === 'X') { radix = 16; i += 2; } else if (p === 'o' || p === 'O') { radix = 8; i += 2; } else if (p === 'b' || p === 'B') { radix = 2; i += 2; } else { radix = 8; i += 1; }
  }
  if (i >= s.length) return undefined;
  let v = 0n;
  const r = BigInt(radix);
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d < 0 || d >= radix) return undefined;
    v = v * r + BigInt(d);
  }
  if (negative) v = -v;
  if (unsigned ? v > UINT64_MAX : v < INT64_MIN || v > INT64_MAX) return undefined;
  return v;
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** A finite float of a text Go's ParseFloat accepts (the caller checked its shape), else undefined. */
function finiteFloat(text: string): number | undefined {
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

function integer(v: bigint): Resolved {
  return { kind: v > INT64_MAX ? 'uint' : 'int', value: Number(v), exact: v };
}

/** go-yaml v2's resolution of an untagged (or core-tagged) scalar: its kind and value. */
function resolveText(text: string, tag: string): Resolved {
  const first = text.length === 0 ? -1 : text.charCodeAt(0);
  const hint = first < 0 ? 0x4e /* N */ : first < 128 ? HINT[first] : 0;
  if (hint === 0 || tag === STR_TAG) return { kind: 'str', value: text };
  const word = WORDS.get(text);
  if (word !== undefined) return word;
  if (hint === 0x2e) {
    if (DOT_FLOAT.test(text)) {
      const v = finiteFloat(text.replace(/_/g, ''));
      if (v !== undefined) return { kind: 'float', value: v };
    }
  } else if (hint === 0x44 || hint === 0x53) {
    // timestamps (YYYY-…) stay strings: they are never numbers either
    const plain = text.indexOf('_') < 0 ? text : text.replace(/_/g, '');
    let n = parseGoInt(plain, 0, false);
    if (n === undefined) n = parseGoInt(plain, 0, true);
    if (n !== undefined) return integer(n);
    if (YAML_STYLE_FLOAT.test(plain)) {
      const v = finiteFloat(plain);
      if (v !== undefined) return { kind: 'float', value: v };
    }
    if (plain.startsWith('0b')) {
      n = parseGoInt(plain.slice(2), 2, false) ?? parseGoInt(plain.slice(2), 2, true);
      if (n !== undefined) return integer(n);
    } else if (plain.startsWith('-0b')) {
      n = parseGoInt('-' + plain.slice(3), 2, false);
      if (n !== undefined) return integer(n);
    }
  }
  return { kind: 'str', value: text };
}

/** The value of a plain, untagged scalar. */
export function resolvePlain(text: string): unknown {
  const first = text.length === 0 ? -1 : text.charCodeAt(0);
  // most scalars are names and words: strings at the first character
  if (first >= 0 && (first >= 128 || HINT[first] === 0)) return text;
  // and most numbers are small decimals (ports, replicas, user ids): no need for BigInt
  if (first >= 0x31 && first <= 0x39 && text.length <= 15 && DECIMAL.test(text)) return Number(text);
  // a word starting with y n t f o ~ is one of the fixed words or a string
  if (first >= 0 && HINT[first] === 0x4d) {
    const word = WORDS.get(text);
    return word === undefined ? text : word.value;
  }
  return resolveText(text, '').value;
}

/** A decimal without sign, leading zero or separator (what the fast path of resolvePlain reads). */
const DECIMAL = /^[0-9]+$/;

const KIND_OF_TAG = new Map<string, ScalarKind>([
  [STR_TAG, 'str'], [INT_TAG, 'int'], [FLOAT_TAG, 'float'], [BOOL_TAG, 'bool'], [NULL_TAG, 'null'],
]);

/** The name of a core tag in messages (`!!int`). */
function shortTag(tag: string): string {
  return tag.startsWith(YAML_TAG_PREFIX) ? '!!' + tag.slice(YAML_TAG_PREFIX.length) : tag;
}

const KIND_NAME: Record<ScalarKind, string> = { str: '!!str', int: '!!int', uint: '!!int', float: '!!float', bool: '!!bool', null: '!!null' };

/**
 * A scalar as go-yaml v2 resolves it: `tag` is '' for an untagged scalar (then `plain`
 * says whether it was written without quotes), else the tag's full name (`!` for the
 * non-specific tag). Throws a {@link ResolveError} where go-yaml v2 refuses it.
 */
export function resolveScalar(text: string, tag: string, plain: boolean): Resolved {
  if (tag === '') return plain ? resolveText(text, '') : { kind: 'str', value: text };
  if (tag === BINARY_TAG) return { kind: 'str', value: decodeBinary(text) };
  const want = KIND_OF_TAG.get(tag);
  if (want === undefined) {
    // not a resolvable tag (`!`, `!foo`, `!!merge`…): the text
    if (tag !== TIMESTAMP_TAG || isGoTimestamp(text)) return { kind: 'str', value: text };
    throw new ResolveError('a scalar tagged !!timestamp is not a timestamp');
  }
  const got = resolveText(text, tag);
  if (got.kind === want || (want === 'int' && got.kind === 'uint')) return got;
  if (want === 'float' && got.kind === 'int') return { kind: 'float', value: got.value };
  throw new ResolveError(`a scalar tagged ${shortTag(tag)} resolves to ${KIND_NAME[got.kind]} instead`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `!!binary`: standard base64 (go-yaml's StdEncoding ignores line breaks), decoded to a string as Go converts bytes. */
function decodeBinary(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (!BASE64.test(compact)) throw new ResolveError('a !!binary scalar is not valid base64');
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * Whether go-yaml v2 reads the text as a timestamp (YYYY-M-D, optionally followed by a
 * time as in its allowed formats). Only `!!timestamp` needs the answer: an untagged
 * timestamp stays a string either way.
 */
function isGoTimestamp(text: string): boolean {
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?$/.test(text);
}
