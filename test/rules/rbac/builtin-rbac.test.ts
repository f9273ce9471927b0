import * as fs from 'fs';
import * as path from 'path';
import { malformed } from './rule-test-kit';
import { Engine, Profile, Rules } from '../../../src';
import { parseDocument } from '../../../src/engine/input/yaml-document';
import { builtinRbacReleases, isBuiltinRbac } from '../../../src/rules/rbac/builtin-rbac';
import { readBootstrapFixtures, renderBuiltinRbacData } from '../../../src/rules/rbac/builtin-rbac-render';
import { rbacContent } from '../../../src/rules/rbac/rbac-content';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'kubernetes-rbac-bootstrap');
const GENERATED = path.resolve(__dirname, '..', '..', '..', 'src', 'rules', 'rbac', 'builtin-rbac.generated.ts');
const RBAC_RULES = new Set(Rules.all().filter((r) => r.metadata.category === 'rbac').map((r) => r.metadata.id));

/** The objects of one fixture file (a List). */
function itemsOf(version: string, file: string): any[] {
  const doc = parseDocument(fs.readFileSync(path.join(FIXTURES, version, file), 'utf8'));
  return (doc.value as any).items;
}

/** The bootstrap policy of a release as `kubectl get -o yaml` of a live cluster shows it. */
function liveDump(version: string, featureGates = false): any[] {
  const files = fs.readdirSync(path.join(FIXTURES, version)).filter((f) => f.endsWith('.yaml'));
  const gated = files.filter((f) => f.endsWith('-featuregates.yaml'));
  const chosen = featureGates
    ? [...files.filter((f) => !f.endsWith('-featuregates.yaml') && !gated.includes(f.replace('.yaml', '-featuregates.yaml'))), ...gated]
    : files.filter((f) => !f.endsWith('-featuregates.yaml'));
  let n = 0;
  return chosen.flatMap((f) => itemsOf(version, f)).map((o) => {
    const live = JSON.parse(JSON.stringify(o));
    live.metadata = { ...live.metadata, uid: `0000-${n++}`, resourceVersion: `${n}`, creationTimestamp: '2026-01-01T00:00:00Z' };
    // the aggregation controller has written the rules of the aggregated roles
    if (live.aggregationRule) live.rules = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }];
    return live;
  });
}

function rbacFindings(objects: any[], options: { excludeBuiltinRbac?: boolean; pssVersion?: string } = {}) {
  return new Engine({ profile: Profile.HARDENED, ...options }).checkObjects(objects).findings.filter((f) => RBAC_RULES.has(f.ruleId));
}

const minorOf = (version: string) => `v${version.slice(1).split('.').slice(0, 2).join('.')}`;

test('builtin-rbac.generated.ts is generated from the vendored fixtures and up to date (run `node scripts/generate-builtin-rbac.js` if this fails)', () => {
  expect(fs.readFileSync(GENERATED, 'utf8')).toBe(renderBuiltinRbacData(readBootstrapFixtures(FIXTURES)));
});

