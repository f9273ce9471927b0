/**
 * The generated admission policies against Kubernetes' own admission code: every policy of
 * every profile compiles with the API server's CEL compiler (type-checked against the real
 * OpenAPI schemas, in the CEL environment of the target version, within the cost limits),
 * and over the Pod Security Admission fixtures, the repository's manifests and generated
 * objects, the (rule, object) pairs the policies deny are exactly those `kubeharden check`
 * reports. See test/oracle/README.md for the oracle.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { looseSealedSecrets, otherObjects, podObjects } from './admission-objects';
import { AdmissionCase, AdmissionOracle, CaseOutcome, CompileReport, isCaseError, rulePolicySet, startAdmissionOracle } from './admission-oracle';
import { AdmissionPolicySet, Engine, Profile } from '../../src';
import { CLEAN_MANIFESTS } from '../fixtures/clean-manifests';
import { psaFixtures } from '../fixtures/psa';

jest.setTimeout(30 * 60 * 1000);

let oracle: AdmissionOracle;
beforeAll(async () => {
  oracle = await startAdmissionOracle();
});
afterAll(async () => {
  await oracle?.close();
});

const PROFILES = [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED];

/** Rule options that make every option-reading rule judge something. */
const RULE_OPTIONS = {
  'allowed-registries': { options: { registries: ['registry.example.com', 'ghcr.io/acme', 'Index.Docker.io/library/redis/'] } },
  'env-literal-secret': { options: { secretNamePatterns: ['^stripe$', '^LOG_'] } },
  'configmap-credentials': { options: { secretNamePatterns: ['^stripe$', 'level$'] } },
  'persistent-volume-host-path': { options: { allowedLocalPaths: ['/mnt/disks', '/srv/../mnt/ssd/'] } },
};

function engineFor(profile: Profile, pssVersion = 'latest'): Engine {
  return new Engine({ profile, pssVersion, rules: RULE_OPTIONS });
}

/** The CRDs of the custom resources the policies match: type checks use their schemas, and their objects are validated with them. */
const CRDS = [parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'crds', 'sealedsecrets.bitnami.com.yaml'), 'utf8'))];

function policySet(set: AdmissionPolicySet, kubernetesVersion: string, check = true) {
  return {
    check,
    crds: CRDS,
    policies: set.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy'),
    bindings: set.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding'),
    params: set.objects.filter((o) => o.kind === 'ConfigMap'),
    kubernetesVersion,
    // the engine judges the object as written; the API server defaults before admission,
    // and the rules account for the defaults that matter (hostPort from hostNetwork)
    applyDefaults: false,
  };
}

/**
 * What is wrong with a compile report: what the API server refuses, type warnings, and
 * estimated costs over the per-call limit for expressions that iterate nothing. (An
 * expression over a list the schema leaves unbounded, such as a pod's containers, has an
 * unbounded estimate in any policy; the API server accepts it, and its cost at run time,
 * which the differential tests below measure on every object, is what it limits.)
 */
function compileProblems(report: CompileReport): string[] {
  const out: string[] = [...(report.paramErrors ?? []), ...(report.crdErrors ?? [])];
  for (const p of report.policies) {
    for (const e of p.serverErrors ?? []) out.push(`${p.name}: ${e}`);
    if (!p.admittedByServer) out.push(`${p.name}: the API server would refuse the policy`);
    for (const w of p.typeWarnings ?? []) out.push(`${p.name}: ${w.path}: ${w.warning}`);
    for (const x of p.expressions ?? []) {
      if (x.exceedsLimit && (x.path.includes('auditAnnotations') || x.path.includes('matchConditions'))) {
        out.push(`${p.name}: ${x.path}: estimated cost ${x.estimatedCost} over ${x.limit}`);
      }
    }
  }
  for (const b of report.bindings ?? []) for (const e of b.errors ?? []) out.push(`binding ${b.name}: ${e}`);
  return out;
}

/** The rule a policy enforces (its label). */
function ruleOfPolicy(set: AdmissionPolicySet): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of set.objects) if (o.kind === 'ValidatingAdmissionPolicy') out.set(o.metadata.name, o.metadata.labels['kubeharden.io/rule']);
  return out;
}

