/**
 * What every fix promises, checked over the upstream pod-security-admission fixtures (at
 * their level and version), the rule fixture files, the custom resource examples, the
 * insecure examples and generated pods and workloads:
 * - after fixing, a fixable rule reports only findings its fix declined, for a reason the
 *   fix gave (never "could not remove it" without one);
 * - no rule reports more on the fixed object than on the original;
 * - the API server's security-context validation finds nothing new;
 * - a second fix changes nothing;
 * - fields of suppressed findings are exactly as they were.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { apiValidationProblems } from '../../src/engine/api-validation';
import { Engine } from '../../src/engine/engine';
import { segmentsOf, valueAt } from '../../src/engine/fix-paths';
import { decodeManifestStream } from '../../src/engine/input/decode';
import { fixOf } from '../../src/engine/rule';
import { Finding, Profile } from '../../src/engine/types';
import { CATALOG } from '../../src/rules';
import { PSA_FIXTURE_COUNT, psaFixtures } from '../fixtures/psa';

const ROOT = path.join(__dirname, '..', '..');

function objectsOf(file: string): any[] {
  return decodeManifestStream(fs.readFileSync(file)).flatMap((d) => d.objects.map((o) => o.value));
}

function counts(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) if (!f.suppressed) out.set(f.ruleId, (out.get(f.ruleId) ?? 0) + 1);
  return out;
}

/** Every broken promise of fixing `object` with `engine`, as readable lines. */
function brokenPromises(engine: Engine, object: any, label: string): string[] {
  const out: string[] = [];
  const before = engine.checkObjects([object]).findings;
  const result = engine.fixObjects([object]).objects[0];
  const fixed = result.fixed;
  const after = engine.checkObjects([fixed]).findings;
  const was = counts(before);
  for (const [rule, n] of counts(after)) {
    if (n > (was.get(rule) ?? 0)) out.push(`${label}: ${rule} reports ${n} after fixing, ${was.get(rule) ?? 0} before`);
  }
  const declined = new Map(result.declined.map((d) => [`${d.ruleId} ${d.path}`, d.reason]));
  for (const f of after) {
    if (f.suppressed) continue;
    const rule = engine.rules.find((r) => r.metadata.id === f.ruleId)!;
    if (!fixOf(rule)) continue;
    const reason = declined.get(`${f.ruleId} ${f.path}`);
    if (reason === undefined) out.push(`${label}: ${f.ruleId} at ${f.path} remains, not listed as declined`);
    else if (reason === 'the fix could not remove it') out.push(`${label}: ${f.ruleId} at ${f.path} remains without a reason`);
  }
  if (apiValidationProblems(fixed).length > apiValidationProblems(object).length) {
    out.push(`${label}: the API server would refuse the fixed object: ${apiValidationProblems(fixed).join('; ')}`);
  }
  for (const f of before) {
    if (!f.suppressed) continue;
    const s = segmentsOf(f.path)!;
    if (JSON.stringify(valueAt(object, s)) !== JSON.stringify(valueAt(fixed, s))) out.push(`${label}: suppressed ${f.ruleId} at ${f.path} changed`);
  }
  const again = engine.fixObjects([fixed]).objects[0];
  if (JSON.stringify(again.fixed) !== JSON.stringify(fixed) || again.changes.length > 0) out.push(`${label}: a second fix changed ${again.changes.map((c) => c.path).join(', ')}`);
  if (JSON.stringify(object) === JSON.stringify(fixed) && result.changes.length > 0) out.push(`${label}: changes listed but nothing changed`);
  return out;
}

const engines = new Map<string, Engine>();
function engineFor(profile: Profile, pssVersion: string = 'latest'): Engine {
  const key = `${profile} ${pssVersion}`;
  let e = engines.get(key);
  if (!e) {
    e = new Engine({
      profile,
      pssVersion,
      rules: {
        'read-only-root-filesystem': { options: { writablePaths: ['/tmp'] } },
        'memory-limits': { options: { default: '256Mi' } },
        'memory-requests': { options: { default: '128Mi' } },
        'cpu-requests': { options: { default: '100m' } },
        'pss-run-as-user': { options: { uid: 10001 } },
      },
    });
    engines.set(key, e);
  }
  return e;
}

