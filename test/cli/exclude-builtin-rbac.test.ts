import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli, tempTree } from './helpers';
import { Config } from '../../src';

// Kubernetes' own cluster-admin binding and ClusterRole, as `kubectl get -o yaml` of a 1.37 cluster shows them
const LIVE = `apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata:
    annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
    labels: {kubernetes.io/bootstrapping: rbac-defaults}
    name: cluster-admin
    uid: 3f0e4a52-0000-0000-0000-000000000001
    resourceVersion: "143"
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
  subjects:
  - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:masters}
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata:
    annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
    labels: {kubernetes.io/bootstrapping: rbac-defaults}
    name: cluster-admin
  rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
  - {nonResourceURLs: ["*"], verbs: ["*"]}
`;

async function rbacFindings(args: string[], files: { [name: string]: string } = {}) {
  const dir = tempTree({ 'live.yaml': LIVE, ...files });
  const r = await runCli(['check', path.join(dir, 'live.yaml'), '--format', 'json', ...args.map((a) => a.replace('$DIR', dir))]);
  const findings = r.stdout ? JSON.parse(r.stdout).findings.map((f: any) => f.ruleId).filter((id: string) => id.startsWith('rbac-')) : [];
  return { code: r.code, stderr: r.stderr, findings };
}

test('--exclude-builtin-rbac skips the built-in objects of the version judged, and only with the flag', async () => {
  const all = (await rbacFindings([])).findings;
  expect(all).toEqual(expect.arrayContaining(['rbac-cluster-admin-binding', 'rbac-system-group-binding', 'rbac-wildcard', 'rbac-secrets-read']));
  expect(await rbacFindings(['--exclude-builtin-rbac'])).toMatchObject({ findings: [] });
  expect(await rbacFindings(['--exclude-builtin-rbac', '--pss-version', 'v1.30'])).toMatchObject({ findings: [] });
  // no bootstrap policy is known before 1.17: nothing is skipped
  expect((await rbacFindings(['--exclude-builtin-rbac', '--pss-version', 'v1.16'])).findings).toHaveLength(all.length);
});

test('the configuration key excludeBuiltinRbac does the same; a wrong value is an error naming the key', async () => {
  expect(await rbacFindings(['--config', '$DIR/c.yaml'], { 'c.yaml': 'excludeBuiltinRbac: true\n' })).toMatchObject({ findings: [] });
  expect((await rbacFindings(['--config', '$DIR/c.yaml'], { 'c.yaml': 'excludeBuiltinRbac: false\n' })).findings.length).toBeGreaterThan(5);
  // the flag wins over the file
  expect(await rbacFindings(['--config', '$DIR/c.yaml', '--exclude-builtin-rbac'], { 'c.yaml': 'excludeBuiltinRbac: false\n' })).toMatchObject({ findings: [] });
  const bad = await rbacFindings(['--config', '$DIR/c.yaml'], { 'c.yaml': 'excludeBuiltinRbac: "yes"\n' });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/excludeBuiltinRbac: expected true or false/);
  expect(Config.parse('excludeBuiltinRbac: true\n', 'c.yaml').config).toEqual({ excludeBuiltinRbac: true });
  expect(Config.toEngineOptions({ excludeBuiltinRbac: true }).excludeBuiltinRbac).toBe(true);
  expect(Config.toEngineOptions({ excludeBuiltinRbac: true }, { excludeBuiltinRbac: false }).excludeBuiltinRbac).toBe(false);
});

test('check --help documents the flag', async () => {
  expect((await runCli(['check', '--help'])).stdout).toMatch(/--exclude-builtin-rbac\n\s+for dumps of a live cluster/);
});

test('the report says when built-in RBAC objects were left out, in every format', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-notes-'));
  const file = path.join(dir, 'cm.yaml');
  fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata: {a: b}\n');
  const json = JSON.parse((await runCli(['check', '--format', 'json', '--exclude-builtin-rbac', file])).stdout);
  expect(json.notes).toEqual([expect.stringMatching(/^built-in RBAC objects are not checked \(--exclude-builtin-rbac\): those whose name and content are the bootstrap policy of Kubernetes v1\.\d+/)]);
  expect(JSON.parse((await runCli(['check', '--format', 'json', file])).stdout).notes).toEqual([]);
  expect((await runCli(['check', '--exclude-builtin-rbac', file])).stdout).toContain('built-in RBAC objects are not checked');
  const sarif = JSON.parse((await runCli(['check', '--format', 'sarif', '--exclude-builtin-rbac', file])).stdout);
  expect(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: any) => n.level)).toContain('note');
});
