import { findings, pod } from './pss-test-util';
import { hostNamespaces } from '../../../src/rules/pss/host-namespaces';

describe('pss-host-namespaces', () => {
  test('reports hostNetwork, hostPID and hostIPC', () => {
    expect(findings(hostNamespaces, pod(`
      hostNetwork: true
      hostPID: true
      hostIPC: true
      containers: [{name: a}]
    `))).toEqual([
      { path: 'spec.hostNetwork', message: 'pod must not set hostNetwork to true (it shares the node network namespace): remove it or set it to false' },
      { path: 'spec.hostPID', message: 'pod must not set hostPID to true (it shares the node process namespace): remove it or set it to false' },
      { path: 'spec.hostIPC', message: 'pod must not set hostIPC to true (it shares the node IPC namespace): remove it or set it to false' },
    ]);
  });

  test('allows false and unset', () => {
    expect(findings(hostNamespaces, pod('hostNetwork: false\ncontainers: [{name: a}]'))).toEqual([]);
  });

  test('reports the pod template of a CronJob', () => {
    const manifest = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostPID: true\n';
    expect(findings(hostNamespaces, manifest).map((f) => f.path)).toEqual(['spec.jobTemplate.spec.template.spec.hostPID']);
  });
});
