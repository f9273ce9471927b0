import { isUtf8 } from 'buffer';

/**
 * Bytes to text, as kubectl reads a file or standard input: cli-runtime's FileVisitor
 * wraps every input in golang.org/x/text's `unicode.BOMOverride(unicode.UTF8.NewDecoder())`,
 * so
 * - a byte-order mark at the start selects the encoding and is dropped: UTF-8, or
 *   UTF-16 little- or big-endian;
 * - without one the input is UTF-8, and each byte that does not begin a well-formed
 *   UTF-8 sequence becomes one U+FFFD (as Go's `utf8.DecodeRune` steps over it), so
 *   invalid UTF-8 is not an error to kubectl.
 * Input arrives in chunks; a sequence cut by a chunk boundary is completed by the next.
 */
export class Utf8Reader {
  private carry: Buffer = Buffer.alloc(0);
  private encoding: 'unknown' | 'utf8' | 'utf16le' | 'utf16be' = 'unknown';

  /** The text of the next bytes (a sequence left open at their end waits for the next call). */
  public push(bytes: Buffer): string {
    let all = this.carry.length === 0 ? bytes : Buffer.concat([this.carry, bytes]);
    if (this.encoding === 'unknown') {
      if (all.length < 3 && !(all.length === 2 && isUtf16Bom(all))) {
        this.carry = Buffer.from(all);
        return '';
      }
      all = this.detect(all);
    }
    if (this.encoding === 'utf8') {
      const cut = openSequenceStart(all);
      this.carry = Buffer.from(all.subarray(cut));
      return decodeUtf8(all.subarray(0, cut));
    }
    const even = all.length - (all.length % 2);
    this.carry = Buffer.from(all.subarray(even));
    return decodeUtf16(all.subarray(0, even), this.encoding === 'utf16be');
  }

  /** The text of what is left at the end of the input. */
  public end(): string {
    let rest = this.carry;
    this.carry = Buffer.alloc(0);
    if (this.encoding === 'unknown') rest = this.detect(rest);
    if (this.encoding === 'utf8') return decodeUtf8(rest);
    // an odd byte left over in UTF-16 is one invalid unit
    return decodeUtf16(rest.subarray(0, rest.length - (rest.length % 2)), this.encoding === 'utf16be') + (rest.length % 2 ? '\ufffd' : '');
  }

  private detect(b: Buffer): Buffer {
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      this.encoding = 'utf8';
      return b.subarray(3);
    }
    if (isUtf16Bom(b)) {
      this.encoding = b[0] === 0xff ? 'utf16le' : 'utf16be';
      return b.subarray(2);
    }
    this.encoding = 'utf8';
    return b;
  }
}

function isUtf16Bom(b: Buffer): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}

/** Where an incomplete (but so far valid) sequence starts at the end of the bytes, or their length. */
function openSequenceStart(b: Buffer): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const c = b[n - k];
    if (c >= 0x80 && c <= 0xbf) continue; // a continuation byte: look further back
    const need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 1;
    return need > k ? n - k : n;
  }
  return n;
}

function decodeUtf8(b: Buffer): string {
  if (b.length === 0) return '';
  if (isUtf8(b)) return b.toString('utf8');
  let out = '';
  let from = 0;
  let i = 0;
  while (i < b.length) {
    const len = validSequenceLength(b, i);
    if (len > 0) {
      i += len;
      continue;
    }
    out += b.toString('utf8', from, i) + '\ufffd';
    i++;
    from = i;
  }
  return out + b.toString('utf8', from, i);
}

function decodeUtf16(b: Buffer, bigEndian: boolean): string {
  if (!bigEndian) return b.toString('utf16le');
  const swapped = Buffer.from(b);
  swapped.swap16();
  return swapped.toString('utf16le');
}

/** Length of the well-formed UTF-8 sequence at `i` (as Go's utf8.DecodeRune accepts it), or 0. */
function validSequenceLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
