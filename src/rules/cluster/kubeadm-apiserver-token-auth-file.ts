/*
 * kubeadm ClusterConfiguration (kubeadm.k8s.io/v1beta3, v1beta4): no static token file.
 *
 * Flag: apiServer.extraArgs `token-auth-file` (map entry in v1beta3, `{name, value}`
 * list entry in v1beta4). A static token file holds long-lived bearer tokens in plain
 * text on the control-plane disk; they cannot be rotated or revoked without restarting
 * the API server. Reported: the flag, set to anything, at its value.
 */
import { apiServerArgsOf } from './config-kinds';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

export const kubeadmApiserverTokenAuthFile = defineRule({
  id: 'kubeadm-apiserver-token-auth-file',
  title: 'The API server does not use a static token file',
  severity: Severity.HIGH,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:1.2.2', 'nsa:authentication-and-authorization/authentication', 'checkov:CKV_K8S_70'],
  rationale: 'Static tokens never expire, sit in plain text on every control-plane node and can only be revoked by editing the file and restarting the API server.',
  remediation: 'Remove token-auth-file and authenticate people with OIDC or client certificates, and workloads with service account tokens.',
  kinds: ['ClusterConfiguration'],
}, (object) => {
  const flag = apiServerArgsOf(object)?.args.get('token-auth-file');
  if (!flag) return [];
  return [{ path: flag.path, message: 'token-auth-file enables static, non-expiring bearer tokens: remove it and use OIDC or client certificates' }];
});
