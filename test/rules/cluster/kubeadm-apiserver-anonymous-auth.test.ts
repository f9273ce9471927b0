import { kubeadmApiserverAnonymousAuth } from '../../../src/rules/cluster/kubeadm-apiserver-anonymous-auth';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';
import { V1BETA3_INSECURE, V1BETA3_HARDENED, V1BETA4_INSECURE, V1BETA4_HARDENED, NO_API_SERVER } from './fixtures/kubeadm';

test('anonymous-auth: v1beta3 map value, v1beta4 last list entry, and unset', () => {
  const ID = 'kubeadm-apiserver-anonymous-auth';
  expect(findingsOf(V1BETA3_INSECURE, ID)).toMatchObject([{ path: 'apiServer.extraArgs.anonymous-auth', line: lineOf(V1BETA3_INSECURE, 'anonymous-auth') }]);
  const f = findingsOf(V1BETA4_INSECURE, ID);
  expect(f).toMatchObject([{ path: 'apiServer.extraArgs[2].value', line: lineOf(V1BETA4_INSECURE, 'value: "true"') }]);
  expect(findingsOf(NO_API_SERVER, ID)).toMatchObject([{ path: '', line: 1 }]);
  expect(findingsOf(NO_API_SERVER, ID)[0].message).toContain('defaults it to true');
  expect(findingsOf(V1BETA3_HARDENED, ID)).toEqual([]);
  expect(findingsOf(V1BETA4_HARDENED, ID)).toEqual([]);
  const authConfig = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs:
    authentication-config: /etc/kubernetes/authn.yaml
`;
  expect(findingsOf(authConfig, ID)).toEqual([]);
});

test('other groups named ClusterConfiguration are ignored', () => {
  const yaml = V1BETA3_INSECURE.replace('kubeadm.k8s.io/v1beta3', 'example.com/v1');
  expect(findingsOf(yaml, 'kubeadm-apiserver-anonymous-auth')).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(kubeadmApiserverAnonymousAuth, 'kubeadm.k8s.io/v1beta4');
  expectTotal(kubeadmApiserverAnonymousAuth, 'kubeadm.k8s.io/v1beta3');
});
