import { findings, pod } from './pss-test-util';
import { hostProbesAndHostLifecycle } from '../../../src/rules/pss/host-probes-and-host-lifecycle';

const manifest = pod(`
  containers:
  - name: app
    livenessProbe:
      httpGet: {host: 169.254.169.254, port: 80}
    readinessProbe:
      tcpSocket: {host: "", port: 80}
    lifecycle:
      preStop:
        tcpSocket: {host: "::1", port: 80}
  initContainers:
  - name: init
    startupProbe:
      httpGet: {port: 80}
`);

describe('pss-host-probes-and-host-lifecycle', () => {
  test('reports each probe and lifecycle host from 1.34', () => {
    expect(findings(hostProbesAndHostLifecycle, manifest, 'v1.34')).toEqual([
      { path: 'spec.containers[0].livenessProbe.httpGet.host', message: 'container "app" must not set livenessProbe.httpGet.host ("169.254.169.254"): remove the host so the kubelet targets the pod IP' },
      { path: 'spec.containers[0].lifecycle.preStop.tcpSocket.host', message: 'container "app" must not set lifecycle.preStop.tcpSocket.host ("::1"): remove the host so the kubelet targets the pod IP' },
    ]);
  });

  test('does not exist before 1.34', () => {
    expect(findings(hostProbesAndHostLifecycle, manifest, 'v1.33')).toEqual([]);
  });
});
