import { readOnlyRootFilesystem } from '../../../src/rules/workload/read-only-root-filesystem';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'read-only-root-filesystem';

const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers:
      - name: init
        image: busybox:1.36
        securityContext:
          readOnlyRootFilesystem: true
      containers:
      - name: writable
        image: app:1
        securityContext:
          readOnlyRootFilesystem: false
      - name: unset
        image: app:1
      - name: good
        image: app:1
        securityContext: {readOnlyRootFilesystem: true}
      ephemeralContainers:
      - name: debug
        image: busybox:1.36
        securityContext:
          runAsNonRoot: true
`;

test('finds each container without a read-only root filesystem, with path and line', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem', lineOf(yaml, 'readOnlyRootFilesystem: false')],
    ['spec.template.spec.containers[1].securityContext.readOnlyRootFilesystem', lineOf(yaml, '- name: unset')],
    ['spec.template.spec.ephemeralContainers[0].securityContext.readOnlyRootFilesystem', lineOf(yaml, 'securityContext:', 4)],
  ]);
  expect(findings[0].message).toContain('container "writable"');
  expect(findings[2].message).toContain('ephemeral container "debug"');
  expect(findings[0].severity).toBe('medium');
  expect(findings[0].controls).toContain('checkov:CKV_K8S_22');
});

test('passes when every container sets readOnlyRootFilesystem: true', () => {
  const ok = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: app:1
    securityContext: {readOnlyRootFilesystem: true}
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('applies to every workload kind, CronJob included', () => {
  const cron = `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: app:1
`;
  const { findings } = check(cron, RULE);
  expect(findings.map((f) => f.path)).toEqual(['spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem']);
  expect(findings[0].line).toBe(lineOf(cron, '- name: job'));
});

test('is not in the baseline or restricted profiles', () => {
  expect(readOnlyRootFilesystem.metadata.profiles).toEqual(['hardened']);
});

test('never throws on wrong-typed input', () => {
  expectTotal(readOnlyRootFilesystem, {
    apiVersion: 'v1',
    kind: 'Pod',
    spec: { containers: [{ name: 'a', securityContext: { readOnlyRootFilesystem: true } }], initContainers: [{ name: 'b' }] },
  });
});
