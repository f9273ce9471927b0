/**
 * Pods inside custom resources are judged like pods, with every pod rule, and each
 * finding points into the custom resource. Kinds the engine does not know that carry
 * pods are reported as not checked.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Config, Engine, Profile } from '../../src';
import { splitPath } from '../../src/engine/json-path';

const bad = { name: 'app', image: 'nginx:1.25', securityContext: { privileged: true } };
const podSpec = (c: object = bad) => ({ containers: [c] });
const template = (c: object = bad) => ({ metadata: { labels: { app: 'x' } }, spec: podSpec(c) });
const meta = { name: 'cr', namespace: 'team' };

/** Each kind with a privileged container where its operator puts it, and where the finding must point. */
const CASES: [string, object, string][] = [
  ['Argo Rollout', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta, spec: { template: template() } }, 'spec.template.spec.containers[0]'],
  ['Knative Service', { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: meta, spec: { template: template() } }, 'spec.template.spec.containers[0]'],
  ['Knative Configuration', { apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', metadata: meta, spec: { template: template() } }, 'spec.template.spec.containers[0]'],
  ['Knative Revision', { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: meta, spec: podSpec() }, 'spec.containers[0]'],
  ['KEDA ScaledJob', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: meta, spec: { jobTargetRef: { template: template() } } }, 'spec.jobTargetRef.template.spec.containers[0]'],
  ['Kubeflow PyTorchJob', { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: meta, spec: { pytorchReplicaSpecs: { Master: { replicas: 1, template: template({ name: 'ok', image: 'i' }) }, Worker: { template: template() } } } }, 'spec.pytorchReplicaSpecs.Worker.template.spec.containers[0]'],
  ['Kubeflow TFJob', { apiVersion: 'kubeflow.org/v1', kind: 'TFJob', metadata: meta, spec: { tfReplicaSpecs: { PS: { template: template() } } } }, 'spec.tfReplicaSpecs.PS.template.spec.containers[0]'],
  ['Kubeflow MPIJob', { apiVersion: 'kubeflow.org/v2beta1', kind: 'MPIJob', metadata: meta, spec: { mpiReplicaSpecs: { Launcher: { template: template() } } } }, 'spec.mpiReplicaSpecs.Launcher.template.spec.containers[0]'],
  ['Kubeflow XGBoostJob', { apiVersion: 'kubeflow.org/v1', kind: 'XGBoostJob', metadata: meta, spec: { xgbReplicaSpecs: { Master: { template: template() } } } }, 'spec.xgbReplicaSpecs.Master.template.spec.containers[0]'],
  ['Kubeflow PaddleJob', { apiVersion: 'kubeflow.org/v1', kind: 'PaddleJob', metadata: meta, spec: { paddleReplicaSpecs: { Worker: { template: template() } } } }, 'spec.paddleReplicaSpecs.Worker.template.spec.containers[0]'],
  ['JobSet', { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', metadata: meta, spec: { replicatedJobs: [{ name: 'w', template: { spec: { template: template() } } }] } }, 'spec.replicatedJobs[0].template.spec.template.spec.containers[0]'],
  ['LeaderWorkerSet worker', { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: meta, spec: { leaderWorkerTemplate: { workerTemplate: template() } } }, 'spec.leaderWorkerTemplate.workerTemplate.spec.containers[0]'],
  ['Prometheus', { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: meta, spec: { replicas: 2, containers: [bad] } }, 'spec.containers[0]'],
  ['Alertmanager init container', { apiVersion: 'monitoring.coreos.com/v1', kind: 'Alertmanager', metadata: meta, spec: { initContainers: [bad] } }, 'spec.initContainers[0]'],
  ['ThanosRuler', { apiVersion: 'monitoring.coreos.com/v1', kind: 'ThanosRuler', metadata: meta, spec: { containers: [bad] } }, 'spec.containers[0]'],
  ['PrometheusAgent', { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'PrometheusAgent', metadata: meta, spec: { containers: [bad] } }, 'spec.containers[0]'],
  ['OpenKruise CloneSet', { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'CloneSet', metadata: meta, spec: { template: template() } }, 'spec.template.spec.containers[0]'],
  ['OpenKruise StatefulSet', { apiVersion: 'apps.kruise.io/v1beta1', kind: 'StatefulSet', metadata: meta, spec: { template: template() } }, 'spec.template.spec.containers[0]'],
  ['OpenKruise DaemonSet', { apiVersion: 'apps.kruise.io/v1alpha1', kind: 'DaemonSet', metadata: meta, spec: { template: template() } }, 'spec.template.spec.containers[0]'],
  ['Argo Workflow container', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: meta, spec: { entrypoint: 'main', templates: [{ name: 'steps', steps: [[{ name: 'a', template: 'main' }]] }, { name: 'main', container: bad }] } }, 'spec.templates[1].container'],
  ['Argo Workflow script', { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: meta, spec: { templates: [{ name: 'main', script: { ...bad, source: 'echo' } }] } }, 'spec.templates[0].script'],
  ['Argo Workflow sidecar', { apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterWorkflowTemplate', metadata: { name: 'cr' }, spec: { templates: [{ name: 'main', container: { name: 'main', image: 'i' }, sidecars: [bad] }] } }, 'spec.templates[0].sidecars[0]'],
  ['Argo CronWorkflow init container', { apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: meta, spec: { schedule: '* * * * *', workflowSpec: { templates: [{ name: 'main', container: { name: 'main', image: 'i' }, initContainers: [bad] }] } } }, 'spec.workflowSpec.templates[0].initContainers[0]'],
  ['Tekton Task step', { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: meta, spec: { steps: [{ name: 'ok', image: 'i' }, bad] } }, 'spec.steps[1]'],
  ['Tekton ClusterTask sidecar', { apiVersion: 'tekton.dev/v1beta1', kind: 'ClusterTask', metadata: { name: 'cr' }, spec: { steps: [{ name: 'ok', image: 'i' }], sidecars: [bad] } }, 'spec.sidecars[0]'],
  ['Tekton Pipeline embedded task', { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: meta, spec: { tasks: [{ name: 't', taskSpec: { steps: [bad] } }] } }, 'spec.tasks[0].taskSpec.steps[0]'],
];

const engine = new Engine({ profile: Profile.BASELINE });

/** Whether a path exists in an object. */
function exists(object: unknown, at: string): boolean {
  let v: any = object;
  for (const seg of splitPath(at) ?? []) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, seg)) return false;
    v = v[seg];
  }
  return true;
}