/** The rules whose policies deny, from the oracle's outcome. */
function denied(outcome: CaseOutcome, rules: Map<string, string>): Set<string> {
  if (isCaseError(outcome)) throw new Error(`oracle: ${outcome.error}`);
  const out = new Set<string>();
  for (const r of outcome) {
    if (r.error) throw new Error(`oracle: policy ${r.policy}: ${r.error}`);
    if (r.decision === 'error') throw new Error(`oracle: policy ${r.policy} could not be evaluated: ${r.failures.map((f) => f.message).join('; ')}`);
    if (r.decision === 'deny' || r.warnings.length > 0 || r.auditFailures.length > 0) out.add(rules.get(r.policy)!);
  }
  return out;
}

/** The enforced rules the engine reports on an object. */
function reported(engine: Engine, enforced: Set<string>, object: unknown): Set<string> {
  const report = engine.checkObjects([object]);
  return new Set(report.findings.filter((f) => !f.suppressed && enforced.has(f.ruleId)).map((f) => f.ruleId));
}

function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x));
}

interface Difference {
  readonly label: string;
  readonly deniedOnly: string[];
  readonly reportedOnly: string[];
}

/** How many objects the policies denied in the last comparison (a comparison that denies nothing proves little). */
let lastDeniedObjects = 0;
/** How many objects each rule's policies denied in the last comparison. */
let lastDeniedByRule = new Map<string, number>();

/** Compares the policies and the engine over objects; returns the differences. */
interface Labelled {
  readonly label: string;
  readonly object: any;
}

async function compare(engine: Engine, set: AdmissionPolicySet, kubernetesVersion: string, objects: Labelled[]): Promise<Difference[]> {
  // type checks and costs are the compile tests' (above): here the policies are only compiled
  const report = await oracle.load(policySet(set, kubernetesVersion, false));
  expect(compileProblems(report)).toEqual([]);
  const rules = ruleOfPolicy(set);
  const enforced = new Set(set.enforced);
  const cases: AdmissionCase[] = objects.map(({ object }) => ({ object, operation: 'CREATE' }));
  const outcomes = await oracle.evaluate(cases);
  const out: Difference[] = [];
  lastDeniedObjects = 0;
  lastDeniedByRule = new Map();
  objects.forEach(({ label, object }, i) => {
    const d = denied(outcomes[i], rules);
    if (d.size > 0) lastDeniedObjects++;
    for (const r of d) lastDeniedByRule.set(r, (lastDeniedByRule.get(r) ?? 0) + 1);
    const r = reported(engine, enforced, object);
    const deniedOnly = difference(d, r);
    const reportedOnly = difference(r, d);
    if (deniedOnly.length || reportedOnly.length) out.push({ label, deniedOnly, reportedOnly });
  });
  return out;
}

// restricted's policies are a subset of hardened's; baseline adds the baseline checks restricted replaces
describe.each([Profile.BASELINE, Profile.HARDENED])('the %s profile', (profile) => {
  // 1.30, the oldest version the policies are for (test/cluster/admission.test.ts has the newest server type-check them)
  test.each(['1.30'])('every policy compiles for Kubernetes %s: no error, no type warning, within the cost limits', async (version) => {
    const set = engineFor(profile).admissionPolicies({ kubernetesVersion: version });
    expect(set.enforced.length).toBeGreaterThan(0);
    const report = await oracle.load(policySet(set, version));
    expect(report.policies.length).toBe(set.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length);
    expect(compileProblems(report)).toEqual([]);
  });
});

