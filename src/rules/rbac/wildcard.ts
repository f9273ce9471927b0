/*
 * RBAC: no wildcards in the rules of a Role or ClusterRole.
 *
 * Reported, one finding per entry:
 *   rules[*].verbs[*]           "*"            every verb, including escalate, bind, impersonate
 *   rules[*].apiGroups[*]       "*"            every API group, including CRDs installed later
 *   rules[*].resources[*]       "*"            every resource and every subresource
 *                               "* /<sub>"     (no space) that subresource of every resource
 *   rules[*].nonResourceURLs[*] "*", "/*", "**" every non-resource path (RBAC strips the
 *                                              trailing stars and matches the rest as a prefix)
 *
 * Not reported: "" (the core group), "pods/*" (RBAC has no per-resource subresource
 * wildcard, so it is a literal resource name that matches nothing), a trailing-"*"
 * nonResourceURL such as "/healthz/*" (a path prefix, not every path). resourceNames
 * has no wildcard syntax in RBAC. The written rules of aggregated ClusterRoles are not
 * read (the controller replaces them, see policy-rules.ts); their selectors are:
 *   aggregationRule.clusterRoleSelectors[*]   an empty selector (no matchLabels, no
 *                               matchExpressions, or null), which selects every ClusterRole,
 *                               cluster-admin included; or a selector that selects the
 *                               built-in cluster-admin by its labels (e.g. matchLabels
 *                               kubernetes.io/bootstrapping: rbac-defaults, or only
 *                               DoesNotExist expressions): the role then holds every
 *                               permission (label-selector.ts, builtin-rbac.ts).
 */
import { builtinClusterRoles } from './builtin-rbac';
import { effectiveRulesCel } from './grant-rule';
import { isEmptySelector, selectorMatches } from './label-selector';
import { excludedBuiltin, isRbacApi, policyRulesOf } from './policy-rules';
import { roleFactsOf, selectorPath } from './role-resolution';
import { RuleAdmission } from '../../engine/admission';
import { indexPath, keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleContext, RuleFinding, Severity } from '../../engine/types';
import { arr, isObject, prop } from '../../engine/values';
import { concat, listOf, str as celString } from '../cel';

const FIELDS = ['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const;

/**
 * A nonResourceURL that matches every path: RBAC strips every trailing `*` and matches
 * the rest as a prefix, so `/*` and `**` grant every path as `*` does.
 */
const EVERY_URL = /^\/?\*+$/;

function isWildcard(field: typeof FIELDS[number], value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value === '*') return true;
  if (field === 'nonResourceURLs') return EVERY_URL.test(value);
  return field === 'resources' && value.startsWith('*/');
}

/** Findings for the selectors of an aggregated ClusterRole that take in every permission. */
function aggregationFindings(object: unknown, context: RuleContext): RuleFinding[] {
  const aggregation = prop(object, 'aggregationRule');
  if (prop(object, 'kind') !== 'ClusterRole' || !isRbacApi(object) || !isObject(aggregation) || excludedBuiltin(object, context)) return [];
  const selectors = arr(prop(aggregation, 'clusterRoleSelectors'));
  if (selectors.length === 0) return [];
  const everything = builtinClusterRoles(context.pssMinor, true)
    .map((o) => roleFactsOf(o, true))
    .filter((r) => r !== undefined && r.grantsAllAt !== undefined);
  const out: RuleFinding[] = [];
  selectors.forEach((selector, i) => {
    if (isEmptySelector(selector)) {
      out.push({ path: selectorPath(i), message: 'an empty clusterRoleSelector selects every ClusterRole, cluster-admin included, so this role holds every permission: select the ClusterRoles to aggregate by a label of their own' });
      return;
    }
    const taken = everything.find((r) => selectorMatches(selector, r!.labels));
    if (taken) {
      out.push({ path: selectorPath(i), message: `this clusterRoleSelector selects the built-in ClusterRole "${taken.name}" by its labels, so this role holds every permission: select the ClusterRoles to aggregate by a label of their own` });
    }
  });
  return out;
}

