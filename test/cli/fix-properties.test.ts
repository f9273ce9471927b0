/**
 * Properties of `kubeharden fix`'s rewriting, over generated input:
 * - pods and Deployments written in YAML in many ways (block and flow collections, both
 *   sequence indentations, quoted and plain strings, comments after values and on lines of
 *   their own): the rewritten text decodes to exactly the objects the engine's fix pass
 *   makes, keeps every comment, and a second run changes nothing;
 * - jsonDiff: its operations, applied, turn one value into the other;
 * - unifiedDiff: the diff, applied, turns one text into the other.
 */
import * as fc from 'fast-check';
import { applyDiff, runCli } from './helpers';
import { applyJsonOps } from '../../src/cli/fix-command';
import { unifiedDiff } from '../../src/cli/unified-diff';
import { jsonDiff } from '../../src/cli/yaml-edit';
import { Engine } from '../../src/engine/engine';
import { decodeManifestStream } from '../../src/engine/input/decode';

const DIGEST = 'sha256:0000000000000000000000000000000000000000000000000000000000000000';

function objectsOf(text: string): any[] {
  const docs = decodeManifestStream(Buffer.from(text, 'utf8'));
  expect(docs.flatMap((d) => d.errors)).toEqual([]);
  return docs.flatMap((d) => d.objects.map((o) => o.value));
}

/** A small deterministic random source (mulberry32), for the choices of how to write the YAML. */
function random(seed: number): () => number {
  let a = seed >>> 0; // eslint-disable-line no-bitwise
  return () => {
    /* eslint-disable no-bitwise */
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    /* eslint-enable no-bitwise */
  };
}

/** Writes a JSON value as YAML, choosing the style of each part at random; returns the text and its comments. */
function writeYaml(value: unknown, seed: number): { text: string; comments: string[] } {
  const rnd = random(seed);
  const comments: string[] = [];
  const seqIndent = rnd() < 0.5 ? 0 : 2;
  const comment = (): string => {
    if (rnd() > 0.25) return '';
    const c = `# note ${comments.length}`;
    comments.push(c);
    return `  ${c}`;
  };
  const scalar = (v: unknown, inFlow: boolean): string => {
    if (typeof v !== 'string') return String(v);
    const r = rnd();
    if (r < 0.3 || (inFlow && /[:@]/.test(v))) return JSON.stringify(v);
    if (r < 0.5) return `'${v}'`;
    return /[:@]/.test(v) ? JSON.stringify(v) : v;
  };
  const flow = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
    if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
    return scalar(v, true);
  };
  const isFull = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== null && typeof v === 'object' && Object.keys(v).length > 0);
  const map = (o: { [k: string]: unknown }, col: number): string[] => {
    const pad = ' '.repeat(col);
    const lines: string[] = [];
    for (const [k, v] of Object.entries(o)) {
      if (rnd() < 0.1) {
        const c = `# line note ${comments.length}`;
        comments.push(c);
        lines.push(`${pad}${c}`);
      }
      if (!isFull(v) || rnd() < 0.2) {
        lines.push(`${pad}${k}: ${isFull(v) ? flow(v) : Array.isArray(v) ? '[]' : typeof v === 'object' && v !== null ? '{}' : scalar(v, false)}${comment()}`);
      } else if (Array.isArray(v)) {
        lines.push(`${pad}${k}:${comment()}`, ...seq(v, col + seqIndent));
      } else {
        lines.push(`${pad}${k}:${comment()}`, ...map(v as { [k: string]: unknown }, col + 2));
      }
    }
    return lines;
  };
  const seq = (a: unknown[], col: number): string[] => {
    const pad = ' '.repeat(col);
    const lines: string[] = [];
    for (const item of a) {
      if (isFull(item) && !Array.isArray(item) && rnd() < 0.7) {
        const inner = map(item as { [k: string]: unknown }, col + 2);
        // the first line of the item's mapping goes on the dash's line (a comment line stays above it)
        const first = inner.findIndex((l) => !l.trimStart().startsWith('#'));
        lines.push(...inner.slice(0, first), `${pad}- ${inner[first].slice(col + 2)}`, ...inner.slice(first + 1));
      } else {
        lines.push(`${pad}- ${isFull(item) ? flow(item) : scalar(item, false)}${comment()}`);
      }
    }
    return lines;
  };
  return { text: `${map(value as { [k: string]: unknown }, 0).join('\n')}\n`, comments };
}