describe('the Pod Security Admission fixtures', () => {
  const byLevelAndVersion = new Map<string, { label: string; object: any }[]>();
  for (const f of psaFixtures()) {
    const key = `${f.level} ${f.version}`;
    const docs = parseAllDocuments(fs.readFileSync(f.file, 'utf8')).map((d) => d.toJSON()).filter((o) => o && typeof o === 'object');
    const list = byLevelAndVersion.get(key) ?? [];
    for (const object of docs) list.push({ label: `${f.level}/${f.version}/${f.outcome}/${f.name}`, object });
    byLevelAndVersion.set(key, list);
  }
  test.each([...byLevelAndVersion.keys()])('%s: the policies deny exactly what check reports', async (key) => {
    const [level, version] = key.split(' ');
    const engine = engineFor(level as Profile, version);
    const set = engine.admissionPolicies({ kubernetesVersion: '1.30' });
    const fixtures = byLevelAndVersion.get(key)!;
    const diffs = await compare(engine, set, '1.30', fixtures);
    expect(diffs).toEqual([]);
    // every version has fixtures its policies must deny
    expect(lastDeniedObjects).toBeGreaterThan(0);
    expect(lastDeniedObjects).toBeLessThan(fixtures.length);
  });
});

/** The repository's own manifests: examples and fixtures. */
function repositoryObjects(): { label: string; object: any }[] {
  const root = path.resolve(__dirname, '..', '..');
  const out: { label: string; object: any }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!['node_modules', '.git', 'lib', 'build', 'pod-security-admission', 'cdk8s.out'].includes(e.name)) walk(p);
      } else if (/\.ya?ml$/.test(e.name)) {
        let docs: unknown[];
        try {
          docs = parseAllDocuments(fs.readFileSync(p, 'utf8')).map((d) => d.toJSON());
        } catch {
          continue;
        }
        docs.forEach((object, i) => {
          if (object && typeof object === 'object' && !Array.isArray(object)) out.push({ label: `${path.relative(root, p)}#${i}`, object });
        });
      }
    }
  };
  for (const d of ['examples', 'test']) walk(path.join(root, d));
  parseAllDocuments(CLEAN_MANIFESTS).forEach((d, i) => out.push({ label: `clean manifests #${i}`, object: d.toJSON() }));
  return out;
}

/** The objects of kinds the policies match, well-typed for the schema (a decode check: JSON round trip). */
function admissible(objects: Labelled[], oracleOutcomes: CaseOutcome[]): Labelled[] {
  return objects.filter((_, i) => !isCaseError(oracleOutcomes[i]));
}

describe('the repository manifests and generated objects', () => {
  test.each(PROFILES)('%s: the policies deny exactly what check reports', async (profile) => {
    const engine = engineFor(profile);
    const set = engine.admissionPolicies();
    await oracle.load(policySet(set, '1.30'));
    const all = repositoryObjects();
    // objects the oracle cannot take (not a built-in kind, a value of the wrong type) are not admitted by any API server
    const outcomes = await oracle.evaluate(all.map(({ object }) => ({ object, operation: 'CREATE' })));
    const objects = admissible(all, outcomes);
    // examples/insecure, the example app as `npm run demo` synthesizes it (examples/app/dist), the clean manifests
    expect(objects.length).toBeGreaterThan(15);
    const arbitrary = fc.oneof({ weight: 4, arbitrary: podObjects }, { weight: 1, arbitrary: otherObjects });
    const generated = fc.sample(arbitrary, { numRuns: 4000, seed: 1301 });
    const diffs = await compare(engine, set, '1.30', [
      ...objects,
      ...generated.map((object, i) => ({ label: `generated #${i}: ${JSON.stringify(object)}`, object })),
    ]);
    expect(diffs.slice(0, 10)).toEqual([]);
    expect(lastDeniedObjects).toBeGreaterThan(100);
    // every enforced rule denied some object, and admitted some (the corpus exercises each policy both ways)
    const total = objects.length + generated.length;
    const unexercised = set.enforced.filter((id) => !((lastDeniedByRule.get(id) ?? 0) > 0 && (lastDeniedByRule.get(id) ?? 0) < total));
    expect(unexercised).toEqual([]);
  });
});

