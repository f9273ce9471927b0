/**
 * Profiles never lower a verdict: for every object and every field path, the highest
 * severity reported never decreases from baseline to restricted to hardened. Checked over
 * every upstream pod-security-admission fixture (at its policy version), over the rule
 * fixture files (test/rules/<folder>/fixtures, the insecure examples) at every policy
 * version, and over cases written for the replaced checks. The inline fixtures of the rule
 * tests are held to the same property by their helpers (pss-test-util, hardened-check).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../../src/engine/engine';
import { LATEST_PSS_MINOR } from '../../../src/engine/pss-version';
import { IRule, Profile, Severity } from '../../../src/engine/types';
import { PSS_RULES } from '../../../src/rules/pss';
import { replacementProblems } from '../../../src/rules/pss/replacements';
import { PSA_FIXTURE_COUNT, psaFixtures } from '../../fixtures/psa';
import { severityDrops } from '../severity-monotonic';
import { pod } from './pss-test-util';

const ROOT = path.join(__dirname, '..', '..', '..');

/** YAML files in `fixtures` folders under test/rules, and the insecure examples. */
function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, inFixtures: boolean) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, inFixtures || e.name === 'fixtures');
      else if (inFixtures && /\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(path.join(ROOT, 'test', 'rules'), false);
  walk(path.join(ROOT, 'examples', 'insecure'), true);
  return out;
}

const VERSIONS = Array.from({ length: LATEST_PSS_MINOR + 1 }, (_, i) => `v1.${i}`);

/** Pods whose fields a replaced baseline check reports, for each replacement. */
const REPLACED_FIELDS: { [name: string]: string } = {
  'hostPath volume': pod(`
    containers: [{name: a, image: a}]
    volumes:
    - {name: host, hostPath: {path: /etc}}
    - {name: host-and-nfs, hostPath: {path: /var}, nfs: {server: s, path: /}}
  `),
  'Unconfined seccomp, pod and container': pod(`
    securityContext: {seccompProfile: {type: Unconfined}}
    containers:
    - {name: a, image: a, securityContext: {seccompProfile: {type: Unconfined}}}
    initContainers:
    - {name: i, image: i, securityContext: {seccompProfile: {type: Unconfined}}}
  `),
  'Unconfined seccomp annotations': pod('containers: [{name: a, image: a}]', `
    annotations:
      seccomp.security.alpha.kubernetes.io/pod: unconfined
      container.seccomp.security.alpha.kubernetes.io/a: unconfined
  `),
  'added capabilities': pod(`
    containers:
    - {name: a, image: a, securityContext: {capabilities: {add: [SYS_ADMIN, NET_RAW, CHOWN]}}}
    ephemeralContainers:
    - {name: e, image: e, securityContext: {capabilities: {add: [SYS_PTRACE], drop: [ALL]}}}
  `),
  'Unmasked /proc, in and out of a user namespace': `${pod(`
    containers: [{name: a, image: a, securityContext: {procMount: Unmasked}}]
  `)}---\n${pod(`
    hostUsers: false
    containers: [{name: a, image: a, securityContext: {procMount: Unmasked}}]
  `).replace('name: p', 'name: q')}`,
  // API validation refuses these Windows pods; PSA's restricted checks exempt Windows pods from 1.25
  'a Windows pod that adds capabilities and sets Unconfined': pod(`
    os: {name: windows}
    securityContext: {seccompProfile: {type: Unconfined}}
    containers:
    - {name: a, image: a, securityContext: {capabilities: {add: [SYS_ADMIN]}, seccompProfile: {type: Unconfined}}}
  `),
  'a Deployment with all of it': `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      securityContext: {seccompProfile: {type: Unconfined}}
      containers:
      - {name: a, image: a, securityContext: {capabilities: {add: [SYS_ADMIN]}, procMount: Unmasked}}
      volumes: [{name: h, hostPath: {path: /}}]
`,
};

describe('the pod-security-admission fixtures', () => {
  const fixtures = psaFixtures();

  test('are all there', () => {
    expect(fixtures.length).toBe(PSA_FIXTURE_COUNT);
  });

  const versions = [...new Set(fixtures.map((f) => f.version))];
  test.each(versions)('%s: no field is reported at a lower severity at a stricter profile', (version) => {
    const drops: string[] = [];
    for (const f of fixtures.filter((x) => x.version === version)) {
      drops.push(...severityDrops(fs.readFileSync(f.file, 'utf8'), path.relative(ROOT, f.file), { pssVersion: version }));
    }
    expect(drops).toEqual([]);
  });
});

describe('the rule fixture files', () => {
  const files = fixtureFiles();

  test('are found', () => {
    expect(files.map((f) => path.relative(ROOT, f))).toEqual(expect.arrayContaining([
      path.join('test', 'rules', 'secrets', 'fixtures', 'leaky-manifests.yaml'),
      path.join('examples', 'insecure', 'workloads.yaml'),
    ]));
  });

  test.each(files.map((f) => [path.relative(ROOT, f), f]))('%s, at every policy version', (name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const drops = VERSIONS.flatMap((v) => severityDrops(text, name, { pssVersion: v }).map((d) => `${v} ${d}`));
    expect(drops).toEqual([]);
  });
});

describe('the fields of the replaced baseline checks', () => {
  test.each(Object.entries(REPLACED_FIELDS))('%s, at every policy version', (_name, text) => {
    const drops = VERSIONS.flatMap((v) => severityDrops(text, 'case.yaml', { pssVersion: v }).map((d) => `${v} ${d}`));
    expect(drops).toEqual([]);
  });

  test('each case is reported at baseline at 1.18 and at the latest version (the cases are not vacuous)', () => {
    for (const [name, text] of Object.entries(REPLACED_FIELDS)) {
      const reported = ['v1.18', 'latest'].map((v) => new Engine({ profile: Profile.BASELINE, pssVersion: v }).checkText(text, 'case.yaml').findings.length > 0);
      expect([name, reported.some((r) => r)]).toEqual([name, true]);
    }
  });

  test('the property fails when a replacement is less severe than the check it replaces', () => {
    const drops = severityDrops(REPLACED_FIELDS['hostPath volume'], 'case.yaml', { severities: { 'pss-restricted-volumes': Severity.MEDIUM } });
    expect(drops).toEqual([
      'baseline -> restricted: case.yaml v1 Pod /p spec.volumes[0].hostPath: high -> medium',
      'baseline -> restricted: case.yaml v1 Pod /p spec.volumes[1].hostPath: high -> medium',
    ]);
  });
});

describe('the catalog', () => {
  test('no restricted check is less severe than a baseline check it replaces', () => {
    expect(replacementProblems(PSS_RULES)).toEqual([]);
  });

  test('a replacement less severe than the check it replaces, or of an unknown check, is refused', () => {
    const withSeverity = (rule: IRule, severity: Severity): IRule => ({
      metadata: { ...rule.metadata, severity },
      check: (o, c) => rule.check(o, c),
    });
    const rules = PSS_RULES.map((r) => (r.metadata.id === 'pss-restricted-volumes' ? withSeverity(r, Severity.MEDIUM) : r))
      .filter((r) => r.metadata.id !== 'pss-proc-mount');
    expect(replacementProblems(rules)).toEqual([
      'pss-restricted-volumes (medium) replaces pss-host-path-volumes (high): a replacement must be at least as severe as the check it replaces',
      'pss-proc-mount-restricted replaces procMount, which is no baseline check of the catalog',
    ]);
  });
});
