import { Engine, Profile } from '../../../src';
import { persistentVolumeHostPath } from '../../../src/rules/workload/persistent-volume-host-path';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'persistent-volume-host-path';
const pv = (source: string) => `apiVersion: v1
kind: PersistentVolume
metadata: {name: data}
spec:
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
${source}`;

test('a hostPath PersistentVolume is reported, with path and line', () => {
  const yaml = pv('  hostPath:\n    path: /\n');
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line, f.severity])).toEqual([['spec.hostPath', lineOf(yaml, 'hostPath:'), 'high']]);
});

test('local volumes: reported until their path is under an allowedLocalPaths prefix', () => {
  const yaml = pv('  local:\n    path: /mnt/disks/ssd0\n');
  expect(check(yaml, RULE).findings.map((f) => f.path)).toEqual(['spec.local.path']);
  const withOption = (allowed: string[], source: string) =>
    new Engine({ profile: Profile.HARDENED, ruleOptions: { [RULE]: { allowedLocalPaths: allowed } } }).checkText(pv(source), 'pv.yaml').findings.filter((f) => f.ruleId === RULE).map((f) => f.path);
  expect(withOption(['/mnt/disks'], '  local:\n    path: /mnt/disks/ssd0\n')).toEqual([]);
  expect(withOption(['/mnt/disks'], '  local:\n    path: /mnt/disks\n')).toEqual([]);
  // a prefix ends at a / boundary, and .. cannot climb out of it
  expect(withOption(['/mnt/disks'], '  local:\n    path: /mnt/disks-evil\n')).toEqual(['spec.local.path']);
  expect(withOption(['/mnt/disks'], '  local:\n    path: /mnt/disks/../../etc\n')).toEqual(['spec.local.path']);
});

test('PersistentVolumes of other sources pass', () => {
  expect(check(pv('  csi:\n    driver: ebs.csi.aws.com\n    volumeHandle: vol-1\n'), RULE).findings).toEqual([]);
  expect(check(pv('  nfs:\n    server: nfs.example.com\n    path: /exports\n'), RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(persistentVolumeHostPath, { kind: 'PersistentVolume', spec: { hostPath: 5, local: { path: 7 } } });
});