describe('the runtime cost budget', () => {
  /** A Deployment with many containers, each with many ordinary variables; `secret` puts one literal password in the last container. */
  function bigDeployment(containers: number, variables: number, secret: boolean) {
    const list = Array.from({ length: containers }, (_, c) => ({
      name: `c${c}`,
      image: 'registry.example.com/app:1.0',
      env: Array.from({ length: variables }, (__, v) => ({ name: `APPLICATION_SETTING_NUMBER_${v}_FOR_THE_SERVICE`, value: `an ordinary value ${v}` })),
    }));
    if (secret) list[containers - 1].env.push({ name: 'DB_PASSWORD', value: 'hunter2' });
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'big', namespace: 'apps' },
      spec: { selector: { matchLabels: { app: 'big' } }, template: { metadata: { labels: { app: 'big' } }, spec: { containers: list } } },
    };
  }

  test.each([[[]], [['^stripe$', 'level$', '(?:TOKEN|KEY)S?_[0-9]+$']]])('env-literal-secret judges 10 containers of 150 variables each within it (patterns %j)', async (patterns) => {
    const rule = 'env-literal-secret';
    const engine = new Engine({ profile: Profile.HARDENED, rules: { [rule]: { options: { secretNamePatterns: patterns } } } });
    await oracle.load(rulePolicySet(engine.admissionPolicies({ kubernetesVersion: '1.30' }), rule, '1.30'));
    const [clean, risky] = await oracle.evaluate([bigDeployment(10, 150, false), bigDeployment(10, 150, true)].map((object) => ({ object, operation: 'CREATE' })));
    const decisions = (o: CaseOutcome) => {
      if (isCaseError(o)) throw new Error(`oracle: ${o.error}`);
      return o.map((r) => (r.decision === 'error' ? `error: ${r.failures.map((f) => f.message).join('; ')}` : r.decision));
    };
    expect(decisions(clean).filter((d) => d !== 'admit')).toEqual([]);
    expect(decisions(risky)).toContain('deny');
    expect(engine.checkObjects([bigDeployment(10, 150, true)]).findings.filter((f) => f.ruleId === rule)).toHaveLength(1);
  });
});

describe('SealedSecrets under the CRD of controllers up to v0.18.2 (no schema for the spec)', () => {
  test('the policies deny exactly what check reports, and fail on no value the spec may hold', async () => {
    // a process of its own: a CRD stays loaded in the oracle, as in a cluster
    const old = await startAdmissionOracle();
    try {
      const crd = parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'crds', 'sealedsecrets.bitnami.com-v0.18.2.yaml'), 'utf8'));
      const engine = engineFor(Profile.HARDENED);
      const set = engine.admissionPolicies();
      const rules = ruleOfPolicy(set);
      const sealed = (kind: string) => set.objects.filter((o) => o.kind === kind && rules.get(o.metadata.name ?? o.spec?.policyName)?.startsWith('sealed-secret-'));
      const bindings = set.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && rules.get(o.spec.policyName)?.startsWith('sealed-secret-'));
      const report = await old.load({ crds: [crd], policies: sealed('ValidatingAdmissionPolicy'), bindings, params: [], kubernetesVersion: '1.30', applyDefaults: false });
      expect(report.crdErrors).toEqual([]);
      expect(report.policies.map((p) => p.serverErrors)).toEqual([[], [], []]);
      const objects = fc.sample(looseSealedSecrets, { numRuns: 3000, seed: 1802 });
      const outcomes = await old.evaluate(objects.map((object) => ({ object, operation: 'CREATE' as const })));
      const enforced = new Set(set.enforced);
      const diffs: string[] = [];
      const deniedBy = new Map<string, number>();
      objects.forEach((object, i) => {
        const d = denied(outcomes[i], rules);
        for (const r of d) deniedBy.set(r, (deniedBy.get(r) ?? 0) + 1);
        const r = reported(engine, enforced, object);
        const deniedOnly = difference(d, r);
        const reportedOnly = difference(r, d);
        if (deniedOnly.length || reportedOnly.length) diffs.push(`${JSON.stringify(object)}: denied only ${deniedOnly}; reported only ${reportedOnly}`);
      });
      expect(diffs.slice(0, 10)).toEqual([]);
      for (const id of ['sealed-secret-cluster-wide', 'sealed-secret-encrypted-data', 'sealed-secret-plaintext-template-data']) {
        expect([id, (deniedBy.get(id) ?? 0) > 0 && (deniedBy.get(id) ?? 0) < objects.length]).toEqual([id, true]);
      }
    } finally {
      await old.close();
    }
  });
});
