/**
 * The decoding fixtures (test/engine/input/decode-cases.ts) against Kubernetes' own
 * code: each case's `expect` is what kubectl makes of the stream. `npm test` checks
 * kubeharden against the same fixtures.
 */
import { DecodeOracle, isErrorDoc, startDecodeOracle } from './decode-oracle';
import { asDecoded, DECODE_CASES } from '../engine/input/decode-cases';

let oracle: DecodeOracle;
beforeAll(async () => {
  oracle = await startDecodeOracle();
}, 600_000);
afterAll(async () => {
  await oracle?.close();
});

test.each(DECODE_CASES.map((c) => [c.name, c] as const))('kubectl: %s', async (_name, c) => {
  const [result] = await oracle.decode([typeof c.input === 'string' ? Buffer.from(c.input, 'utf8') : c.input]);
  const docs = result.docs.map((d) => (isErrorDoc(d)
    ? { objects: (d.partial ?? []) as unknown[], error: true }
    : { objects: d.objects, error: false }));
  expect(asDecoded(docs)).toEqual(c.expect);
});
