/*
 * Hardened: ConfigMaps do not hold credentials.
 *
 * Checked fields (kind ConfigMap):
 *   data.<key>, binaryData.<key>
 *
 * A finding for each key whose name looks like a credential (PASSWORD, SECRET,
 * TOKEN, KEY, CREDENTIAL… — see credential-names.ts; the rule option
 * `secretNamePatterns: regex[]` adds case-insensitive regular expressions) and
 * whose value is not blank (Unicode white space only). Messages name the key, never
 * its value.
 *
 * Why: ConfigMaps are meant for non-confidential configuration: RBAC grants read
 * access to them broadly, they are not encrypted at rest by encryption
 * configurations that cover Secrets, and they are printed by routine tooling.
 */
import { credentialNameCel, credentialNameMatcher, credentialNamePatterns } from './credential-names';
import { RuleAdmission } from '../../engine/admission';
import { keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { isObject, keys, prop, trimWhiteSpace } from '../../engine/values';
import { concat, str as celString } from '../cel';

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && trimWhiteSpace(v) === '');
}

/**
 * The check in CEL, for admission: the extra name patterns travel in the policy's
 * parameters. binaryData reaches a policy decoded, as bytes: a value is empty when it has
 * no byte (its base64 text is empty; the API server refuses any other blank text).
 */
const admission: RuleAdmission = {
  params: [{ name: 'secretNamePatterns', values: credentialNamePatterns }],
  violations: ({ listOption }) => {
    const patterns = listOption('secretNamePatterns');
    const keysOf = (field: string, notEmpty: string) => `(has(object.${field}) ? object.${field}.filter(k, ${notEmpty} && ${credentialNameCel('k', patterns)})`
      + `.map(k, ${celString('ConfigMap key "')} + k + ${celString(`" in ${field} looks like a credential; move it into a Secret`)}) : [])`;
    return concat(keysOf('data', "object.data[k].trim() != ''"), keysOf('binaryData', 'size(object.binaryData[k]) > 0'));
  },
};

export const configMapCredentials = defineRule({
  id: 'configmap-credentials',
  title: 'ConfigMaps do not hold credentials',
  severity: Severity.HIGH,
  category: 'secrets',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/secrets',
    'trivy:KSV-0109',
  ],
  rationale: 'ConfigMaps are readable by far more subjects than Secrets, are usually excluded from encryption at rest, and are shown in full by kubectl and dashboards; a credential stored in one is effectively public inside the cluster and in the repository.',
  remediation: 'Move the value into a Secret (created from a SealedSecret or ExternalSecret), reference it from the workload with `secretKeyRef` or a secret volume, and rotate the credential.',
  kinds: ['ConfigMap'],
  options: [{ name: 'secretNamePatterns', type: 'regex[]', description: 'More key names that hold credentials: case-insensitive regular expressions, matched anywhere in the name (anchor them with ^ and $); only patterns JavaScript and RE2 read alike are taken (docs/admission.md).' }],
}, (object, context) => {
  const looksSecret = credentialNameMatcher(context.options);
  const out: RuleFinding[] = [];
  for (const field of ['data', 'binaryData']) {
    const map = prop(object, field);
    if (!isObject(map)) continue;
    for (const key of keys(map)) {
      if (isEmpty(map[key]) || !looksSecret(key)) continue;
      out.push({
        path: keyPath(field, key),
        message: `ConfigMap key ${JSON.stringify(key)} in ${field} looks like a credential; move it into a Secret`,
      });
    }
  }
  return out;
}, undefined, admission);