test('the vendored fixtures: every release folder, the Kubernetes LICENSE, and SOURCE.md naming each release', () => {
  const releases = readBootstrapFixtures(FIXTURES).map((r) => r.version);
  expect(releases.length).toBeGreaterThanOrEqual(30);
  expect(fs.readFileSync(path.join(FIXTURES, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  const source = fs.readFileSync(path.join(FIXTURES, 'SOURCE.md'), 'utf8');
  for (const v of releases) expect(source).toContain(`| ${v} |`);
  expect(builtinRbacReleases(37)).toEqual(['v1.37.0', 'v1.37.2']);
  expect(builtinRbacReleases(17)).toEqual(['v1.17.0']);
  expect(builtinRbacReleases(16)).toEqual([]);
});

describe.each(readBootstrapFixtures(FIXTURES).map((r) => r.version))('the bootstrap policy of Kubernetes %s, dumped from a live cluster', (version) => {
  const minor = minorOf(version);
  const objects = liveDump(version);

  test('is all reported without excludeBuiltinRbac, and none of it with excludeBuiltinRbac at its version', () => {
    expect(rbacFindings(objects, { pssVersion: minor }).length).toBeGreaterThan(10);
    expect(rbacFindings(objects, { pssVersion: minor, excludeBuiltinRbac: true })).toEqual([]);
    if (fs.readdirSync(path.join(FIXTURES, version)).some((f) => f.endsWith('-featuregates.yaml'))) {
      expect(rbacFindings(liveDump(version, true), { pssVersion: minor, excludeBuiltinRbac: true })).toEqual([]);
    }
  });
});

describe('only the exact built-in content of the version judged is skipped', () => {
  const objects = liveDump('v1.37.2');
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  test('an older release\'s policy judged as a newer one is not all skipped', () => {
    expect(rbacFindings(liveDump('v1.17.0'), { pssVersion: 'v1.37', excludeBuiltinRbac: true }).length).toBeGreaterThan(0);
    expect(rbacFindings(objects, { pssVersion: 'v1.16', excludeBuiltinRbac: true }).length).toBeGreaterThan(10);
  });

  test('a built-in role with one more rule, a binding with one more subject, a role with one more label are checked', () => {
    const edit = named('ClusterRole', 'system:aggregate-to-edit');
    const widenedRole = { ...edit, rules: [...edit.rules, { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] };
    expect(rbacFindings([widenedRole], { excludeBuiltinRbac: true }).map((f) => f.ruleId)).toContain('rbac-wildcard');
    const binding = named('ClusterRoleBinding', 'system:public-info-viewer');
    const widenedBinding = { ...binding, subjects: [...binding.subjects, { kind: 'ServiceAccount', name: 'default', namespace: 'app' }] };
    expect(rbacFindings([widenedBinding], { excludeBuiltinRbac: true }).map((f) => f.ruleId).sort()).toEqual([
      'rbac-default-service-account-binding', 'rbac-system-group-binding', 'rbac-system-group-binding',
    ]);
    const controllerManager = named('ClusterRole', 'system:kube-controller-manager');
    const relabelled = { ...controllerManager, metadata: { ...controllerManager.metadata, labels: { ...controllerManager.metadata.labels, 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } } };
    expect(isBuiltinRbac(controllerManager, 37)).toBe(true);
    expect(isBuiltinRbac(relabelled, 37)).toBe(false);
  });

  test('the same content under another name, kind or namespace is not built-in', () => {
    const role = named('ClusterRole', 'system:kube-controller-manager');
    expect(isBuiltinRbac({ ...role, metadata: { ...role.metadata, name: 'my-controller-manager' } }, 37)).toBe(false);
    expect(isBuiltinRbac({ ...role, kind: 'Role', metadata: { ...role.metadata, namespace: 'kube-system' } }, 37)).toBe(false);
    const nsRole = objects.find((o) => o.kind === 'Role');
    expect(isBuiltinRbac(nsRole, 37)).toBe(true);
    expect(isBuiltinRbac({ ...nsRole, metadata: { ...nsRole.metadata, namespace: 'app' } }, 37)).toBe(false);
  });

  test('order and defaulted fields do not matter; annotations and live metadata are not content', () => {
    const role = named('ClusterRole', 'system:kube-scheduler');
    const rules = [...role.rules].reverse().map((r: any) => ({ ...r, verbs: [...r.verbs].reverse() }));
    const reordered = { ...role, rules, metadata: { ...role.metadata, annotations: {} } };
    expect(rbacContent(reordered)).toBe(rbacContent(role));
    const binding = named('ClusterRoleBinding', 'cluster-admin');
    const undefaulted = { ...binding, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] };
    expect(rbacContent(undefaulted)).toBe(rbacContent(binding));
    expect(isBuiltinRbac(undefaulted, 37)).toBe(true);
    // an aggregated role is compared without its rules, which the controller writes
    const admin = named('ClusterRole', 'admin');
    expect(isBuiltinRbac({ ...admin, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] }, 37)).toBe(true);
    expect(isBuiltinRbac({ ...admin, aggregationRule: { clusterRoleSelectors: [{}] } }, 37)).toBe(false);
  });
});

test('with excludeBuiltinRbac, wrong-typed input never throws in any rbac rule', () => {
  const docs = malformed('rbac.authorization.k8s.io/v1', ['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding'])
    .map((d: any) => (d && typeof d === 'object' && !Array.isArray(d) ? { metadata: { name: 'cluster-admin', labels: { x: 1 } }, ...d } : d));
  const report = new Engine({ profile: Profile.HARDENED, excludeBuiltinRbac: true }).checkObjects(docs.filter((d: any) => d && typeof d === 'object' && !Array.isArray(d)));
  for (const f of report.findings) expect(f.message).not.toMatch(/internal error/);
  for (const d of docs) {
    expect(() => isBuiltinRbac(d, 37)).not.toThrow();
    expect(() => rbacContent(d)).not.toThrow();
  }
});
