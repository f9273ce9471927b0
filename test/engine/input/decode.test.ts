/**
 * kubeharden's decoding against the fixtures of decode-cases.ts (which the oracle suite
 * checks against Kubernetes' own code), and what the fixtures cannot state.
 */
import { asDecoded, DECODE_CASES } from './decode-cases';
import { decodeManifestStream } from '../../../src/engine/input/decode';

function ours(input: string | Buffer) {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return asDecoded(decodeManifestStream(bytes).map((d) => ({ objects: d.objects.map((o) => o.value), error: d.errors.length > 0 })));
}

describe('decoding as kubectl decodes', () => {
  test.each(DECODE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(ours(c.input)).toEqual(c.kubeharden ?? c.expect);
  });

  test('two YAML keys that become one JSON key are refused: Kubernetes keeps one of them by chance (Go map order)', () => {
    for (const m of ['{1: a, "1": b}', '{on: a, "true": b}', '{1: a, 1.0: b}']) {
      const [doc] = decodeManifestStream(Buffer.from(`apiVersion: v1\nkind: X\nm: ${m}\n`));
      expect(doc.errors.map((e) => e.message)).toEqual([expect.stringMatching(/become the same JSON key/)]);
    }
    // the same key twice, or the same value written two ways, is one key: the last wins
    const [same] = decodeManifestStream(Buffer.from('apiVersion: v1\nkind: X\nm: {1: a, 0x1: b, yes: c, on: d}\n'));
    expect(same.objects.map((o) => o.value)).toEqual([{ apiVersion: 'v1', kind: 'X', m: { 1: 'b', true: 'd' } }]);
  });

  test('a document is located: errors and objects carry the stream line', () => {
    const docs = decodeManifestStream(Buffer.from('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n# c\napiVersion: v1\nkind: X\nm: {~: a}\n'));
    expect(docs.map((d) => [d.line, d.objects.map((o) => o.line), d.errors.map((e) => [e.line, e.column])])).toEqual([
      [1, [1], []],
      [5, [], [[8, 5]]],
    ]);
  });
});
