/**
 * The cluster rules of the hardened profile.
 */
import { encryptionConfigSecretsUnencrypted } from './encryption-config-secrets-unencrypted';
import { kubeadmApiserverAnonymousAuth } from './kubeadm-apiserver-anonymous-auth';
import { kubeadmApiserverAuditPolicy } from './kubeadm-apiserver-audit-policy';
import { kubeadmApiserverEncryptionProviderConfig } from './kubeadm-apiserver-encryption-provider-config';
import { kubeadmApiserverTokenAuthFile } from './kubeadm-apiserver-token-auth-file';
import { kubeletAnonymousAuth } from './kubelet-anonymous-auth';
import { kubeletAuthorizationMode } from './kubelet-authorization-mode';
import { kubeletCertificateRotation } from './kubelet-certificate-rotation';
import { kubeletReadOnlyPort } from './kubelet-read-only-port';
import { IRule } from '../../engine/types';

/** Every cluster rule. */
export const CLUSTER_RULES: IRule[] = [
  encryptionConfigSecretsUnencrypted,
  kubeletAnonymousAuth,
  kubeletAuthorizationMode,
  kubeletReadOnlyPort,
  kubeletCertificateRotation,
  kubeadmApiserverAnonymousAuth,
  kubeadmApiserverTokenAuthFile,
  kubeadmApiserverAuditPolicy,
  kubeadmApiserverEncryptionProviderConfig,
];
