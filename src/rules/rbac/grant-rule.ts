/*
 * The shape shared by the rbac rules that look for one kind of grant in the rules
 * of a Role or ClusterRole: each rule file declares the requests it looks for and the
 * message; this reports one finding per PolicyRule that grants any of them, at the
 * resource entry (or the verb entry) that grants it. Semantics: policy-rules.ts.
 */
import { Grant, grantOf, policyRulesOf, RequestTarget } from './policy-rules';
import { defineRule } from '../../engine/rule';
import { IRule, Profile, RuleFinding, RuleMetadata } from '../../engine/types';
import { prop } from '../../engine/values';

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
  });
}

/** `get, list` for messages. */
export function verbList(grants: Grant[]): string {
  return [...new Set(grants.flatMap((g) => g.verbs))].join(', ');
}
