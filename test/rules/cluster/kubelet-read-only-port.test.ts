import { kubeletReadOnlyPort } from '../../../src/rules/cluster/kubelet-read-only-port';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';
import { INSECURE, HARDENED, DEFAULTS } from './fixtures/kubelet';

test('kubelet-read-only-port: a non-zero port is reported', () => {
  expect(findingsOf(INSECURE, 'kubelet-read-only-port')).toMatchObject([{ path: 'readOnlyPort', line: lineOf(INSECURE, 'readOnlyPort') }]);
  expect(findingsOf(HARDENED, 'kubelet-read-only-port')).toEqual([]);
  expect(findingsOf(DEFAULTS, 'kubelet-read-only-port')).toEqual([]);
});

test('other groups named KubeletConfiguration are ignored', () => {
  const yaml = INSECURE.replace('kubelet.config.k8s.io/v1beta1', 'example.com/v1');
  expect(findingsOf(yaml, 'kubelet-read-only-port')).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(kubeletReadOnlyPort, 'kubelet.config.k8s.io/v1beta1');
});