describe('pods inside custom resources are judged like pods', () => {
  test.each(CASES)('%s', (_name, object, where) => {
    const report = engine.checkObjects([object]);
    const privileged = report.findings.filter((f) => f.ruleId === 'pss-privileged');
    expect(privileged.map((f) => [f.object.kind, f.object.name, f.path])).toEqual([[(object as any).kind, 'cr', `${where}.securityContext.privileged`]]);
    // every finding points at a path that exists in the resource
    for (const f of report.findings) expect([f.path, exists(object, f.path)]).toEqual([f.path, true]);
    expect(report.unchecked).toBeUndefined();
    // and the same resource without the privileged container passes
    const fixed = JSON.parse(JSON.stringify(object).replace('"privileged":true', '"privileged":false'));
    expect(engine.checkObjects([fixed]).findings.filter((f) => f.ruleId === 'pss-privileged')).toEqual([]);
  });

  test('a Tekton stepTemplate is the base of every step: a privileged template makes every step privileged', () => {
    const task = { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: meta, spec: { stepTemplate: { securityContext: { privileged: true } }, steps: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i', securityContext: { privileged: false } }] } };
    const report = engine.checkObjects([task]);
    expect(report.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => f.path)).toEqual(['spec.steps[0].securityContext.privileged']);
  });

  test('an Argo Workflow\'s pod-level fields apply to each of its pods', () => {
    const wf = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: meta, spec: { hostNetwork: true, templates: [{ name: 'main', container: { name: 'main', image: 'i' } }] } };
    const report = engine.checkObjects([wf]);
    expect(report.findings.filter((f) => f.ruleId === 'pss-host-namespaces').map((f) => f.path)).toEqual(['spec.hostNetwork']);
  });

  test('a suppression on the custom resource applies to its pods', () => {
    const cr = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { ...meta, annotations: { 'ignore.kubeharden.io/pss-privileged': 'the CNI agent needs it, reviewed by platform' } }, spec: { template: template() } };
    const report = engine.checkObjects([cr]);
    expect(report.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => f.suppressed)).toEqual([true]);
  });

  test('text input: findings carry the line of the field in the custom resource', () => {
    const text = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: cr}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n        securityContext:\n          privileged: true\n';
    const report = engine.checkText(text, 'rollout.yaml');
    expect(report.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => [f.line, f.path])).toEqual([[11, 'spec.template.spec.containers[0].securityContext.privileged']]);
  });
});

