import { kubeletAnonymousAuth } from '../../../src/rules/cluster/kubelet-anonymous-auth';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';
import { INSECURE, HARDENED, DEFAULTS } from './fixtures/kubelet';

test('kubelet-anonymous-auth: only an explicit true is reported', () => {
  expect(findingsOf(INSECURE, 'kubelet-anonymous-auth')).toMatchObject([{ path: 'authentication.anonymous.enabled', line: lineOf(INSECURE, 'enabled: true') }]);
  expect(findingsOf(HARDENED, 'kubelet-anonymous-auth')).toEqual([]);
  expect(findingsOf(DEFAULTS, 'kubelet-anonymous-auth')).toEqual([]);
});

test('other groups named KubeletConfiguration are ignored', () => {
  const yaml = INSECURE.replace('kubelet.config.k8s.io/v1beta1', 'example.com/v1');
  expect(findingsOf(yaml, 'kubelet-anonymous-auth')).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(kubeletAnonymousAuth, 'kubelet.config.k8s.io/v1beta1');
});
