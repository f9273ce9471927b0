import { findings, pod } from './pss-test-util';
import { Engine } from '../../../src/engine/engine';
import { Profile } from '../../../src/engine/types';
import { restrictedVolumes } from '../../../src/rules/pss/restricted-volumes';

describe('pss-restricted-volumes', () => {
  test('reports volumes of a restricted type, naming the type', () => {
    expect(findings(restrictedVolumes, pod(`
      containers: [{name: a}]
      volumes:
      - name: host
        hostPath: {path: /}
      - name: share
        nfs: {server: nfs.local, path: /export}
      - name: repo
        gitRepo: {repository: https://example.com/r.git}
    `))).toEqual([
      { path: 'spec.volumes[0].hostPath', message: 'volume "host" must not use the hostPath volume type: use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret' },
      { path: 'spec.volumes[1].nfs', message: 'volume "share" must not use the nfs volume type: use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret' },
      { path: 'spec.volumes[2].gitRepo', message: 'volume "repo" must not use the gitRepo volume type: use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret' },
    ]);
  });

  test('allows the restricted set, image volumes, and a volume with no source (defaulted to emptyDir)', () => {
    expect(findings(restrictedVolumes, pod(`
      containers: [{name: a}]
      volumes:
      - name: none
      - {name: e, emptyDir: {}}
      - {name: c, configMap: {name: c}}
      - {name: s, secret: {secretName: s}}
      - {name: p, projected: {sources: []}}
      - {name: d, downwardAPI: {items: []}}
      - {name: v, persistentVolumeClaim: {claimName: v}}
      - {name: x, csi: {driver: d}}
      - {name: t, ephemeral: {volumeClaimTemplate: {spec: {}}}}
      - {name: i, image: {reference: "registry.example/data:1"}}
    `), 'v1.0')).toEqual([]);
  });

  test('replaces hostPathVolumes at the restricted level', () => {
    const ids = new Engine({ profile: Profile.RESTRICTED, pssVersion: 'v1.0' }).rules.map((r) => r.metadata.id);
    expect(ids).toContain('pss-restricted-volumes');
    expect(ids).not.toContain('pss-host-path-volumes');
  });

  test('reports a hostPath volume as high at every profile, as hostPathVolumes does at baseline', () => {
    const hostPath = pod('containers: [{name: a}]\nvolumes: [{name: host, hostPath: {path: /}}]');
    const at = (profile: Profile) => new Engine({ profile }).checkText(hostPath, 'p.yaml').findings
      .filter((f) => f.path === 'spec.volumes[0].hostPath').map((f) => [f.ruleId, f.severity]);
    expect(at(Profile.BASELINE)).toEqual([['pss-host-path-volumes', 'high']]);
    expect(at(Profile.RESTRICTED)).toEqual([['pss-restricted-volumes', 'high']]);
    expect(at(Profile.HARDENED)).toEqual([['pss-restricted-volumes', 'high']]);
  });
});