describe('user-declared pod templates', () => {
  test('an in-house kind is judged at the declared paths', () => {
    const runner = { apiVersion: 'ci.example.com/v1', kind: 'Runner', metadata: meta, spec: { pools: [{ pod: template() }], helpers: [bad] } };
    const declared = new Engine({ profile: Profile.BASELINE, podTemplates: [{ apiVersion: 'ci.example.com/*', kind: 'Runner', paths: ['spec.pools[*].pod', 'spec.helpers'] }] });
    const report = declared.checkObjects([runner]);
    expect(report.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => f.path).sort()).toEqual([
      'spec.helpers[0].securityContext.privileged',
      'spec.pools[0].pod.spec.containers[0].securityContext.privileged',
    ]);
    expect(report.unchecked).toBeUndefined();
    // without the declaration: reported as not checked, with where the pods are
    const undeclared = engine.checkObjects([runner]);
    expect(undeclared.findings).toEqual([]);
    expect(undeclared.summary.unchecked).toBe(1);
    expect(undeclared.unchecked).toEqual([{ object: { apiVersion: 'ci.example.com/v1', kind: 'Runner', namespace: 'team', name: 'cr' }, file: '<input>', line: 0, path: 'spec.pools[0].pod.spec.containers' }]);
  });

  test('a malformed declaration is refused', () => {
    expect(() => new Engine({ podTemplates: [{ apiVersion: 'v1', kind: 'X', paths: ['spec'] }] })).toThrow(/apiVersion/);
    expect(() => new Engine({ podTemplates: [{ apiVersion: 'a.b/v1', kind: 'X', paths: ['spec..x'] }] })).toThrow(/paths/);
  });

  test('objects without pods are not reported as unchecked', () => {
    const report = engine.checkObjects([{ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta, spec: { secretName: 's', dnsNames: ['a'] } }]);
    expect(report.summary.unchecked).toBe(0);
  });
});

test('podTemplates in the configuration file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-pt-'));
  const file = path.join(dir, 'kubeharden.config.yaml');
  fs.writeFileSync(file, 'podTemplates:\n  - apiVersion: ci.example.com/*\n    kind: Runner\n    paths: ["spec.pools[*].pod"]\n');
  const loaded = Config.load(file);
  expect(loaded.errors).toEqual([]);
  const report = new Engine({ ...Config.toEngineOptions(loaded.config), profile: Profile.BASELINE })
    .checkObjects([{ apiVersion: 'ci.example.com/v1', kind: 'Runner', metadata: meta, spec: { pools: [{ pod: template() }] } }]);
  expect(report.findings.map((f) => f.path)).toEqual(['spec.pools[0].pod.spec.containers[0].securityContext.privileged']);
  fs.writeFileSync(file, 'podTemplates:\n  - apiVersion: ci.example.com/*\n    kind: Runner\n    path: spec\n');
  expect(Config.load(file).errors.map((e: any) => e.message)).toEqual([
    'podTemplates[0].path: unknown key; expected apiVersion, kind or paths',
    'podTemplates[0].paths: expected dotted paths such as spec.template or spec.runners[*].template',
  ]);
});

test('set-level findings on the pods of a custom resource point into the resource', () => {
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta, spec: { template: { spec: { automountServiceAccountToken: true, containers: [{ name: 'a', image: 'i' }] } } } };
  const report = new Engine({ profile: Profile.HARDENED }).checkObjects([rollout]);
  const automount = report.findings.filter((f) => f.ruleId === 'automount-service-account-token');
  expect(automount.map((f) => [f.object.kind, f.path])).toEqual([['Rollout', 'spec.template.spec.automountServiceAccountToken']]);
  // and the namespace holding it needs a default-deny policy, as for any workload
  expect(report.findings.filter((f) => f.ruleId === 'namespace-default-deny-network-policy').map((f) => f.object.kind)).toEqual(['Rollout']);
});
