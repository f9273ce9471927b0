import type { EnforcementLevel, PolicyConfigSchema } from '@pulumi/policy';
import type { PodTemplateLocation } from '../engine/pod-templates';
import type { CheckOptions, IRule, Profile, RuleOptionSpec, RuleSettings, Severity } from '../engine/types';

/** How one rule runs (RuleSettings), with severities also as their names. */
export interface KubehardenPolicyRuleSettings extends Omit<RuleSettings, 'severity'> {
  /**
   * The severity of the rule's findings (shown on the policy and in violations).
   * @default - the rule's own severity
   */
  readonly severity?: Severity | `${Severity}`;
}

/**
 * Options of `kubehardenPolicies`: the options shape every kubeharden entry point takes
 * (CheckOptions: profile, pssVersion, failOn, excludeNamespaces, excludeBuiltinRbac, rules,
 * podTemplates), a configuration file to read, and Pulumi enforcement levels.
 */
export interface KubehardenPolicyOptions extends Omit<CheckOptions, 'profile' | 'failOn' | 'excludeNamespaces' | 'rules' | 'podTemplates'> {
  /**
   * The profile whose rules become policies.
   * @default Profile.HARDENED
   */
  readonly profile?: Profile | `${Profile}`;
  /**
   * The lowest severity that fails: the policies of rules below it are `advisory` (they
   * report, and do not block), unless `enforcementLevels` names them; the others keep
   * `enforcementLevel`.
   * @default - every policy has `enforcementLevel`
   */
  readonly failOn?: Severity | `${Severity}`;
  /**
   * Namespaces whose objects are not checked.
   * @default - none
   */
  readonly excludeNamespaces?: readonly string[];
  /**
   * How each rule runs, by rule id: `false` gives it no policy at all; severity and
   * options as in the kubeharden configuration file. Options given in the policy pack
   * configuration (`getConfig`) take precedence, key by key.
   * @default - every rule of the profile, with its own severity and no options
   */
  readonly rules?: { readonly [ruleId: string]: KubehardenPolicyRuleSettings | boolean };
  /**
   * Custom resources of in-house operators whose pods to judge, as in the kubeharden
   * configuration file (the built-in ones are always judged).
   * @default - none
   */
  readonly podTemplates?: readonly PodTemplateLocation[];
  /**
   * A kubeharden configuration file (`kubeharden.config.yaml`) to read, relative to the
   * working directory of the policy pack. The options given here win over the file's
   * (the lists add up), as `kubeharden check` flags win over it.
   * @default - no file
   */
  readonly configFile?: string;
  /**
   * Enforcement level of every policy (below `failOn`: `advisory`).
   * @default - the policy pack's level
   */
  readonly enforcementLevel?: EnforcementLevel;
  /**
   * Enforcement levels by rule id (`disabled` drops nothing from the pack: the policy is
   * still listed, and the Pulumi service or `--policy-pack-config` can turn it back on).
   * @default - the pack-wide level
   */
  readonly enforcementLevels?: { readonly [ruleId: string]: EnforcementLevel };
  /**
   * The rule catalog to select from (tests and custom catalogs).
   * @default - every kubeharden rule
   */
  readonly catalog?: IRule[];
  /**
   * Rule ids that get no policy at all.
   * @default - none
   * @deprecated use `rules: { <rule-id>: false }`
   */
  readonly disabledRules?: readonly string[];
  /**
   * Severity overrides by rule id (shown on the policy and in violations).
   * @default - each rule's own severity
   * @deprecated use `rules: { <rule-id>: { severity } }`
   */
  readonly severities?: { readonly [ruleId: string]: Severity | `${Severity}` };
  /**
   * Rule options by rule id, as in the kubeharden configuration file.
   * @default - none
   * @deprecated use `rules: { <rule-id>: { options } }`
   */
  readonly ruleOptions?: { readonly [ruleId: string]: { readonly [key: string]: any } };
}

/**
 * The configuration schema of a rule's policy: `excludeNamespaces`, and `options` with
 * exactly the options the rule declares (the Pulumi CLI refuses any other, as every
 * kubeharden entry point does).
 */
export function configSchemaFor(rule: IRule): PolicyConfigSchema {
  const specs = rule.metadata.options ?? [];
  return {
    properties: {
      excludeNamespaces: {
        type: 'array',
        items: { type: 'string' },
        description: `Namespaces whose objects ${rule.metadata.id} does not check (added to the pack-wide list).`,
      },
      options: {
        type: 'object',
        description: `Options of ${rule.metadata.id}, as under \`rules.${rule.metadata.id}.options\` in the kubeharden configuration; they override the options given to kubehardenPolicies() key by key.`,
        properties: Object.fromEntries(specs.map((spec) => [spec.name, optionSchema(spec)])),
        additionalProperties: false,
      },
    },
  };
}

function optionSchema(spec: RuleOptionSpec): { [key: string]: any } {
  switch (spec.type) {
    case 'string[]':
    case 'regex[]':
      return { type: 'array', items: { type: 'string' }, description: spec.description };
    case 'string':
    case 'boolean':
    case 'number': return { type: spec.type, description: spec.description };
    default: return { description: spec.description };
  }
}

/** The per-policy configuration a user may give in the policy pack config. */
export interface RulePolicyConfig {
  readonly excludeNamespaces?: string[];
  readonly options?: { [key: string]: any };
}
