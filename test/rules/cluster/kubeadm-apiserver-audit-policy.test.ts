import { kubeadmApiserverAuditPolicy } from '../../../src/rules/cluster/kubeadm-apiserver-audit-policy';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';
import { V1BETA3_INSECURE, V1BETA3_HARDENED, V1BETA4_INSECURE, V1BETA4_HARDENED } from './fixtures/kubeadm';

test('audit-policy-file missing or empty is reported', () => {
  const ID = 'kubeadm-apiserver-audit-policy';
  expect(findingsOf(V1BETA3_INSECURE, ID)).toMatchObject([{ path: 'apiServer.extraArgs', line: lineOf(V1BETA3_INSECURE, 'extraArgs') }]);
  expect(findingsOf(V1BETA4_INSECURE, ID)).toMatchObject([{ path: 'apiServer.extraArgs[3].value', line: lineOf(V1BETA4_INSECURE, 'value: ""') }]);
  expect(findingsOf(V1BETA3_HARDENED, ID)).toEqual([]);
  expect(findingsOf(V1BETA4_HARDENED, ID)).toEqual([]);
});

test('other groups named ClusterConfiguration are ignored', () => {
  const yaml = V1BETA3_INSECURE.replace('kubeadm.k8s.io/v1beta3', 'example.com/v1');
  expect(findingsOf(yaml, 'kubeadm-apiserver-audit-policy')).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(kubeadmApiserverAuditPolicy, 'kubeadm.k8s.io/v1beta4');
  expectTotal(kubeadmApiserverAuditPolicy, 'kubeadm.k8s.io/v1beta3');
});
