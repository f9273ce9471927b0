/**
 * kubeharden's decoding against Kubernetes' own: every stream is decoded by the oracle
 * (test/oracle/decode: apimachinery's YAMLOrJSONDecoder, sigs.k8s.io/yaml, cli-runtime's
 * list flattening) and by kubeharden's input module (decodeManifestStream); document
 * by document, both must give the same objects, or both refuse the document.
 *
 * Two differences are allowed, both refusals by kubeharden where kubectl decodes (a
 * refusal is an input error: exit 2, never a clean verdict), each counted and printed:
 * - a plain scalar inside a flow collection with a `?` or a `:` not followed by a space,
 *   which YAML 1.1 and js-yaml's YAML 1.2 parser tokenize differently;
 * - a NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR character, which they read
 *   differently too;
 * - two different YAML keys of one mapping that become the same JSON key (`on` and
 *   `"true"`): Kubernetes keeps whichever Go's random map order puts last.
 * Any other difference fails the test and is printed with its input, to become a
 * fixture in test/engine/input/decode-cases.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { DecodeOracle, isErrorDoc, OracleResult, startDecodeOracle } from './decode-oracle';
import { decodableStream, manifestStream, workloadStream } from './manifest-generator';
import { decodeManifestStream, DecodedDocument } from '../../src/engine/input/decode';
import { psaFixtureFiles } from '../fixtures/psa';

const ROOT = path.resolve(__dirname, '../..');
const GENERATED_STREAMS = Number(process.env.KUBEHARDEN_ORACLE_STREAMS ?? 9000);

let oracle: DecodeOracle;
beforeAll(async () => {
  oracle = await startDecodeOracle();
}, 600_000);
afterAll(async () => {
  await oracle?.close();
});

/** JSON with sorted keys: the same text for the same value. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

const ALLOWED_REFUSALS = [
  /inside \[ \] or \{ \} holds a "\?" or a ":"/,
  /NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR/,
  /different YAML values that become the same JSON key/,
];

interface Tally {
  documents: number;
  objects: number;
  errorsBoth: number;
  refused: number[];
  differences: string[];
}

function compare(input: Buffer, expected: OracleResult, got: DecodedDocument[], tally: Tally): void {
  const differ = (why: string) => {
    if (tally.differences.length < 20) tally.differences.push(`${why}\n  input: ${JSON.stringify(input.toString('utf8'))}\n  oracle: ${JSON.stringify(expected.docs)}\n  ours: ${JSON.stringify(got.map((d) => ({ objects: d.objects.map((o) => o.value), errors: d.errors.map((e) => e.message) })))}`);
    else tally.differences.push(why);
  };
  const n = expected.stopped ? expected.docs.length : Math.max(expected.docs.length, got.length);
  for (let i = 0; i < n; i++) {
    const want = expected.docs[i];
    const have = got[i];
    tally.documents++;
    if (want === undefined || have === undefined) return differ(`document ${i}: ${want === undefined ? 'only kubeharden' : 'only the oracle'} has it`);
    const haveObjects = canonical(have.objects.map((o) => o.value));
    const allowed = ALLOWED_REFUSALS.findIndex((r) => have.errors.some((e) => r.test(e.message)));
    if (allowed >= 0) {
      tally.refused[allowed]++;
      // a refusal stops the comparison of this stream: what follows is judged apart
      return;
    }
    if (isErrorDoc(want)) {
      if (have.errors.length === 0) return differ(`document ${i}: the oracle refuses it, kubeharden decodes it`);
      if (canonical(want.partial ?? []) !== haveObjects) return differ(`document ${i}: both refuse part of it, but keep different objects`);
      tally.errorsBoth++;
      continue;
    }
    if (have.errors.length > 0) {
      return differ(`document ${i}: kubeharden refuses it (${have.errors.map((e) => e.message).join('; ')}), the oracle decodes it`);
    }
    if (canonical(want.objects) !== haveObjects) return differ(`document ${i}: different objects`);
    tally.objects += want.objects.length;
  }
}

async function run(inputs: Buffer[]): Promise<Tally> {
  const tally: Tally = { documents: 0, objects: 0, errorsBoth: 0, refused: [0, 0, 0], differences: [] };
  const results = await oracle.decode(inputs);
  inputs.forEach((input, i) => compare(input, results[i], decodeManifestStream(input), tally));
  return tally;
}

function report(name: string, t: Tally): void {
  // eslint-disable-next-line no-console
  console.log(`${name}: ${t.documents} documents (${t.objects} objects, ${t.errorsBoth} refused by both), `
    + `refused by kubeharden only: ${t.refused[0]} flow scalars, ${t.refused[1]} line breaks, ${t.refused[2]} colliding keys; ${t.differences.length} differences`);
}

function repositoryYaml(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === '.git' || name === 'build' || name === 'coverage') continue;
    const p = path.join(dir, name);
    const stat = fs.statSync(p);
    if (stat.isDirectory()) repositoryYaml(p, out);
    else if (/\.(ya?ml|json)$/.test(name) && stat.size < 5_000_000) out.push(p);
  }
  return out;
}

describe('decoding equals kubectl\'s (sigs.k8s.io/yaml, apimachinery, cli-runtime)', () => {
  /** Compares `numRuns` streams of `arbitrary`, at the run's seed (printed, and set by KUBEHARDEN_ORACLE_SEED). */
  async function generated(name: string, arbitrary: fc.Arbitrary<Buffer>, numRuns: number): Promise<Tally> {
    const seed = Number(process.env.KUBEHARDEN_ORACLE_SEED ?? Date.now() % 2_147_483_647);
    const t = await run(fc.sample(arbitrary, { numRuns, seed }));
    report(`${name} (seed ${seed})`, t);
    expect(t.differences).toEqual([]);
    return t;
  }

  test(`generated streams (${GENERATED_STREAMS}, seed printed on failure)`, async () => {
    const t = await generated('generated', manifestStream, GENERATED_STREAMS);
    expect(t.documents).toBeGreaterThanOrEqual(GENERATED_STREAMS >= 9000 ? 20_000 : 1);
  }, 600_000);

  test(`generated decodable streams (${GENERATED_STREAMS}): most documents decode, and their values are compared`, async () => {
    const t = await generated('decodable', decodableStream, GENERATED_STREAMS);
    expect(t.documents).toBeGreaterThanOrEqual(GENERATED_STREAMS >= 9000 ? 20_000 : 1);
    // the point of these streams: no more than one document in ten refused (by both, or by kubeharden alone)
    expect(t.errorsBoth + t.refused.reduce((a, b) => a + b, 0)).toBeLessThan(t.documents / 10);
  }, 600_000);

  test('generated workloads: security fields in every YAML 1.1 spelling, merged from anchors in every order', async () => {
    const t = await generated('workloads', workloadStream, 3000);
    // these are meant to decode: most documents must give objects
    expect(t.objects).toBeGreaterThan(t.documents * 0.8);
  }, 600_000);

  test('every YAML and JSON file of the repository', async () => {
    const files = repositoryYaml(ROOT).filter((f) => !f.includes(`${path.sep}pod-security-admission${path.sep}`));
    expect(files.length).toBeGreaterThan(20);
    const t = await run(files.map((f) => fs.readFileSync(f)));
    report('repository files', t);
    expect(t.differences).toEqual([]);
  }, 600_000);

  test('the 4,537 upstream pod-security-admission fixtures', async () => {
    const t = await run(psaFixtureFiles().map((f) => fs.readFileSync(f)));
    report('PSA fixtures', t);
    expect(t.differences).toEqual([]);
    expect(t.objects).toBe(psaFixtureFiles().length);
  }, 600_000);
});
