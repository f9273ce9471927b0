/*
 * Hardened: secrets are not written into environment variables as literal values.
 *
 * Checked fields:
 *   spec.containers[*].env[*], spec.initContainers[*].env[*], spec.ephemeralContainers[*].env[*]
 *
 * A finding for each entry whose `value` is a non-empty literal string and
 *   - whose `name` looks like a credential (PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL…
 *     — see ../secrets/credential-names.ts; rule option `secretNamePatterns: regex[]`
 *     adds case-insensitive regular expressions), or
 *   - whose value is a credential by its content, whatever the name: a private key
 *     block, an AWS access key id, a GitHub, Slack or Stripe live token, a Google API
 *     key, a JSON Web Token (see ../secrets/credential-values.ts).
 * Entries that use `valueFrom` (secretKeyRef and the like), blank values (Unicode white
 * space only), and values made only of `$(VAR)` references to other variables (with
 * ASCII white space between them) pass.
 *
 * The value itself is never copied into a finding: messages name the container, the
 * variable and, for a value recognised by its content, the kind of credential only.
 *
 * Why: a literal value sits in the manifest, in Git history, in the API object
 * readable by anyone who can get the workload, and in `kubectl describe` output.
 */
import { RuleAdmission } from '../../engine/admission';
import { indexPath, keyPath } from '../../engine/json-path';
import { containersOf } from '../../engine/pod-spec';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop, trimWhiteSpace } from '../../engine/values';
import { CONTAINER_LISTS, concat, str as celString } from '../cel';
import { containerLabel } from '../container-label';
import { credentialNameCel, credentialNameMatcher, credentialNamePatterns } from '../secrets/credential-names';
import { credentialFormatOf, credentialValueCel } from '../secrets/credential-values';

/** A value made only of `$(VAR)` references expands other variables: no literal secret. */
const ONLY_REFERENCES_SOURCE = '^(\\$\\([A-Za-z_][A-Za-z0-9_.-]*\\)[\\t\\n\\f\\r ]*)+$';
const ONLY_REFERENCES = new RegExp(ONLY_REFERENCES_SOURCE);

/** CEL: the env entry `e` sets a literal value that the check reports (over the name patterns, a CEL list). */
function literalSecretCel(patterns: string): string {
  return [
    'has(e.value)',
    `[e.value.trim()].map(t, t != '' && !t.matches(${celString(ONLY_REFERENCES_SOURCE)}))[0]`,
    `(${credentialValueCel('e.value')} || ${credentialNameCel('e.name', patterns)})`,
  ].join(' && ');
}

/**
 * The check in CEL, for admission: the extra name patterns travel in the policy's
 * parameters. Each entry is judged once (a container's list of the names it sets, its own
 * name first), so that a pod with many variables stays within the cost budget.
 */
const admission: RuleAdmission = {
  params: [{ name: 'secretNamePatterns', values: credentialNamePatterns }],
  violations: ({ listOption }) => {
    const bad = literalSecretCel(listOption('secretNamePatterns'));
    return concat(...CONTAINER_LISTS.map(({ list, label }) => `variables.${list}`
      + `.map(c, [c.name] + (has(c.env) ? c.env.filter(e, ${bad}).map(e, e.name) : []))`
      + '.filter(l, size(l) > 1)'
      + `.map(l, ${celString(`${label} "`)} + l[0] + ${celString('" sets ')} + string(size(l) - 1)`
      + ` + ${celString(' secret-looking variables to literal values; move them into a Secret and use valueFrom.secretKeyRef')})`));
  },
};

export const envLiteralSecret = definePodRule({
  id: 'env-literal-secret',
  title: 'Secret-looking environment variables are not set to literal values',
  severity: Severity.HIGH,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.4.1',
    'nsa:network-separation/secrets',
    'kube-linter:env-var-secret',
    'polaris:sensitiveContainerEnvVar',
  ],
  rationale: 'A credential written as a literal environment value is stored in plain text in the manifest, in version control, and in the workload object that anyone with read access to it can see; it cannot be rotated without a redeploy.',
  remediation: 'Store the value in a Secret (created by a SealedSecret, ExternalSecret or your secret manager) and reference it with `valueFrom.secretKeyRef`, or better mount it as a file. Rotate a credential that was committed.',
  kinds: POD_KINDS,
  options: [{ name: 'secretNamePatterns', type: 'regex[]', description: 'More variable names that hold credentials: case-insensitive regular expressions, matched anywhere in the name (anchor them with ^ and $); only patterns JavaScript and RE2 read alike are taken (docs/admission.md).' }],
}, (pod, context) => {
  const looksSecret = credentialNameMatcher(context.options);
  const out: RuleFinding[] = [];
  for (const c of containersOf(pod)) {
    const env = arr(prop(c.container, 'env'));
    for (let i = 0; i < env.length; i++) {
      const name = prop(env[i], 'name');
      const value = prop(env[i], 'value');
      if (typeof name !== 'string' || typeof value !== 'string') continue;
      const trimmed = trimWhiteSpace(value);
      if (trimmed === '' || ONLY_REFERENCES.test(trimmed)) continue;
      const format = credentialFormatOf(value);
      if (format === undefined && !looksSecret(name)) continue;
      out.push({
        path: keyPath(indexPath(keyPath(c.path, 'env'), i), 'value'),
        message: format === undefined
          ? `${containerLabel(c)} sets ${JSON.stringify(name)} to a literal value; move it into a Secret and use valueFrom.secretKeyRef`
          : `${containerLabel(c)} sets ${JSON.stringify(name)} to a literal value that is ${format}; move it into a Secret and use valueFrom.secretKeyRef`,
      });
    }
  }
  return out;
}, undefined, admission);
