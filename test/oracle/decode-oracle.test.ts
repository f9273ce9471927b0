/**
 * Proves the kubectl decoding oracle (test/oracle/decode, driven by
 * decode-oracle.ts) works and pins a few of kubectl's decoding quirks.
 * Needs Go >= 1.26; the first run builds the oracle (about a minute and a
 * half, plus module downloads on a cold module cache).
 *
 * Every object needs a `kind`: kubectl rejects documents without one
 * ("Object 'Kind' is missing"), so the inputs below carry `kind: T`.
 */
import { DecodeOracle, OracleResult, startDecodeOracle } from './decode-oracle';

let oracle: DecodeOracle;

beforeAll(async () => {
  oracle = await startDecodeOracle();
}, 10 * 60_000);

afterAll(async () => {
  await oracle?.close();
});

async function decode(text: string | Buffer): Promise<OracleResult> {
  const [result] = await oracle.decode([typeof text === 'string' ? Buffer.from(text, 'utf8') : text]);
  return result;
}

/** The objects of a stream whose documents all decoded. */
async function objects(text: string): Promise<unknown[]> {
  const result = await decode(text);
  expect(result.stopped).toBe(false);
  return result.docs.flatMap((doc) => {
    if (!('objects' in doc)) {
      throw new Error(`document ${doc.index} failed: ${doc.error}`);
    }
    return doc.objects;
  });
}

test('YAML 1.1 scalars: yes is true, 0x10 is 16', async () => {
  expect(await objects('kind: T\na: yes\n')).toEqual([{ kind: 'T', a: true }]);
  expect(await objects('kind: T\na: 0x10\n')).toEqual([{ kind: 'T', a: 16 }]);
  // Keys too: `y` and `n` are YAML 1.1 booleans, and JSON keys are strings.
  expect(await objects('kind: T\nm: {y: 1, n: 2}\n')).toEqual([{ kind: 'T', m: { true: 1, false: 2 } }]);
});

test('merge key after an explicit key overrides it (go-yaml v2 order)', async () => {
  // go-yaml v2 handles the keys of a mapping in order, and `<<` writes the
  // merged keys into the map it has so far, overwriting `a: 1`. The YAML merge
  // spec says explicit keys win (which would give a: 1), and so do most JS
  // decoders. With `<<` first and `a: 1` after it, the result is a: 1.
  expect(await objects('kind: T\na: 1\n<<: {a: 2}\n')).toEqual([{ kind: 'T', a: 2 }]);
  expect(await objects('kind: T\n<<: {a: 2}\na: 1\n')).toEqual([{ kind: 'T', a: 1 }]);
});

test('a List is flattened, but a List nested in a List is rejected', async () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } };
  expect(await objects(`apiVersion: v1\nkind: List\nitems:\n- ${JSON.stringify(cm)}\n- ${JSON.stringify(secret)}\n`))
    .toEqual([cm, secret]);

  // FlattenListVisitor calls meta.ExtractList on the inner List, which is an
  // *unstructured.Unstructured (only the outer document is decoded into an
  // UnstructuredList); ExtractList looks for a Go field named Items and fails,
  // so kubectl rejects the whole document: neither item is applied.
  const nested = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - ${JSON.stringify(cm)}\n- ${JSON.stringify(secret)}\n`;
  expect(await decode(nested)).toEqual({
    docs: [{ index: 0, error: '*unstructured.Unstructured is not a list: no Items field in this object' }],
    stopped: false,
  });
});

test('PodList items without kind and apiVersion become Pod/v1; others are rejected one by one', async () => {
  expect(await objects('apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n'))
    .toEqual([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }]);

  // An item with a kind but no apiVersion is not completed and fails the
  // typer; the other items are still applied (reported as `partial`).
  expect(await decode('apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n- {kind: Pod, metadata: {name: b}}\n')).toEqual({
    docs: [{
      index: 0,
      error: 'unable to get type info from the object "*unstructured.Unstructured": Object \'apiVersion\' is missing in \'object has no apiVersion field\'',
      partial: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }],
    }],
    stopped: false,
  });
});

test('document separators: ---#comment separates, --- foo is an error', async () => {
  expect(await decode('kind: A\n---#comment\nkind: B\n')).toEqual({
    docs: [{ index: 0, objects: [{ kind: 'A' }] }, { index: 1, objects: [{ kind: 'B' }] }],
    stopped: false,
  });
  // The bad separator line fails the document it ends (`kind: B` is lost with
  // it); kubectl would stop the file there, the oracle goes on.
  expect(await decode('kind: A\n---\nkind: B\n--- foo\nkind: C\n')).toEqual({
    docs: [
      { index: 0, objects: [{ kind: 'A' }] },
      { index: 1, error: 'error parsing STDIN: invalid Yaml document separator: foo' },
      { index: 2, objects: [{ kind: 'C' }] },
    ],
    stopped: false,
  });
});

test('empty and null documents are skipped but counted in index', async () => {
  expect(await decode('# just a comment\n---\nnull\n---\nkind: A\n')).toEqual({
    docs: [{ index: 2, objects: [{ kind: 'A' }] }],
    stopped: false,
  });
});

test('a stream starting with { is read as JSON', async () => {
  // Two JSON objects on one line are two documents: no YAML reading allows that.
  expect(await decode('  {"kind": "A"}{"kind": "B", "v": "yes"}\n')).toEqual({
    docs: [{ index: 0, objects: [{ kind: 'A' }] }, { index: 1, objects: [{ kind: 'B', v: 'yes' }] }],
    stopped: false,
  });
  // After two JSON objects the stream is JSON for good: YAML after them is a
  // syntax error, and json.Decoder cannot go on, so the stream is stopped.
  expect(await decode('{"kind": "A"}\n{"kind": "B"}\nkind: C\n---\nkind: D\n')).toEqual({
    docs: [
      { index: 0, objects: [{ kind: 'A' }] },
      { index: 1, objects: [{ kind: 'B' }] },
      { index: 2, error: "error parsing STDIN: invalid character 'k' looking for beginning of value" },
    ],
    stopped: true,
  });
});

test('invalid UTF-8 becomes U+FFFD, as kubectl\'s file reader replaces it', async () => {
  expect(await decode(Buffer.concat([Buffer.from('kind: T\nv: a'), Buffer.from([0xff]), Buffer.from('b\n')]))).toEqual({
    docs: [{ index: 0, objects: [{ kind: 'T', v: 'a\ufffdb' }] }],
    stopped: false,
  });
});

test('answers 50,000 requests in one process', async () => {
  const streams = Array.from({ length: 50_000 }, (_, i) => Buffer.from(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {num: "${i}"}\n`));
  const started = Date.now();
  const results = await oracle.decode(streams);
  const elapsed = Date.now() - started;
  expect(results).toHaveLength(50_000);
  const expected = (i: number) => ({ docs: [{ index: 0, objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { num: String(i) } }] }], stopped: false });
  expect(results[0]).toEqual(expected(0));
  expect(results[49_999]).toEqual(expected(49_999));
  // Cheap check of every answer (50,000 toEqual calls would dominate the run time).
  const wrong = results.findIndex((result, i) => {
    const doc = result.docs[0];
    const obj = doc && 'objects' in doc ? doc.objects[0] as { metadata?: { name?: string }; data?: { num?: string } } : undefined;
    return result.docs.length !== 1 || obj?.metadata?.name !== `cm-${i}` || obj?.data?.num !== String(i);
  });
  expect(wrong).toBe(-1);
  expect(elapsed).toBeLessThan(30_000);
}, 120_000);
