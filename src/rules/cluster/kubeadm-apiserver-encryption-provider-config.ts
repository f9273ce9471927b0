/*
 * kubeadm ClusterConfiguration (kubeadm.k8s.io/v1beta3, v1beta4): the API server
 * encrypts data at rest.
 *
 * Flag: apiServer.extraArgs `encryption-provider-config`, the path of an
 * EncryptionConfiguration. Without it (kubeadm does not set it) Secrets are stored in
 * etcd as plain text. Reported: the flag missing or empty, at apiServer.extraArgs (or
 * its value). What the file encrypts is checked by encryption-config-secrets-unencrypted.
 */
import { requiredFlag } from './config-kinds';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

export const kubeadmApiserverEncryptionProviderConfig = defineRule({
  id: 'kubeadm-apiserver-encryption-provider-config',
  title: 'The API server encrypts Secrets at rest',
  severity: Severity.HIGH,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:1.2.27', 'nsa:network-separation/secrets', 'checkov:CKV_K8S_104'],
  rationale: 'Without an encryption provider configuration every Secret is plain text in etcd and in its backups.',
  remediation: 'Write an EncryptionConfiguration for secrets (kms v2, aescbc, aesgcm or secretbox first), mount it with apiServer.extraVolumes and set apiServer.extraArgs `encryption-provider-config` to its path.',
  kinds: ['ClusterConfiguration'],
}, (object) => requiredFlag(object, 'encryption-provider-config', 'encryption-provider-config is not set, so Secrets are stored unencrypted in etcd: set it to an EncryptionConfiguration file'));
