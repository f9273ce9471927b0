import { kubeadmApiserverEncryptionProviderConfig } from '../../../src/rules/cluster/kubeadm-apiserver-encryption-provider-config';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';
import { V1BETA3_INSECURE, V1BETA3_HARDENED, V1BETA4_INSECURE, V1BETA4_HARDENED } from './fixtures/kubeadm';

test('encryption-provider-config missing is reported', () => {
  const ID = 'kubeadm-apiserver-encryption-provider-config';
  expect(findingsOf(V1BETA4_INSECURE, ID)).toMatchObject([{ path: 'apiServer.extraArgs', line: lineOf(V1BETA4_INSECURE, 'extraArgs') }]);
  expect(findingsOf(V1BETA3_HARDENED, ID)).toEqual([]);
  expect(findingsOf(V1BETA4_HARDENED, ID)).toEqual([]);
  const withApiServer = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  certSANs: [k8s.example.com]
`;
  expect(findingsOf(withApiServer, ID)).toMatchObject([{ path: 'apiServer', line: 3 }]);
});

test('other groups named ClusterConfiguration are ignored', () => {
  const yaml = V1BETA3_INSECURE.replace('kubeadm.k8s.io/v1beta3', 'example.com/v1');
  expect(findingsOf(yaml, 'kubeadm-apiserver-encryption-provider-config')).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(kubeadmApiserverEncryptionProviderConfig, 'kubeadm.k8s.io/v1beta4');
  expectTotal(kubeadmApiserverEncryptionProviderConfig, 'kubeadm.k8s.io/v1beta3');
});
