/*
 * EncryptionConfiguration (apiserver.config.k8s.io/v1): Secrets are encrypted at rest.
 *
 * The API server encrypts a resource with the first provider of the first
 * `resources[]` entry whose `resources` list names it, and reads with any provider of
 * that entry. Secrets (core group) are named by "secrets", by "*." (every core
 * resource) or by "*.*" (every resource, Kubernetes 1.27+). Reported:
 *   - no entry names Secrets: they are stored as plain text in etcd; at `resources`
 *     (or the root when `resources` is missing);
 *   - the first provider of that entry is `identity`: new writes are not encrypted; at
 *     `resources[i].providers[0]`. `identity` later in the list is normal (it reads data
 *     written before encryption was turned on).
 * Whether the file is used at all is the job of kubeadm-apiserver-encryption-provider-config.
 */
import { isConfig } from './config-kinds';
import { indexPath, keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';

const NAMES_SECRETS = ['secrets', '*.', '*.*'];

export const encryptionConfigSecretsUnencrypted = defineRule({
  id: 'encryption-config-secrets-unencrypted',
  title: 'The encryption configuration encrypts Secrets at rest',
  severity: Severity.HIGH,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:1.2.28', 'nsa:network-separation/secrets', 'nsa:network-separation/control-plane-hardening'],
  rationale: 'Without encryption at rest, every Secret is plain text in etcd and in every etcd backup: whoever reads a backup or the etcd disk holds every credential of the cluster.',
  remediation: 'Add a `resources` entry for `secrets` whose first provider is `kms` (v2), `aescbc`, `aesgcm` or `secretbox`, keeping `identity: {}` last only while existing data is rewritten.',
  kinds: ['EncryptionConfiguration'],
}, (object) => {
  if (!isConfig(object, 'EncryptionConfiguration', 'apiserver.config.k8s.io')) return [];
  const entries = arr(prop(object, 'resources'));
  const i = entries.findIndex((e) => arr(prop(e, 'resources')).some((r) => typeof r === 'string' && NAMES_SECRETS.includes(r)));
  if (i < 0) {
    return [{ path: prop(object, 'resources') === undefined ? '' : 'resources', message: 'no resources entry names secrets, so Secrets are stored unencrypted: add one with an encrypting provider (kms, aescbc, aesgcm or secretbox) first' }];
  }
  const first = arr(prop(entries[i], 'providers'))[0];
  if (prop(first, 'identity') !== undefined) {
    return [{ path: indexPath(keyPath(indexPath('resources', i), 'providers'), 0), message: 'the first provider for secrets is identity, so new Secrets are written unencrypted: put an encrypting provider (kms, aescbc, aesgcm or secretbox) first' }];
  }
  return [];
});
