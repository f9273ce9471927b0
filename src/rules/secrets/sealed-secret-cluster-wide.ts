/*
 * Hardened: SealedSecrets are sealed to their namespace and name (strict scope).
 *
 * Checked fields (kind SealedSecret, apiVersion bitnami.com/v1alpha1):
 *   metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"]
 *   spec.template.metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"]
 *
 * A finding for each that is "true" (the string, in any case and with white space around
 * it, or the boolean). The controller (SecretScope in bitnami-labs/sealed-secrets) takes
 * exactly "true"; reading more as true only reports more.
 *
 * Why: a cluster-wide SealedSecret decrypts in any namespace under any name. Anyone
 * who can create a SealedSecret anywhere can copy it into a namespace they control
 * and read the value; the default strict scope binds the ciphertext to one
 * namespace and name.
 */
import { RuleAdmission } from '../../engine/admission';
import { keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { inApiGroup, lowerAscii, prop, trimWhiteSpace } from '../../engine/values';
import { concat, messageIf, str } from '../cel';
import { mapAt } from './sealed-secret-cel';

const CLUSTER_WIDE = 'sealedsecrets.bitnami.com/cluster-wide';

function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && lowerAscii(trimWhiteSpace(v)) === 'true');
}

const PLACES: readonly (readonly string[])[] = [['metadata'], ['spec', 'template', 'metadata']];

/**
 * The check in CEL, for admission. The CRD's schema allows only strings there, but the
 * CRDs of controllers before v0.20.3 keep any value in spec.template.metadata: a boolean
 * true counts, and any other value (a number, null, a list) does not, as in the check.
 */
const admission: RuleAdmission = {
  violations: () => concat(...PLACES.map((place) => {
    const annotations = `object.${place.join('.')}.annotations`;
    const value = `${annotations}[${str(CLUSTER_WIDE)}]`;
    const base = place.join('.');
    return messageIf(
      `${mapAt('object', ...place, 'annotations')} && ${str(CLUSTER_WIDE)} in ${annotations}`
        + ` && (type(${value}) == string ? ${value}.trim().lowerAscii() == 'true' : dyn(${value}) == true)`,
      str(`the SealedSecret is sealed cluster-wide (${base}.annotations); re-seal it with strict scope for its namespace and name`),
    );
  })),
};

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
  for (const place of PLACES) {
    const base = place.join('.');
    const metadata = place.reduce<unknown>((v, f) => prop(v, f), object);
    if (!isTrue(prop(prop(metadata, 'annotations'), CLUSTER_WIDE))) continue;
    out.push({
      path: keyPath(keyPath(base, 'annotations'), CLUSTER_WIDE),
      message: `the SealedSecret is sealed cluster-wide (${base}.annotations); re-seal it with strict scope for its namespace and name`,
    });
  }
  return out;
}, undefined, admission);