/** CEL: the clusterRoleSelector `s` selects an object with these labels (selectorMatches). */
function selectorMatchesCel(labels: { readonly [key: string]: string }): string {
  const l = `{${Object.keys(labels).sort().map((k) => `${celString(k)}: ${celString(labels[k])}`).join(', ')}}`;
  const requirement = `e.operator == 'In' ? size(vs) > 0 && e.key in ${l} && ${l}[e.key] in vs`
    + ` : e.operator == 'NotIn' ? size(vs) > 0 && !(e.key in ${l} && ${l}[e.key] in vs)`
    + ` : e.operator == 'Exists' ? size(vs) == 0 && e.key in ${l}`
    + ` : e.operator == 'DoesNotExist' ? size(vs) == 0 && !(e.key in ${l}) : false`;
  return `((!has(s.matchLabels) || s.matchLabels.all(k, k in ${l} && ${l}[k] == s.matchLabels[k]))`
    + ` && (!has(s.matchExpressions) || s.matchExpressions.all(e, [has(e.values) ? e.values : []].map(vs, ${requirement})[0])))`;
}

/** CEL: the clusterRoleSelector `s` has no requirement (isEmptySelector). */
const EMPTY_SELECTOR_CEL = '((!has(s.matchLabels) || size(s.matchLabels) == 0) && (!has(s.matchExpressions) || size(s.matchExpressions) == 0))';

/** CEL: the PolicyRule `r` has a wildcard entry (isWildcard over FIELDS). */
const WILDCARD_RULE_CEL = FIELDS.map((f) => {
  const more = f === 'resources' ? " || x.startsWith('*/')" : f === 'nonResourceURLs' ? ` || x.matches(${celString(EVERY_URL.source)})` : '';
  return `${listOf('r', f)}.exists(x, x == '*'${more})`;
}).join(' || ');

/** The check in CEL, for admission: the PolicyRules with a wildcard, and an aggregated ClusterRole's selectors that take in every permission. */
const admission: RuleAdmission = {
  violations: ({ kind, pssMinor }) => {
    const rules = `${effectiveRulesCel(kind)}.filter(r, ${WILDCARD_RULE_CEL}).map(r, ${celString('a rule uses "*": list the exact verbs, API groups and resources this role needs')})`;
    if (kind !== 'ClusterRole') return rules;
    const everything = builtinClusterRoles(pssMinor, true)
      .map((o) => roleFactsOf(o, true))
      .filter((r): r is NonNullable<typeof r> => r !== undefined && r.grantsAllAt !== undefined);
    const takesAll = [EMPTY_SELECTOR_CEL, ...everything.map((r) => selectorMatchesCel(r.labels))].join(' || ');
    const selectors = '(has(object.aggregationRule) && has(object.aggregationRule.clusterRoleSelectors) ? object.aggregationRule.clusterRoleSelectors : [])';
    return concat(rules, `${selectors}.filter(s, ${takesAll}).map(s, ${celString('a clusterRoleSelector takes in every permission (it selects every ClusterRole, or cluster-admin by its labels): select the ClusterRoles to aggregate by a label of their own')})`);
  },
};

export const rbacWildcard = defineRule({
  id: 'rbac-wildcard',
  title: 'Roles and ClusterRoles do not use wildcards',
  severity: Severity.HIGH,
  category: 'rbac',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.1.3', 'nsa:authentication-and-authorization/rbac', 'kube-linter:wildcard-in-rules', 'checkov:CKV_K8S_49', 'kyverno:restrict-wildcard-verbs', 'kyverno:restrict-wildcard-resources', 'trivy:KSV-0044'],
  rationale: 'A wildcard grants every current and future verb, group or resource, including ones added later by CRDs or new Kubernetes versions, and the escalate, bind and impersonate verbs. Least privilege cannot be reviewed when the grant is open-ended. An aggregationRule selector that selects every ClusterRole (or cluster-admin by its labels) is the same grant.',
  remediation: 'Replace each "*" with the exact verbs, API groups and resources the subject needs (for example `verbs: [get, list, watch]`, `resources: [configmaps]`).',
  kinds: ['Role', 'ClusterRole'],
}, (object, context) => {
  const out: RuleFinding[] = aggregationFindings(object, context);
  for (const { rule, path } of policyRulesOf(object, false, context)) {
    for (const field of FIELDS) {
      arr(prop(rule, field)).forEach((value, i) => {
        if (!isWildcard(field, value)) return;
        out.push({
          path: indexPath(keyPath(path, field), i),
          message: value === '*'
            ? `${field} must not contain "*": list the exact ${field} this role needs`
            : field === 'nonResourceURLs'
              ? `nonResourceURLs must not contain "${value}" (every non-resource path): list the exact paths this role needs`
              : `resources must not contain "${value}" (that subresource of every resource): list the resources explicitly, e.g. "pods/${(value as string).slice(2)}"`,
        });
      });
    }
  }
  return out;
}, undefined, admission);
