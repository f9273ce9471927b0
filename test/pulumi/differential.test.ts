/**
 * The pack and the engine agree: over every YAML fixture of the rule tests, the example
 * manifests and the pod-security-admission conformance corpus, the set of (rule id,
 * object) the policies report equals the set of unsuppressed engine findings, with the
 * same profile and version.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { analyze, analyzeStack, tokenOf } from './harness';
import { Engine } from '../../src/engine/engine';
import { Profile } from '../../src/engine/types';
import { kubehardenPolicies, kubernetesTypeOf } from '../../src/pulumi';
import { PSA_FIXTURE_COUNT, PSA_FIXTURES, psaFixtures } from '../fixtures/psa';

const repoRoot = path.resolve(__dirname, '../..');

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Test files of the rule tests. */
function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

/**
 * The inline YAML fixtures of a rule test: its template literals that hold a manifest
 * (apiVersion and kind, no interpolation).
 */
function inlineFixtures(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of source.matchAll(/`([^`]*)`/g)) {
    const text = m[1];
    if (text.includes('${') || !/^\s*apiVersion:/m.test(text) || !/^\s*kind:/m.test(text)) continue;
    out.push(text);
  }
  return out;
}

/** Kubernetes objects of a file, Lists expanded as the provider registers them. */
function objectsOf(file: string): any[] {
  return objectsOfText(fs.readFileSync(file, 'utf8'));
}

function objectsOfText(text: string): any[] {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text);
  } catch {
    return [];
  }
  const out: any[] = [];
  const add = (o: any) => {
    if (!o || typeof o !== 'object' || Array.isArray(o) || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || !o.kind || !o.apiVersion) return;
    if (o.kind.endsWith('List') && Array.isArray(o.items)) o.items.forEach(add);
    else if (kubernetesTypeOf(tokenOf(o))) out.push(o);
  };
  docs.forEach(add);
  return out;
}

const packs = new Map<string, ReturnType<typeof kubehardenPolicies>>();
const engines = new Map<string, Engine>();
function setup(profile: Profile, pssVersion: string) {
  const key = `${profile}@${pssVersion}`;
  if (!packs.has(key)) {
    packs.set(key, kubehardenPolicies({ profile, pssVersion }));
    engines.set(key, new Engine({ profile, pssVersion }));
  }
  return { policies: packs.get(key)!, engine: engines.get(key)! };
}

async function disagreements(objects: any[], profile: Profile, pssVersion: string, label: string): Promise<string[]> {
  const { policies, engine } = setup(profile, pssVersion);
  const setLevel = new Set(engine.rules.filter((r) => r.metadata.setLevel).map((r) => r.metadata.id));
  const out: string[] = [];
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    // object-level rules: one resource at a time (the analyze call)
    const findings = engine.checkObjects([o]).findings.filter((f) => !f.suppressed && !setLevel.has(f.ruleId));
    const expected = [...new Set(findings.map((f) => f.ruleId))].sort();
    const type = tokenOf(o);
    const a = await analyze(policies, { type, name: `o${i}`, urn: `urn:pulumi:test::app::${type}::o${i}`, inputs: JSON.parse(JSON.stringify(o)) });
    const got = [...new Set(a.violations.map((v) => v.policy))].sort();
    if (JSON.stringify(expected) !== JSON.stringify(got)) out.push(`${label}#${i}: engine ${expected.join(',')} / pack ${got.join(',')}`);
  }
  // set-level rules: all the objects of the input at once (the analyzeStack call)
  if (setLevel.size > 0 && objects.length > 0) {
    const urnOf = (i: number) => `urn:pulumi:test::app::${tokenOf(objects[i])}::o${i}`;
    const keyOf = (o: any) => JSON.stringify([o?.kind, o?.metadata?.namespace ?? '', o?.metadata?.name ?? '']);
    const byKey = new Map(objects.map((o, i) => [keyOf(o), urnOf(i)]));
    const expected = [...new Set(engine.checkObjects(objects).findings
      .filter((f) => !f.suppressed && setLevel.has(f.ruleId))
      .map((f) => `${f.ruleId} ${byKey.get(keyOf({ kind: f.object.kind, metadata: f.object })) ?? '?'}`))].sort();
    const resources = objects.map((o, i) => ({ type: tokenOf(o), name: `o${i}`, urn: urnOf(i), inputs: JSON.parse(JSON.stringify(o)) }));
    const stack = await analyzeStack(policies, resources);
    const got = [...new Set(stack.violations.map((v) => `${v.policy} ${v.urn ?? '?'}`))].sort();
    if (JSON.stringify(expected) !== JSON.stringify(got)) out.push(`${label} (stack): engine ${expected.join(',')} / pack ${got.join(',')}`);
  }
  return out;
}

test('rule fixtures and example manifests: pack and engine agree (hardened, latest)', async () => {
  const files = [...yamlFiles(path.join(repoRoot, 'test/rules')), ...yamlFiles(path.join(repoRoot, 'examples/insecure'))];
  let objects = 0;
  const diffs: string[] = [];
  for (const f of files) {
    const objs = objectsOf(f);
    objects += objs.length;
    for (const profile of [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED]) diffs.push(...await disagreements(objs, profile, 'latest', `${path.relative(repoRoot, f)}:${profile}`));
  }
  let inline = 0;
  for (const f of testFiles(path.join(repoRoot, 'test/rules'))) {
    const texts = inlineFixtures(f);
    for (let t = 0; t < texts.length; t++) {
      const objs = objectsOfText(texts[t]);
      inline += objs.length;
      for (const profile of [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED]) {
        diffs.push(...await disagreements(objs, profile, 'latest', `${path.relative(repoRoot, f)} fixture ${t}:${profile}`));
      }
    }
  }
  console.log(`differential (fixtures): ${objects} objects from ${files.length} YAML files and ${inline} from inline test fixtures, x 3 profiles, ${diffs.length} disagreements`);
  expect(diffs).toEqual([]);
  expect(objects).toBeGreaterThan(0);
  expect(inline).toBeGreaterThan(50);
});

test('pod-security-admission conformance corpus: pack and engine agree at each level and version', async () => {
  const fixtures = psaFixtures(); // throws if the fixture folder is missing
  expect(fixtures.length).toBe(PSA_FIXTURE_COUNT);
  let count = 0;
  const diffs: string[] = [];
  for (const { level, version, file } of fixtures) {
    const objs = objectsOf(file);
    count += objs.length;
    diffs.push(...await disagreements(objs, level === 'baseline' ? Profile.BASELINE : Profile.RESTRICTED, version, path.relative(PSA_FIXTURES, file)));
  }
  console.log(`differential (PSA corpus): ${count} objects, ${diffs.length} disagreements`);
  expect(diffs.slice(0, 20)).toEqual([]);
  expect(count).toBeGreaterThanOrEqual(PSA_FIXTURE_COUNT);
}, 600_000);
