import { kubeadmApiserverTokenAuthFile } from '../../../src/rules/cluster/kubeadm-apiserver-token-auth-file';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';
import { V1BETA3_INSECURE, V1BETA3_HARDENED, V1BETA4_INSECURE, NO_API_SERVER } from './fixtures/kubeadm';

test('token-auth-file is reported wherever it is set', () => {
  const ID = 'kubeadm-apiserver-token-auth-file';
  expect(findingsOf(V1BETA3_INSECURE, ID)).toMatchObject([{ path: 'apiServer.extraArgs.token-auth-file', line: lineOf(V1BETA3_INSECURE, 'token-auth-file') }]);
  expect(findingsOf(V1BETA4_INSECURE, ID)).toMatchObject([{ path: 'apiServer.extraArgs[1].value', line: lineOf(V1BETA4_INSECURE, 'tokens.csv') }]);
  expect(findingsOf(V1BETA3_HARDENED, ID)).toEqual([]);
  expect(findingsOf(NO_API_SERVER, ID)).toEqual([]);
});

test('other groups named ClusterConfiguration are ignored', () => {
  const yaml = V1BETA3_INSECURE.replace('kubeadm.k8s.io/v1beta3', 'example.com/v1');
  expect(findingsOf(yaml, 'kubeadm-apiserver-token-auth-file')).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(kubeadmApiserverTokenAuthFile, 'kubeadm.k8s.io/v1beta4');
  expectTotal(kubeadmApiserverTokenAuthFile, 'kubeadm.k8s.io/v1beta3');
});
