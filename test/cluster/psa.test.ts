/**
 * kubeharden's Pod Security Standards rules against the real Pod Security Admission of a
 * real kube-apiserver: every upstream pod-security-admission fixture (test/fixtures/
 * pod-security-admission/, all levels and versions) is created with server-side dry run in a
 * namespace labelled `pod-security.kubernetes.io/enforce: <level>` and
 * `enforce-version: <version>`, and checked by `new Engine({ profile: <level>, pssVersion:
 * <version> })`. The server denies a Pod exactly when the engine reports a PSS finding.
 * `npm run test:cluster`.
 */
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import { Cluster, CreateResult, startCluster } from './harness';
import { Engine } from '../../src/engine/engine';
import { Profile } from '../../src/engine/types';
import { Rules } from '../../src/rules/catalog';
import { PSA_FIXTURE_COUNT, PsaFixture, psaFixtures } from '../fixtures/psa';

jest.setTimeout(60_000);

/** Dry-run creates in flight at once (the server has two cores to share with jest). */
const CONCURRENCY = 4;

/** PSS rule ids by level: baseline rules are part of restricted too. */
const PSS_LEVEL = new Map<string, Profile>();
for (const rule of Rules.all()) {
  if (rule.metadata.pss) PSS_LEVEL.set(rule.metadata.id, rule.metadata.pss.level);
}
const LEVELS_AT: { [level: string]: Profile[] } = {
  baseline: [Profile.BASELINE],
  restricted: [Profile.BASELINE, Profile.RESTRICTED],
};

type Verdict = 'allowed' | 'denied';

interface Outcome {
  readonly fixture: PsaFixture;
  /** What the server did; `invalid` when something else than PSA refused it (validation). */
  readonly server: Verdict | 'invalid';
  readonly serverMessage: string;
  readonly engine: Verdict;
  readonly engineRules: string[];
}

function namespaceFor(f: PsaFixture): string {
  return `psa-${f.level}-${f.version.replace('.', '-')}`;
}

let cluster: Cluster;
const fixtures = psaFixtures();
const outcomes: Outcome[] = [];
let elapsedMs = 0;

beforeAll(async () => {
  cluster = await startCluster();
}, 40 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

test('the corpus is complete and covers the server\'s own version', () => {
  expect(fixtures.length).toBe(PSA_FIXTURE_COUNT);
  const own = `v1.${cluster.minor}`;
  expect(fixtures.filter((f) => f.version === own).length).toBeGreaterThan(100);
  expect(PSS_LEVEL.size).toBeGreaterThan(10);
});

test('Pod Security Admission denies a fixture exactly when kubeharden reports a PSS finding', async () => {
  const started = Date.now();
  const namespaces = [...new Set(fixtures.map(namespaceFor))];
  await cluster.apply(namespaces.map((name) => {
    const [, level, minor] = /^psa-(\w+)-v1-(\d+)$/.exec(name)!;
    return {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': `v1.${minor}` },
      },
    };
  }));

  const engines = new Map<string, Engine>();
  const engineFor = (f: PsaFixture): Engine => {
    const key = `${f.level}/${f.version}`;
    let e = engines.get(key);
    if (!e) {
      e = new Engine({ profile: f.level === 'baseline' ? Profile.BASELINE : Profile.RESTRICTED, pssVersion: f.version });
      engines.set(key, e);
    }
    return e;
  };

  const judge = async (f: PsaFixture): Promise<Outcome> => {
    const text = fs.readFileSync(f.file, 'utf8');
    const report = engineFor(f).checkText(text, f.file);
    if (report.errors.length > 0) throw new Error(`${f.file}: the engine could not read it: ${report.errors.map((e) => e.message).join('; ')}`);
    const engineRules = [...new Set(report.findings
      .filter((x) => !x.suppressed && LEVELS_AT[f.level].includes(PSS_LEVEL.get(x.ruleId)!))
      .map((x) => x.ruleId))].sort();

    const pod = yaml.load(text) as any;
    // the namespace decides the policy: drop any the fixture names. Fixture names carry '_'
    // (capabilities_baseline0), which is no valid object name: neither PSA nor a rule reads
    // the name, so give the Pod a valid one (`capabilities-baseline0`).
    pod.metadata = { ...pod.metadata, name: String(pod.metadata?.name ?? f.name.replace(/\.yaml$/, '')).toLowerCase().replace(/[^a-z0-9.-]/g, '-') };
    delete pod.metadata.namespace;
    const r: CreateResult = await cluster.create(pod, { dryRun: true, namespace: namespaceFor(f) });
    let server: Outcome['server'];
    if (r.allowed) server = 'allowed';
    else if (r.status === 403 && /violates PodSecurity/.test(r.message)) server = 'denied';
    else server = 'invalid';
    return { fixture: f, server, serverMessage: r.message, engine: engineRules.length > 0 ? 'denied' : 'allowed', engineRules };
  };

  let next = 0;
  const worker = async () => {
    while (next < fixtures.length) {
      const f = fixtures[next++];
      outcomes.push(await judge(f));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  elapsedMs = Date.now() - started;

  const name = (o: Outcome) => `${o.fixture.level}/${o.fixture.version}/${o.fixture.outcome}/${o.fixture.name}`;
  const invalid = outcomes.filter((o) => o.server === 'invalid');
  const judged = outcomes.filter((o) => o.server !== 'invalid');
  const differences = judged.filter((o) => o.server !== o.engine);
  const upstream = judged.filter((o) => (o.server === 'allowed') !== (o.fixture.outcome === 'pass'));

  const lines = [
    `PSA differential on kube-apiserver ${cluster.version.gitVersion}: ${outcomes.length} fixtures in ${elapsedMs} ms ` +
    `(${judged.length} judged by PSA: ${judged.filter((o) => o.server === 'denied').length} denied, ` +
    `${judged.filter((o) => o.server === 'allowed').length} allowed; ${invalid.length} refused by validation before PSA)`,
    ...differences.map((o) => `DIFFERENCE ${name(o)}: server ${o.server}${o.serverMessage ? ` (${o.serverMessage})` : ''}; ` +
      `kubeharden ${o.engine}${o.engineRules.length ? ` (${o.engineRules.join(', ')})` : ''}`),
    ...upstream.map((o) => `UPSTREAM ${name(o)}: the server ${o.server} a fixture filed under ${o.fixture.outcome}/`),
    ...invalid.map((o) => `NOT JUDGED ${name(o)}: ${o.serverMessage}`),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);

  expect(outcomes.length).toBe(fixtures.length);
  // every fixture reached PSA except the few this server's validation refuses first (listed above)
  expect(invalid.length).toBeLessThan(fixtures.length / 100);
  expect(differences.map(name)).toEqual([]);
  expect(upstream.map(name)).toEqual([]);
}, 30 * 60_000);

test('the comparison judged both verdicts at every level, including the server\'s own version', () => {
  const own = `v1.${cluster.minor}`;
  for (const level of ['baseline', 'restricted']) {
    const here = outcomes.filter((o) => o.fixture.level === level && o.fixture.version === own && o.server !== 'invalid');
    expect(here.filter((o) => o.server === 'denied').length).toBeGreaterThan(10);
    expect(here.filter((o) => o.server === 'allowed').length).toBeGreaterThan(5);
  }
});
