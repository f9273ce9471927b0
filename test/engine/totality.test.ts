import * as fc from 'fast-check';
import { Engine, Profile, Rules } from '../../src';
import { podOf } from '../../src/engine/pod-spec';

const WORKLOADS = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'PodTemplate'];
const FIELDS = ['spec', 'template', 'jobTemplate', 'containers', 'initContainers', 'ephemeralContainers', 'securityContext', 'metadata',
  'annotations', 'volumes', 'hostPath', 'privileged', 'capabilities', 'add', 'drop', 'ports', 'hostPort', 'seccompProfile', 'type', 'sysctls',
  'name', 'value', 'os', 'hostUsers', 'runAsNonRoot', 'runAsUser', 'procMount', 'seLinuxOptions', 'appArmorProfile', 'windowsOptions',
  'hostProcess', 'livenessProbe', 'httpGet', 'host', 'lifecycle', 'rules', 'verbs', 'resources', 'apiGroups', 'subjects', 'roleRef', 'data',
  'env', 'image', 'kind', 'items', '__proto__', 'constructor', 'toString'];

/** JSON values biased towards Kubernetes-looking shapes, with every type in every place. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, '', 'ALL', 'Unconfined', 'windows', 'runtime/default', 'latest'),
    fc.string(),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...FIELDS), tie('value'), { maxKeys: 6 }),
  ),
})).value;

const k8sObject = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'rbac.authorization.k8s.io/v1'),
  kind: fc.constantFrom(...WORKLOADS, 'Role', 'ClusterRoleBinding', 'Secret', 'Service', 'List', 'Policy'),
  metadata: json,
  spec: json,
  template: json,
  items: json,
});

test('no rule throws, whatever the object (thousands of random documents)', () => {
  const engines = [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED].map((profile) => new Engine({ profile }));
  fc.assert(fc.property(fc.oneof(k8sObject, json), (o) => {
    for (const e of engines) {
      const report = e.checkObjects([o]);
      for (const f of report.findings) {
        expect(typeof f.path).toBe('string');
        expect(f.message).not.toMatch(/internal error/);
      }
    }
    for (const rule of Rules.all()) {
      rule.check(o, { profile: Profile.HARDENED, pssVersion: '1.37', pssMinor: 37, options: {}, knownRuleIds: [] });
    }
  }), { numRuns: 3000 });
});

test('no YAML text makes the loader throw', () => {
  const engine = new Engine();
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'ab: -[]{}&*!|>\'"#%@`\n\t ,?~01.'.split('')), maxLength: 200 }), (text) => {
    const report = engine.checkText(text, 'fuzz.yaml');
    for (const e of report.errors) {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeGreaterThanOrEqual(1);
    }
  }), { numRuns: 3000 });
});

test('the pod walker finds the pod of every workload kind', () => {
  const template = { metadata: { labels: { a: 'b' } }, spec: { containers: [] } };
  const objects: Record<string, any> = {
    Pod: { kind: 'Pod', ...template },
    PodTemplate: { kind: 'PodTemplate', template },
    CronJob: { kind: 'CronJob', spec: { jobTemplate: { spec: { template } } } },
  };
  for (const kind of WORKLOADS) {
    const o = objects[kind] ?? { kind, spec: { template } };
    const pod = podOf(o);
    expect(pod?.spec).toBe(template.spec);
    expect(pod?.metadata).toBe(template.metadata);
  }
  expect(podOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template } } } })?.specPath).toBe('spec.jobTemplate.spec.template.spec');
  expect(podOf({ kind: 'Service', spec: {} })).toBeUndefined();
});

test('the pod view shared between rules never leaks into a later check of a changed object', () => {
  const engine = new Engine({ profile: Profile.BASELINE });
  const pod: any = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] } };
  expect(engine.checkObjects([pod]).findings.map((f) => f.ruleId)).toEqual(['pss-privileged']);
  pod.spec.containers[0].securityContext.privileged = false;
  pod.spec.hostNetwork = true;
  expect(engine.checkObjects([pod]).findings.map((f) => f.ruleId)).toEqual(['pss-host-namespaces']);
  // outside a session (a rule called directly) nothing is cached either
  const rule = Rules.find('pss-privileged')!;
  const ctx = { profile: Profile.BASELINE, pssVersion: '1.37', pssMinor: 37, options: {}, knownRuleIds: [] };
  expect(rule.check(pod, ctx)).toEqual([]);
  pod.spec.containers[0].securityContext.privileged = true;
  expect(rule.check(pod, ctx)).toHaveLength(1);
});