const bool = fc.boolean();
const securityContext = fc.record({
  privileged: bool,
  allowPrivilegeEscalation: bool,
  readOnlyRootFilesystem: bool,
  runAsUser: fc.constantFrom(0, 1000),
  procMount: fc.constantFrom('Unmasked', 'Default'),
  capabilities: fc.record({
    add: fc.subarray(['NET_ADMIN', 'SYS_ADMIN', 'NET_BIND_SERVICE']),
    drop: fc.subarray(['ALL', 'NET_RAW']),
  }, { requiredKeys: [] }),
  seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }),
}, { requiredKeys: [] });
const container = (i: number) => fc.record({
  name: fc.constant(`c${i}`),
  image: fc.constantFrom(`registry.example.com/app@${DIGEST}`, 'nginx:1.27'),
  ports: fc.array(fc.record({ containerPort: fc.constantFrom(80, 8080), hostPort: fc.constantFrom(80, 8080) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 }),
  securityContext,
}, { requiredKeys: ['name', 'image'] });
const podSpec = fc.record({
  hostNetwork: bool,
  hostPID: bool,
  automountServiceAccountToken: bool,
  securityContext: fc.record({ runAsNonRoot: bool, seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }) }, { requiredKeys: [] }),
  containers: fc.tuple(container(0), fc.option(container(1), { nil: undefined })).map(([a, b]) => (b ? [a, b] : [a])),
}, { requiredKeys: ['containers'] });
const workload = fc.tuple(podSpec, bool).map(([spec, deployment]) => (deployment
  ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } } }
  : { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec }));

test('a generated workload, written in any style, is rewritten to exactly the fixed object, keeping its comments', async () => {
  const engine = new Engine();
  let rewritten = 0;
  await fc.assert(fc.asyncProperty(workload, fc.integer(), async (object, seed) => {
    const { text, comments } = writeYaml(object, seed);
    expect(objectsOf(text)).toEqual([object]);
    const r = await runCli(['fix', '-'], { stdin: text });
    expect({ text, stderr: r.stderr }).toEqual({ text, stderr: expect.not.stringMatching(/cannot rewrite|internal error/) });
    expect([0, 1]).toContain(r.code);
    const fixed = engine.fixObjects([object]).objects[0].fixed;
    expect(objectsOf(r.stdout)).toEqual([fixed]);
    for (const c of comments) expect({ comment: c, text, out: r.stdout }).toEqual({ comment: c, text, out: expect.stringContaining(c) });
    if (r.stdout !== text) rewritten++;
    // a second run changes nothing
    const again = await runCli(['fix', '-'], { stdin: r.stdout });
    expect(again.stdout).toBe(r.stdout);
  }), { numRuns: Number(process.env.KUBEHARDEN_FIX_RUNS ?? 60) });
  expect(rewritten).toBeGreaterThan(30);
});

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, false, 0, 1, 'a', 'b'), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 }),
})).value;

test('jsonDiff: its operations turn the first value into the second', () => {
  fc.assert(fc.property(json, json, (a, b) => {
    expect(applyJsonOps(a, jsonDiff(a, b))).toEqual(b);
  }), { numRuns: 500 });
  // an appended item is an insertion, an item gone a removal: the others are not rewritten
  expect(jsonDiff({ drop: ['A'] }, { drop: ['A', 'ALL'] })).toEqual([{ kind: 'insert', path: ['drop'], value: 'ALL' }]);
  expect(jsonDiff({ add: ['X', 'Y', 'Z'] }, { add: ['X', 'Z'] })).toEqual([{ kind: 'remove', path: ['add', 1] }]);
  expect(jsonDiff({ a: { b: 1 } }, { a: {} })).toEqual([{ kind: 'set', path: ['a'], value: {} }]);
});


test('unifiedDiff: the diff turns the first text into the second', () => {
  const line = fc.constantFrom('a', 'b', 'c', 'd', '', '  e: 1');
  const text = fc.tuple(fc.array(line, { maxLength: 30 }), bool).map(([ls, nl]) => (ls.length === 0 ? '' : ls.join('\n') + (nl ? '\n' : '')));
  fc.assert(fc.property(text, text, (a, b) => {
    const d = unifiedDiff(a, b, 'x', 'x');
    if (a === b) {
      expect(d).toBe('');
      return;
    }
    expect(d.startsWith('--- x\n+++ x\n@@ ')).toBe(true);
    expect(applyDiff(a, d)).toBe(b);
  }), { numRuns: 3000 });
  expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'f', 'f')).toBe('--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
});
