/*
 * Hardened: SealedSecrets are sealed to their namespace and name (strict scope).
 *
 * Checked fields (kind SealedSecret, apiVersion bitnami.com/v1alpha1):
 *   metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"]
 *   spec.template.metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"]
 *
 * A finding for each that is "true" (the string, any case, or the boolean).
 *
 * Why: a cluster-wide SealedSecret decrypts in any namespace under any name. Anyone
 * who can create a SealedSecret anywhere can copy it into a namespace they control
 * and read the value; the default strict scope binds the ciphertext to one
 * namespace and name.
 */
import { keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { inApiGroup, prop } from '../../engine/values';

const CLUSTER_WIDE = 'sealedsecrets.bitnami.com/cluster-wide';

function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

export const sealedSecretClusterWide = defineRule({
  id: 'sealed-secret-cluster-wide',
  title: 'SealedSecrets are not cluster-wide',
  severity: Severity.MEDIUM,
  category: 'secrets',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/secrets',
  ],
  rationale: 'A cluster-wide SealedSecret can be unsealed in any namespace under any name, so anyone allowed to create SealedSecrets in some namespace can replay it there and read the credential.',
  remediation: 'Re-seal the value with the default strict scope (`kubeseal --scope strict`, with the final namespace and name) and remove the `sealedsecrets.bitnami.com/cluster-wide` annotation.',
  kinds: ['SealedSecret'],
}, (object) => {
  if (!inApiGroup(object, 'bitnami.com')) return [];
  const out: RuleFinding[] = [];
  const places: [string, unknown][] = [
    ['metadata', prop(object, 'metadata')],
    ['spec.template.metadata', prop(prop(prop(object, 'spec'), 'template'), 'metadata')],
  ];
  for (const [base, metadata] of places) {
    if (!isTrue(prop(prop(metadata, 'annotations'), CLUSTER_WIDE))) continue;
    out.push({
      path: keyPath(keyPath(base, 'annotations'), CLUSTER_WIDE),
      message: `the SealedSecret is sealed cluster-wide (${base}.annotations); re-seal it with strict scope for its namespace and name`,
    });
  }
  return out;
});
