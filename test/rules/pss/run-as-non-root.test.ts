import { findings, pod } from './pss-test-util';
import { runAsNonRoot } from '../../../src/rules/pss/run-as-non-root';

describe('pss-run-as-non-root', () => {
  test('reports explicit false and containers not covered by the pod', () => {
    expect(findings(runAsNonRoot, pod(`
      containers:
      - name: app
      - name: root
        securityContext: {runAsNonRoot: false}
      - name: ok
        securityContext: {runAsNonRoot: true}
    `))).toEqual([
      { path: 'spec.containers[0].securityContext.runAsNonRoot', message: 'container "app" must set securityContext.runAsNonRoot to true (or the pod must set spec.securityContext.runAsNonRoot to true)' },
      { path: 'spec.containers[1].securityContext.runAsNonRoot', message: 'container "root" must not set securityContext.runAsNonRoot to false: set it to true' },
    ]);
  });

  test('a pod-level false is reported once, at the pod', () => {
    expect(findings(runAsNonRoot, pod('securityContext: {runAsNonRoot: false}\ncontainers: [{name: a}]'))).toEqual([
      { path: 'spec.securityContext.runAsNonRoot', message: 'pod must not set securityContext.runAsNonRoot to false: set it to true' },
    ]);
  });

  test('a pod-level true covers containers that leave it unset', () => {
    expect(findings(runAsNonRoot, pod('securityContext: {runAsNonRoot: true}\ncontainers: [{name: a}]\ninitContainers: [{name: b}]'))).toEqual([]);
  });

  test('from 1.35 a pod with hostUsers: false is exempt, not before', () => {
    const p = pod('hostUsers: false\ncontainers: [{name: a}]');
    expect(findings(runAsNonRoot, p, 'v1.35')).toEqual([]);
    expect(findings(runAsNonRoot, p, 'v1.34')).toHaveLength(1);
  });
});
