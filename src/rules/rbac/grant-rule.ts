/*
 * The shape shared by the rbac rules that look for one kind of grant in the rules
 * of a Role or ClusterRole: each rule file declares the requests it looks for and the
 * message; this reports one finding per PolicyRule that grants any of them, at the
 * resource entry (or the verb entry) that grants it. Semantics: policy-rules.ts.
 */
import { Grant, grantOf, policyRulesOf, RequestTarget } from './policy-rules';
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { IRule, Profile, RuleFinding, RuleMetadata } from '../../engine/types';
import { prop } from '../../engine/values';
import { listOf, str, strList } from '../cel';

/** What a grant rule file declares. */
export interface GrantRuleDefinition extends Omit<RuleMetadata, 'profiles' | 'kinds' | 'category'> {
  /** The requests whose grant is reported. */
  readonly targets: readonly RequestTarget[];
  /** The targets are cluster-scoped: only a ClusterRole can grant them. */
  readonly clusterScoped?: boolean;
  /** Whether a grant narrowed by resourceNames is reported. @default true */
  readonly reportNarrowed?: boolean;
  /** Which entry the finding points at. @default 'resource' */
  readonly at?: 'resource' | 'verb';
  /** The message for the grants of one PolicyRule (at least one). */
  readonly message: (grants: Grant[]) => string;
}

/** Defines a rule that reports PolicyRules granting any of the targets. */
export function defineGrantRule(def: GrantRuleDefinition): IRule {
  const { targets, clusterScoped, reportNarrowed, at, message, ...meta } = def;
  return defineRule({
    ...meta,
    category: 'rbac',
    profiles: [Profile.HARDENED],
    kinds: clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'],
  }, (object, context) => {
    const out: RuleFinding[] = [];
    const isRole = prop(object, 'kind') === 'Role';
    for (const entry of policyRulesOf(object, clusterScoped === true, context)) {
      // most PolicyRules grant none of the targets: no list until one does
      let grants: Grant[] | undefined;
      for (const t of targets) {
        if (isRole && t.clusterScoped) continue;
        const g = grantOf(entry, t);
        if (g && (reportNarrowed !== false || g.resourceNames.length === 0)) (grants ??= []).push(g);
      }
      if (grants === undefined) continue;
      grants.sort((a, b) => a.resourceIndex - b.resourceIndex);
      out.push({ path: at === 'verb' ? grants[0].verbPath : grants[0].resourcePath, message: message(grants) });
    }
    return out;
  }, undefined, grantAdmission(targets, clusterScoped === true, reportNarrowed !== false));
}

/** policyRulesOf in CEL, for a role of this kind: its rules, none for an aggregated ClusterRole. */
export function effectiveRulesCel(kind: string | undefined): string {
  const rules = listOf('object', 'rules');
  return kind === 'ClusterRole' ? `(has(object.aggregationRule) ? [] : ${rules})` : rules;
}

/** CEL: the PolicyRule `r` has a non-empty resourceNames (policy-rules.ts: `named`). */
const NAMED = '(has(r.resourceNames) && size(r.resourceNames) > 0)';

/** CEL: the resource entry `x` matches the target (resourceEntryMatches in policy-rules.ts). */
function resourceEntryCel(t: RequestTarget): string {
  if (t.anySubresource) return `(x == '*' || x.startsWith(${str(`${t.resource}/`)}) || (x.startsWith('*/') && size(x) > 2))`;
  if (t.subresource) return `(x == '*' || x == ${str(`${t.resource}/${t.subresource}`)} || x == ${str(`*/${t.subresource}`)})`;
  return `(x == '*' || x == ${str(t.resource)})`;
}

/** CEL: the PolicyRule `r` grants the target (grantOf in policy-rules.ts), in a role of kind `object.kind`. */
export function grantCel(t: RequestTarget, reportNarrowed: boolean, kind: string | undefined): string {
  return [
    ...(t.clusterScoped ? [kind === 'ClusterRole' ? 'true' : 'false'] : []),
    `has(r.apiGroups) && r.apiGroups.exists(g, g == '*' || g == ${str(t.group)})`,
    `has(r.resources) && r.resources.exists(x, ${resourceEntryCel(t)})`,
    `has(r.verbs) && r.verbs.exists(v, v == '*' || v in ${strList(t.verbs)})`,
    ...(t.createsNewObject || !reportNarrowed ? [`!${NAMED}`] : []),
  ].map((c) => `(${c})`).join(' && ');
}

/**
 * The admission form of a grant rule: the PolicyRules of the role that grant a target. An
 * aggregated ClusterRole's rules are the controller's to write (none of them count), and
 * a Role cannot grant cluster-scoped resources, as in policyRulesOf.
 */
function grantAdmission(targets: readonly RequestTarget[], clusterScoped: boolean, reportNarrowed: boolean): RuleAdmission {
  return {
    violations: ({ kind }) => {
      if (kind === 'Role' && clusterScoped) return undefined;
      const effective = effectiveRulesCel(kind);
      return `${effective}.filter(r, ${targets.map((t) => `(${grantCel(t, reportNarrowed, kind)})`).join(' || ')})`
        + `.map(r, ${str('a rule grants ')} + r.verbs.join(', ') + ${str(' on ')} + r.resources.join(', '))`;
    },
  };
}

/** `get, list` for messages. */
export function verbList(grants: Grant[]): string {
  return [...new Set(grants.flatMap((g) => g.verbs))].join(', ');
}
