/**
 * Locating paths in parsed documents, checked against a reference that knows nothing of
 * the engine's shortcuts (no memo of the previous path, no index of where nodes end, no
 * batching): every node of every document, looked up in a random order, batched and not.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Event, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE } from 'js-yaml';
import { resolvePlain } from '../../src/engine/input/resolve';
import { splitManifestStream } from '../../src/engine/input/stream';
import { parseDocument, parseDocuments } from '../../src/engine/input/yaml-document';
import { indexPath, keyPath } from '../../src/engine/json-path';

const splitYamlDocuments = (text: string) => splitManifestStream(text).flatMap((d) => (d.kind === 'yaml' ? [d] : []));

const ROOT = path.resolve(__dirname, '../..');

/**
 * Every node of a document's events, by path, with the offset a finding there points at:
 * a mapping entry's key (where its line is), a sequence item, the root node. A plain
 * recursive walk.
 */
function referenceOffsets(text: string): Map<string, number> | undefined {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: 1000 });
  } catch {
    return undefined;
  }
  if (events.some((e) => e.type === EVENT_ID.ALIAS || ((e as any).anchorStart ?? -1) !== -1 || ((e as any).tagStart ?? -1) !== -1)) return undefined;
  const out = new Map<string, number>();
  const offsetOf = (e: any) => (e.type === EVENT_ID.SCALAR ? e.valueStart : e.start);
  // returns the index after the node
  const walk = (i: number, at: string, offset: number): number => {
    const e = events[i] as any;
    if (!out.has(at)) out.set(at, offset);
    if (e.type === EVENT_ID.SCALAR) return i + 1;
    let j = i + 1;
    if (e.type === EVENT_ID.SEQUENCE) {
      for (let n = 0; events[j].type !== EVENT_ID.POP; n++) j = walk(j, indexPath(at, n), offsetOf(events[j]));
      return j + 1;
    }
    while (events[j].type !== EVENT_ID.POP) {
      const k = events[j] as any;
      if (k.type !== EVENT_ID.SCALAR) return -1; // a complex key: not this reference's business
      const raw = getScalarValue(text, k);
      const name = k.style === SCALAR_STYLE.PLAIN ? String(resolvePlain(raw)) : raw;
      j = walk(j + 1, keyPath(at, name), offsetOf(k));
      if (j < 0) return -1;
    }
    return j + 1;
  };
  if (events[0]?.type !== EVENT_ID.DOCUMENT || events[1] === undefined || events[1].type === EVENT_ID.POP) return undefined;
  return walk(1, '', offsetOf(events[1])) < 0 ? undefined : out;
}

/** A seeded shuffle (Park-Miller), so that a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = items.slice();
  let s = (seed % 2147483646) + 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 48271) % 2147483647;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Checks every document of a stream, one by one and batched; returns the paths checked. */
function checkStream(text: string, seed: number): number {
  const docs = splitYamlDocuments(text).map((d) => d.text);
  const batch = parseDocuments(docs);
  let checked = 0;
  docs.forEach((doc, d) => {
    const reference = referenceOffsets(doc);
    if (reference === undefined) return;
    const single = parseDocument(doc);
    if (single.error) return;
    const paths = shuffled([...reference.keys()], seed + d);
    const wrong: string[] = [];
    for (const parsed of [single, batch[d]]) {
      for (const p of paths) {
        const want = reference.get(p);
        // the node, and below a node that is not there: the nearest existing ancestor
        for (const q of [p, keyPath(p, 'kubeharden-missing'), indexPath(p, 99999)]) {
          const got = parsed.locate(q);
          if (got !== want) wrong.push(`${q}: ${got}, expected ${want}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    checked += paths.length;
  });
  return checked;
}

describe('locating paths', () => {
  test('every node of every YAML file of the repository, in random orders', () => {
    let checked = 0;
    yamlFiles(path.join(ROOT, 'test')).concat(yamlFiles(path.join(ROOT, 'examples'))).forEach((f, i) => {
      checked += checkStream(fs.readFileSync(f, 'utf8'), i * 7919);
    });
    expect(checked).toBeGreaterThan(1000);
  });

  test('every node of a generated corpus', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-locate-'));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { generate } = require(path.join(ROOT, 'bench/generate.js'));
      generate(dir, 200);
      let checked = 0;
      yamlFiles(dir).forEach((f, i) => {
        checked += checkStream(fs.readFileSync(f, 'utf8'), i);
      });
      expect(checked).toBeGreaterThan(10000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
