/*
 * Hardened: plain Secrets with values are not committed in manifests.
 *
 * Checked fields (kind Secret, apiVersion v1):
 *   data, stringData
 *
 * A finding for each of the two that holds a value: a key whose value is not the
 * empty string (or null, which the API server stores as empty). A Secret without
 * values holds no credential and passes here: no `data` or `stringData`, empty
 * mappings, or only keys with empty values (for example a token Secret filled in by a
 * controller, or a placeholder whose values are set in the cluster). Messages count
 * the keys with values; they never name or show values.
 *
 * Why: `data` is only base64, not encryption. A Secret in a manifest puts the
 * credential in plain text in Git history, in CI logs and in every copy of the
 * repository.
 */
import { notAtAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { keys, prop } from '../../engine/values';

/** An empty value: the empty string, or null (decoded as the empty value). */
function isEmptyValue(v: unknown): boolean {
  return v === '' || v === null;
}

export const secretInManifest = defineRule({
  id: 'secret-in-manifest',
  title: 'Secret values are not committed in plain Secrets',
  severity: Severity.HIGH,
  category: 'secrets',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.4.2',
    'nsa:network-separation/secrets',
  ],
  rationale: 'A Secret\'s `data` is base64-encoded, not encrypted: a Secret written in a manifest exposes the credential to everyone who can read the repository, its history, its forks and the CI logs.',
  remediation: 'Replace the Secret with a SealedSecret (encrypted for the cluster) or an ExternalSecret that fetches the value from a secret manager, remove the plain Secret from version control, and rotate the exposed credential.',
  kinds: ['Secret'],
}, (object) => {
  const out: RuleFinding[] = [];
  for (const field of ['data', 'stringData']) {
    const values = prop(object, field);
    const n = keys(values).filter((k) => !isEmptyValue(values[k])).length;
    if (n === 0) continue;
    out.push({
      path: field,
      message: `the Secret commits ${n} value${n === 1 ? '' : 's'} in ${field}; replace it with a SealedSecret or ExternalSecret and rotate the credential${n === 1 ? '' : 's'}`,
    });
  }
  return out;
}, undefined, notAtAdmission('a manifest rule: a Secret written into a manifest leaks through the repository that holds it; at admission every Secret, those that controllers and operators create included, would be refused'));
