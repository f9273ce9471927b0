/*
 * Hardened: a SealedSecret's template does not carry plaintext values.
 *
 * Checked field (kind SealedSecret, apiVersion bitnami.com/v1alpha1):
 *   spec.template.data.<key>
 *
 * What the controller does (bitnami-labs/sealed-secrets, SecretTemplateSpec and
 * SealedSecret.Unseal): `spec.template.data` is "Keys that should be templated
 * using decrypted data". Each value is parsed as a Go text/template (with Sprig)
 * and executed over the decrypted `encryptedData` values, and the output becomes
 * that key of the Secret, replacing a decrypted value of the same name. A `null`
 * value omits the key from the Secret. The values themselves are not encrypted:
 * they sit in the manifest, and in Git, as written. Of the other Secret fields in
 * the template only `metadata`, `type` and `immutable` are used; the README says
 * all others (so `stringData` too) are ignored, so they are not checked here.
 *
 * A finding for each key whose value is a literal: a non-blank string whose template
 * actions never read the sealed data, or a number or boolean. (Blank: Unicode white
 * space only, as CEL's `trim()` removes it at admission. An action reads the data when
 * it refers to `.` or `$`, see go-template.ts: `{{ "hunter2" }}` and `hunter2{{/* *\/}}`
 * are literals.) Passes: strings with an action that reads the data
 * (`{{ index . "password" }}`, or a config file with such actions in it), `null`, blank
 * strings. Other values (lists, mappings) are not valid
 * there and are not reported. Messages name the key, never its value.
 *
 * Why: a literal in the template is a Secret value committed in clear text next to
 * the encrypted ones, with all the exposure of a plain Secret in a manifest.
 */
import { ACTION_SOURCE, COMMENT_START_SOURCE, templateReadsData, TOKEN_SOURCE } from './go-template';
import { mapAt } from './sealed-secret-cel';
import { RuleAdmission } from '../../engine/admission';
import { keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { inApiGroup, isObject, keys, prop, trimWhiteSpace } from '../../engine/values';
import { str } from '../cel';

const BASE = 'spec.template.data';

/** Whether a template data value is written out in clear rather than templated from sealed values. */
function isLiteral(v: unknown): boolean {
  if (typeof v === 'string') return trimWhiteSpace(v) !== '' && !templateReadsData(v);
  return typeof v === 'number' || typeof v === 'boolean';
}

/**
 * The check in CEL, for admission: the keys whose values are literals. The CRD's schema
 * allows only strings (or null, for the whole map) there; numbers and booleans are
 * literals too under a CRD that allows them.
 */
const admission: RuleAdmission = {
  violations: () => {
    const data = 'object.spec.template.data';
    const v = `${data}[k]`;
    const scalar = ['int', 'uint', 'double', 'bool'].map((t) => `type(${v}) == ${t}`).join(' || ');
    const readsData = `${v}.findAll(${str(ACTION_SOURCE)}).exists(a, !a.matches(${str(COMMENT_START_SOURCE)})`
      + ` && a.findAll(${str(TOKEN_SOURCE)}).exists(t, t == '$' || (t.startsWith('.') && !t.matches('^[.][0-9]'))))`;
    const literal = `(type(${v}) == string ? (${v}.trim() != '' && !(${v}.contains('{{') && ${readsData})) : (${scalar}))`;
    // the key as JSON quotes it (a line break would make the API server drop the message)
    const quoted = `k${[['\\', '\\\\'], ['"', '\\"'], ['\n', '\\n'], ['\r', '\\r']].map(([from, to]) => `.replace(${str(from)}, ${str(to)})`).join('')}`;
    const sealed = `(${mapAt('object', 'spec', 'encryptedData')} && k in object.spec.encryptedData)`;
    const message = `${str('SealedSecret template key "')} + ${quoted} + ${str('" holds a plaintext value')} + (${sealed} ? ${str(', replacing the sealed value of the same key,')} : '')`
      + ` + ${str(' that is not encrypted; seal it into spec.encryptedData and refer to it with a template such as {{ index . "')} + ${quoted} + ${str('" }}')}`;
    return `(${mapAt('object', 'spec', 'template', 'data')} ? ${data}.filter(k, ${literal}).map(k, ${message}) : [])`;
  },
};

export const sealedSecretTemplateData = defineRule({
  id: 'sealed-secret-plaintext-template-data',
  title: 'SealedSecret templates carry no plaintext values',
  severity: Severity.HIGH,
  category: 'secrets',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.4.2',
    'nsa:network-separation/secrets',
  ],
  rationale: 'Only `spec.encryptedData` is sealed. The values under `spec.template.data` are committed as written and copied into the Secret, so a literal there is a credential in clear text in the repository, its history and the CI logs, next to the encrypted ones.',
  remediation: 'Seal the value with `kubeseal` (for example `kubeseal --merge-into`) so that it appears under `spec.encryptedData`, and either drop the key from `spec.template.data` or refer to the sealed value with a template such as `{{ index . "password" }}`; then rotate the exposed credential. Suppress the finding with a reason if the value is genuinely not secret.',
  kinds: ['SealedSecret'],
}, (object) => {
  if (!inApiGroup(object, 'bitnami.com')) return [];
  const spec = prop(object, 'spec');
  const data = prop(prop(spec, 'template'), 'data');
  if (!isObject(data)) return [];
  const sealed = prop(spec, 'encryptedData');
  const out: RuleFinding[] = [];
  for (const key of keys(data)) {
    if (!isLiteral(data[key])) continue;
    const replaces = prop(sealed, key) !== undefined ? ', replacing the sealed value of the same key,' : '';
    out.push({
      path: keyPath(BASE, key),
      message: `SealedSecret template key ${JSON.stringify(key)} holds a plaintext value${replaces} that is not encrypted; seal it into spec.encryptedData and refer to it with a template such as {{ index . ${JSON.stringify(key)} }}`,
    });
  }
  return out;
}, undefined, admission);
