/**
 * The secrets rules of the hardened profile.
 */
import { configMapCredentials } from './configmap-credentials';
import { sealedSecretClusterWide } from './sealed-secret-cluster-wide';
import { sealedSecretEncryptedData } from './sealed-secret-encrypted-data';
import { sealedSecretTemplateData } from './sealed-secret-template-data';
import { secretInManifest } from './secret-in-manifest';
import { serviceAccountTokenSecret } from './service-account-token-secret';
import { IRule } from '../../engine/types';

/** Every secrets rule. */
export const SECRETS_RULES: IRule[] = [
  secretInManifest,
  configMapCredentials,
  serviceAccountTokenSecret,
  sealedSecretEncryptedData,
  sealedSecretTemplateData,
  sealedSecretClusterWide,
];
