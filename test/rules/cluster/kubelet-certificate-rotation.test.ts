import { kubeletCertificateRotation } from '../../../src/rules/cluster/kubelet-certificate-rotation';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';
import { INSECURE, HARDENED, DEFAULTS } from './fixtures/kubelet';

test('kubelet-certificate-rotation: both rotations must be on, and the gate not off', () => {
  const f = findingsOf(INSECURE, 'kubelet-certificate-rotation');
  expect(f.map((x) => x.path).sort()).toEqual(['featureGates.RotateKubeletServerCertificate', 'rotateCertificates', 'serverTLSBootstrap']);
  expect(f.find((x) => x.path === 'rotateCertificates')!.line).toBe(lineOf(INSECURE, 'rotateCertificates'));
  expect(findingsOf(HARDENED, 'kubelet-certificate-rotation')).toEqual([]);
  expect(findingsOf(DEFAULTS, 'kubelet-certificate-rotation')).toEqual([]);
});

test('other groups named KubeletConfiguration are ignored', () => {
  const yaml = INSECURE.replace('kubelet.config.k8s.io/v1beta1', 'example.com/v1');
  expect(findingsOf(yaml, 'kubelet-certificate-rotation')).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(kubeletCertificateRotation, 'kubelet.config.k8s.io/v1beta1');
});
