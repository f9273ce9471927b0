import { keepShape } from '../shapes';

/**
 * Bytes to text, as kubectl reads a file or standard input: cli-runtime's FileVisitor
 * wraps every input in golang.org/x/text's `unicode.BOMOverride(unicode.UTF8.NewDecoder())`,
 * so
 * - a byte-order mark at the start selects the encoding and is dropped: UTF-8, or
 *   UTF-16 little- or big-endian;
 * - without one the input is UTF-8, and each maximal ill-formed part becomes one
 *   U+FFFD, so invalid UTF-8 is not an error to kubectl.
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
  // Node's decoder replaces each maximal ill-formed subpart with one U+FFFD, as x/text does
  return b.length === 0 ? '' : b.toString('utf8');
}

function decodeUtf16(b: Buffer, bigEndian: boolean): string {
  if (!bigEndian) return b.toString('utf16le');
  const swapped = Buffer.from(b);
  swapped.swap16();
  return swapped.toString('utf16le');
}

// a reader dies with its input; its hidden class must not (see shapes.ts)
keepShape(new Utf8Reader());
