/**
 * Custom resources taken from the projects' own documented examples (see
 * fixtures/custom-resources/SOURCES.md): the engine knows each kind, judges the pods
 * inside it with the pod rules, and every finding points at a field of the resource.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { Engine, Profile } from '../../src';
import { splitPath } from '../../src/engine/json-path';

const DIR = path.join(__dirname, 'fixtures', 'custom-resources');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

const engine = new Engine({ profile: Profile.HARDENED });

/** The value at a path, or undefined when the path does not exist. */
function at(object: unknown, where: string): { value: unknown } | undefined {
  const segments = splitPath(where);
  if (segments === undefined) return undefined;
  let v: any = object;
  for (const seg of segments) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = v[seg];
  }
  return { value: v };
}

/** Whether a path exists, or its parent does, or it names keys to add under an existing mapping. */
function pointsInto(object: unknown, where: string): boolean {
  const segments = splitPath(where);
  if (segments === undefined) return false;
  let v: any = object;
  let i = 0;
  for (; i < segments.length; i++) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, segments[i])) break;
    v = v[segments[i]];
  }
  if (i === segments.length || i === segments.length - 1) return true;
  return v !== null && typeof v === 'object' && !Array.isArray(v) && segments.slice(i).every((s) => typeof s === 'string');
}

function parse(file: string): { text: string; doc: any } {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const docs = loadAll(text).filter((d) => d !== null && d !== undefined);
  expect(docs).toHaveLength(1);
  return { text, doc: docs[0] };
}

describe('documented custom resource examples', () => {
  test('there are fixtures', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(14);
  });

  test.each(FILES)('%s: known kind, pod findings on the resource, paths that exist', (file) => {
    const { text, doc } = parse(file);
    const report = engine.checkText(text, file);
    // (a) read without errors, and the kind is known
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    expect(report.summary.unchecked).toBe(0);
    // (b) documented examples set no securityContext: the hardened profile reports on the pod
    const onResource = report.findings.filter((f) => f.object.kind === doc.kind);
    expect(onResource.length).toBeGreaterThan(0);
    // (c) every finding points at a field of the resource, or at a field to set in an existing
    // mapping (as for built-in workloads, a missing `securityContext.capabilities.drop` is
    // reported at its full path): the missing part is keys only, under an existing mapping
    for (const f of report.findings) {
      expect([f.ruleId, f.path, pointsInto(doc, f.path)]).toEqual([f.ruleId, f.path, true]);
    }
  });
});

/** For one fixture per project: where its first container is. */
const FIRST_CONTAINER: [string, string][] = [
  ['argo-rollouts-rollout-canary.yaml', 'spec.template.spec.containers[0]'],
  ['argo-workflows-scripts-bash.yaml', 'spec.templates[1].script'],
  ['knative-serving-helloworld-go.yaml', 'spec.template.spec.containers[0]'],
  ['keda-scaledjob-rabbitmq-consumer.yaml', 'spec.jobTargetRef.template.spec.containers[0]'],
  ['kubeflow-pytorchjob-mnist-gloo.yaml', 'spec.pytorchReplicaSpecs.Master.template.spec.containers[0]'],
  ['jobset-paralleljobs.yaml', 'spec.replicatedJobs[0].template.spec.template.spec.containers[0]'],
  ['leaderworkerset-sample.yaml', 'spec.leaderWorkerTemplate.workerTemplate.spec.containers[0]'],
  ['tekton-hello-world-task.yaml', 'spec.steps[0]'],
  ['openkruise-cloneset-sample.yaml', 'spec.template.spec.containers[0]'],
];

describe('a privileged first container in a documented example is found where it is', () => {
  test.each(FIRST_CONTAINER)('%s', (file, where) => {
    const { doc } = parse(file);
    const container = at(doc, where);
    expect(container).toBeDefined();
    (container!.value as any).securityContext = { privileged: true };
    const report = engine.checkObjects([doc]);
    const privileged = report.findings.filter((f) => f.ruleId === 'pss-privileged');
    expect(privileged.map((f) => [f.object.kind, f.path])).toEqual([[doc.kind, `${where}.securityContext.privileged`]]);
  });

  test('prometheus-operator-prometheus.yaml: a privileged container added to the example', () => {
    // the documented example has no containers: the operator's own container is patched by name
    const { doc } = parse('prometheus-operator-prometheus.yaml');
    doc.spec.containers = [{ name: 'prometheus', securityContext: { privileged: true } }];
    const report = engine.checkObjects([doc]);
    const privileged = report.findings.filter((f) => f.ruleId === 'pss-privileged');
    expect(privileged.map((f) => [f.object.kind, f.path])).toEqual([['Prometheus', 'spec.containers[0].securityContext.privileged']]);
  });
});