describe('the catalog', () => {
  test('at least 15 rules are fixable, and each says what its fix does', () => {
    const fixable = CATALOG.filter((r) => fixOf(r));
    expect(fixable.length).toBeGreaterThanOrEqual(15);
    for (const r of fixable) expect(r.metadata.fix).toEqual(fixOf(r)!.summary);
    for (const r of CATALOG.filter((x) => !fixOf(x))) expect(r.metadata.fix).toBeUndefined();
  });

  test('every restricted PSS check with a safe fix has one', () => {
    const pss = CATALOG.filter((r) => r.metadata.pss?.level === Profile.RESTRICTED).map((r) => [r.metadata.id, !!fixOf(r)]);
    expect(Object.fromEntries(pss)).toEqual({
      'pss-allow-privilege-escalation': true,
      'pss-capabilities-restricted': true,
      'pss-run-as-non-root': true,
      // which UID an image can run as, only its owner knows
      // with the rule option uid: which UID an image can run as, only its owner knows
      'pss-run-as-user': true,
      'pss-seccomp-profile-restricted': true,
      // what a volume holds cannot be moved into another volume type
      'pss-restricted-volumes': false,
      'pss-proc-mount-restricted': true,
    });
  });
});

describe('fixes over the pod-security-admission fixtures', () => {
  const fixtures = psaFixtures();
  test('all fixtures are there', () => expect(fixtures.length).toBe(PSA_FIXTURE_COUNT));
  for (const level of ['baseline', 'restricted'] as const) {
    test(`${level}: every promise holds on every fixture`, () => {
      const broken: string[] = [];
      let changed = 0;
      for (const f of fixtures.filter((x) => x.level === level)) {
        const engine = engineFor(level === 'baseline' ? Profile.BASELINE : Profile.RESTRICTED, f.version);
        for (const o of objectsOf(f.file)) {
          broken.push(...brokenPromises(engine, o, `${level}/${f.version}/${f.outcome}/${f.name}`));
          if (engine.fixObjects([o]).objects[0].changes.length > 0) changed++;
        }
      }
      expect(broken.slice(0, 20)).toEqual([]);
      // the fixes do work on the corpus: most failing fixtures are fixable
      expect(changed).toBeGreaterThan(500);
    });
  }

  test('restricted: a failing fixture of a fixable check passes after fixing, unless the fix declines', () => {
    const stillFailing: string[] = [];
    for (const f of fixtures.filter((x) => x.level === 'restricted' && x.outcome === 'fail')) {
      const engine = engineFor(Profile.RESTRICTED, f.version);
      for (const o of objectsOf(f.file)) {
        const r = engine.fixObjects([o]);
        const remaining = r.report.findings.filter((x) => !x.suppressed);
        const declined = new Set(r.objects[0].declined.map((d) => `${d.ruleId} ${d.path}`));
        for (const x of remaining) {
          const rule = engine.rules.find((y) => y.metadata.id === x.ruleId)!;
          if (fixOf(rule) && !declined.has(`${x.ruleId} ${x.path}`)) stillFailing.push(`${f.version}/${f.name}: ${x.ruleId} ${x.path}`);
        }
      }
    }
    expect(stillFailing).toEqual([]);
  });
});

describe('fixes over the repository fixtures', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  walk(path.join(ROOT, 'test', 'engine', 'fixtures'));
  walk(path.join(ROOT, 'examples', 'insecure'));
  for (const dir of fs.readdirSync(path.join(ROOT, 'test', 'rules'))) {
    const fx = path.join(ROOT, 'test', 'rules', dir, 'fixtures');
    if (fs.existsSync(fx)) walk(fx);
  }

  test('the corpus is not empty', () => expect(files.length).toBeGreaterThan(10));
  test('every promise holds at hardened', () => {
    const broken: string[] = [];
    for (const file of files) {
      objectsOf(file).forEach((o, i) => broken.push(...brokenPromises(engineFor(Profile.HARDENED), o, `${path.relative(ROOT, file)}#${i}`)));
    }
    expect(broken.slice(0, 20)).toEqual([]);
  });

  test('examples/insecure: no finding of a fixable rule is left without a reason', () => {
    const engine = engineFor(Profile.HARDENED);
    const objects = fs.readdirSync(path.join(ROOT, 'examples', 'insecure')).flatMap((f) => objectsOf(path.join(ROOT, 'examples', 'insecure', f)));
    const r = engine.fixObjects(objects);
    const declined = r.objects.flatMap((o) => o.declined.map((d) => `${o.object.kind}/${o.object.name} ${d.ruleId}: ${d.reason}`));
    // what stays needs a decision only the workload's owner can make
    for (const d of declined) expect(d).not.toMatch(/could not remove it/);
    expect(r.objects.reduce((n, o) => n + o.changes.length, 0)).toBeGreaterThan(15);
  });
});

