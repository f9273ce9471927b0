import { kubeletAuthorizationMode } from '../../../src/rules/cluster/kubelet-authorization-mode';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';
import { INSECURE, HARDENED, DEFAULTS } from './fixtures/kubelet';

test('kubelet-authorization-mode: any mode but Webhook is reported', () => {
  expect(findingsOf(INSECURE, 'kubelet-authorization-mode')).toMatchObject([{ path: 'authorization.mode', line: lineOf(INSECURE, 'AlwaysAllow') }]);
  expect(findingsOf(HARDENED, 'kubelet-authorization-mode')).toEqual([]);
  expect(findingsOf(DEFAULTS, 'kubelet-authorization-mode')).toEqual([]);
});

test('other groups named KubeletConfiguration are ignored', () => {
  const yaml = INSECURE.replace('kubelet.config.k8s.io/v1beta1', 'example.com/v1');
  expect(findingsOf(yaml, 'kubelet-authorization-mode')).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(kubeletAuthorizationMode, 'kubelet.config.k8s.io/v1beta1');
});
