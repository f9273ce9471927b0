/*
 * Hardened: SealedSecrets carry their values encrypted.
 *
 * Checked field (kind SealedSecret, apiVersion bitnami.com/v1alpha1):
 *   spec.encryptedData
 *
 * A finding when it is missing, an empty mapping, or a mapping of null values only
 * (the API server drops a null value before it stores the object, under the CRD's
 * schema; the controller has no ciphertext to unseal in one). (A SealedSecret in the
 * deprecated format with only `spec.data` is reported too: its one opaque blob
 * cannot be re-encrypted per key, and the controller no longer produces it.)
 *
 * Why: a SealedSecret without encryptedData unseals to a Secret with no values,
 * which usually means the values were put somewhere else, such as the unencrypted
 * `spec.template.data`, or that the workload silently runs without its credentials.
 */
import { mapAt } from './sealed-secret-cel';
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { inApiGroup, isObject, keys, prop } from '../../engine/values';
import { messageIf, str } from '../cel';

const LEGACY = 'the SealedSecret uses the deprecated spec.data format; re-seal it with kubeseal so that its values appear under spec.encryptedData';
const MISSING = 'the SealedSecret has no spec.encryptedData; seal its values with kubeseal';

/**
 * The check in CEL, for admission. The CRD's schema requires encryptedData, so the API
 * server refuses a SealedSecret without it before any policy sees it; the policy still
 * denies an empty one (and a missing one, under a CRD that does not require it).
 */
const admission: RuleAdmission = {
  violations: () => messageIf(
    `!(${mapAt('object', 'spec', 'encryptedData')} && object.spec.encryptedData.exists(k, type(object.spec.encryptedData[k]) != null_type))`,
    `(${mapAt('object', 'spec')} && has(object.spec.data) && type(object.spec.data) != null_type ? ${str(LEGACY)} : ${str(MISSING)})`,
  ),
};

export const sealedSecretEncryptedData = defineRule({
  id: 'sealed-secret-encrypted-data',
  title: 'SealedSecrets carry encryptedData',
  severity: Severity.MEDIUM,
  category: 'secrets',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.4.2',
    'nsa:network-separation/secrets',
  ],
  rationale: 'The point of a SealedSecret is that its values are encrypted for the cluster. Without `spec.encryptedData` it carries no sealed value: the values live elsewhere in clear text, or the resulting Secret is empty.',
  remediation: 'Seal the values with `kubeseal` so that they appear under `spec.encryptedData`, and keep `spec.template` for metadata and non-secret fields only.',
  kinds: ['SealedSecret'],
}, (object) => {
  if (!inApiGroup(object, 'bitnami.com')) return [];
  const spec = prop(object, 'spec');
  const sealed = prop(spec, 'encryptedData');
  if (isObject(sealed) && keys(sealed).some((k) => sealed[k] !== null)) return [];
  const legacy = prop(spec, 'data') !== undefined && prop(spec, 'data') !== null;
  return [{
    path: 'spec.encryptedData',
    message: legacy ? LEGACY : MISSING,
  }];
}, undefined, admission);