describe('fixes over generated objects', () => {
  const bool = fc.option(fc.boolean(), { nil: undefined });
  const caps = fc.option(fc.array(fc.constantFrom('ALL', 'NET_BIND_SERVICE', 'SYS_ADMIN', 'CAP_SYS_ADMIN', 'NET_RAW', 'CHOWN', 'KILL'), { maxLength: 3 }), { nil: undefined });
  const profileType = fc.option(fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost', 'Bogus'), { nil: undefined });
  const sc = fc.record({
    privileged: bool,
    allowPrivilegeEscalation: bool,
    runAsNonRoot: bool,
    runAsUser: fc.option(fc.constantFrom(0, 1000, -1), { nil: undefined }),
    readOnlyRootFilesystem: bool,
    procMount: fc.option(fc.constantFrom('Default', 'Unmasked'), { nil: undefined }),
    capabilities: fc.option(fc.record({ add: caps, drop: caps }, { requiredKeys: [] }), { nil: undefined }),
    seccompProfile: fc.option(fc.record({ type: profileType }, { requiredKeys: [] }), { nil: undefined }),
    appArmorProfile: fc.option(fc.record({ type: profileType }, { requiredKeys: [] }), { nil: undefined }),
  }, { requiredKeys: [] });
  const port = fc.record({ containerPort: fc.constant(80), hostPort: fc.option(fc.constantFrom(0, 80), { nil: undefined }) });
  const container = (name: string) => fc.record({
    name: fc.constant(name),
    image: fc.constantFrom('nginx', 'registry.example.com/a:1@sha256:' + 'a'.repeat(64)),
    securityContext: fc.option(sc, { nil: undefined }),
    ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }),
  }, { requiredKeys: ['name', 'image'] });
  const podSpec = fc.record({
    hostNetwork: bool,
    hostPID: bool,
    hostUsers: bool,
    os: fc.option(fc.record({ name: fc.constantFrom('linux', 'windows') }), { nil: undefined }),
    securityContext: fc.option(fc.record({
      runAsNonRoot: bool,
      runAsUser: fc.option(fc.constantFrom(0, 1000), { nil: undefined }),
      seccompProfile: fc.option(fc.record({ type: profileType }, { requiredKeys: [] }), { nil: undefined }),
    }, { requiredKeys: [] }), { nil: undefined }),
    containers: fc.tuple(container('a'), container('b')).map(([a, b]) => [a, b]),
    initContainers: fc.option(fc.tuple(container('i')).map((x) => x), { nil: undefined }),
    automountServiceAccountToken: bool,
  }, { requiredKeys: ['containers'] });
  const suppression = fc.option(fc.constantFrom('pss-privileged', 'pss-capabilities-restricted', 'read-only-root-filesystem', 'pss-run-as-non-root'), { nil: undefined });
  const clean = (v: unknown): any => JSON.parse(JSON.stringify(v));

  test('pods and Deployments, at every profile', () => {
    const profiles = fc.constantFrom(Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED);
    fc.assert(fc.property(podSpec, fc.boolean(), suppression, profiles, (spec, deployment, suppressed, profile) => {
      const annotations = suppressed ? { [`ignore.kubeharden.io/${suppressed}`]: 'accepted by the platform team for this test' } : undefined;
      const object = clean(deployment
        ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n', annotations }, spec: { selector: {}, template: { metadata: {}, spec } } }
        : { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', annotations }, spec });
      const broken = brokenPromises(engineFor(profile), object, 'generated');
      if (broken.length) throw new Error(`${broken.join('\n')}\n${JSON.stringify(object)}`);
    }), { numRuns: 400, seed: 12 });
  });
});
