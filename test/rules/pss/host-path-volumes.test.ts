import { findings, pod } from './pss-test-util';
import { hostPathVolumes } from '../../../src/rules/pss/host-path-volumes';

describe('pss-host-path-volumes', () => {
  test('reports hostPath volumes', () => {
    expect(findings(hostPathVolumes, pod(`
      containers: [{name: a}]
      volumes:
      - name: data
        emptyDir: {}
      - name: host
        hostPath: {path: /var/run/docker.sock}
    `))).toEqual([
      { path: 'spec.volumes[1].hostPath', message: 'volume "host" must not be a hostPath volume: use emptyDir, configMap, secret, projected or persistentVolumeClaim instead' },
    ]);
  });

  test('allows other volume types and a null hostPath', () => {
    expect(findings(hostPathVolumes, pod('containers: [{name: a}]\nvolumes: [{name: x, hostPath: null, emptyDir: {}}, {name: y, nfs: {server: s, path: /}}]'))).toEqual([]);
  });
});
