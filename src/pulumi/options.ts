import type { EnforcementLevel, PolicyConfigSchema } from '@pulumi/policy';
import type { PodTemplateLocation } from '../engine/pod-templates';
import type { IRule, Profile, Severity } from '../engine/types';

/**
 * Options of `kubehardenPolicies`: the kubeharden configuration (profile, version, rule
 * options, severities, disabled rules, excluded namespaces) plus Pulumi enforcement levels.
 */
export interface KubehardenPolicyOptions {
  /**
   * The profile whose rules become policies.
   * @default Profile.HARDENED
   */
  readonly profile?: Profile | `${Profile}`;
  /**
   * Pod Security Standards version (`latest`, `v1.N` or `1.N`).
   * @default 'latest'
   */
  readonly pssVersion?: string;
  /**
   * Enforcement level of every policy.
   * @default 'mandatory'
   */
  readonly enforcementLevel?: EnforcementLevel;
  /**
   * Enforcement levels by rule id (`disabled` drops nothing from the pack: the policy is
   * still listed, and the Pulumi service or `--policy-pack-config` can turn it back on).
   * @default - the pack-wide level
   */
  readonly enforcementLevels?: { readonly [ruleId: string]: EnforcementLevel };
  /**
   * Rule ids that get no policy at all.
   * @default - none
   */
  readonly disabledRules?: readonly string[];
  /**
   * Severity overrides by rule id (shown on the policy and in violations).
   * @default - each rule's own severity
   */
  readonly severities?: { readonly [ruleId: string]: Severity | `${Severity}` };
  /**
   * Rule options by rule id, as in the kubeharden configuration file. Options given in
   * the policy pack configuration (`getConfig`) take precedence, key by key.
   * @default - none
   */
  readonly ruleOptions?: { readonly [ruleId: string]: { readonly [key: string]: any } };
  /**
   * Namespaces whose objects are not checked.
   * @default - none
   */
  readonly excludeNamespaces?: readonly string[];
  /**
   * The rule catalog to select from (tests and custom catalogs).
   * @default - every kubeharden rule
   */
  readonly catalog?: IRule[];
  /**
   * Custom resources of in-house operators whose pods to judge, as in the kubeharden
   * configuration file (the built-in ones are always judged).
   * @default - none
   */
  readonly podTemplates?: readonly PodTemplateLocation[];
}

/**
 * The configuration schema of a rule's policy: the rule's options are free-form objects
 * in the kubeharden configuration, so every option is accepted here; the known common
 * key `excludeNamespaces` is typed.
 */
export function configSchemaFor(rule: IRule): PolicyConfigSchema {
  return {
    properties: {
      excludeNamespaces: {
        type: 'array',
        items: { type: 'string' },
        description: `Namespaces whose objects ${rule.metadata.id} does not check (added to the pack-wide list).`,
      },
      options: {
        type: 'object',
        description: `Options of ${rule.metadata.id}, as under \`rules.${rule.metadata.id}\` in the kubeharden configuration; they override the options given to kubehardenPolicies() key by key.`,
        additionalProperties: true,
      },
    },
  };
}

/** The per-policy configuration a user may give in the policy pack config. */
export interface RulePolicyConfig {
  readonly excludeNamespaces?: string[];
  readonly options?: { [key: string]: any };
}
