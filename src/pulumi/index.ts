/**
 * kubeharden/pulumi: the kubeharden rule catalog as a Pulumi CrossGuard policy pack.
 *
 * ```ts
 * import { PolicyPack } from '@pulumi/policy';
 * import { kubehardenPolicies } from 'kubeharden/pulumi';
 *
 * new PolicyPack('kubeharden', { policies: kubehardenPolicies() });
 * ```
 *
 * Only types are imported from @pulumi/policy: the pack's own copy of @pulumi/policy
 * (and of @pulumi/pulumi) is the only one loaded.
 */
export { kubehardenPolicies, policyTypeTokens, violationMessage } from './policies';
export type { KubehardenPolicy, KubehardenPackOptions } from './policies';
export type { KubehardenPolicyOptions, RulePolicyConfig } from './options';
export { FIXES, fixFor } from './remediation';
export type { RuleFix } from './remediation';
// whether a rule judges a set of objects (it becomes a StackValidationPolicy) rather than one object
export { isSetRule as isSetLevelRule } from '../engine/set-rule';
export { COMPONENT_TOKENS, KUBERNETES_KINDS, kubernetesTypeOf, typeTokensForKinds } from './type-tokens';
export type { KubernetesType } from './type-tokens';
export { UNKNOWN, isUnknownValue } from './unknown-values';
export { Profile, Severity } from '../engine/types';
