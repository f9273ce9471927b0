/**
 * The policy pack, generated from the rule catalog: one ResourceValidationPolicy per
 * rule of the profile (named by the rule id), and one StackValidationPolicy per set-level
 * rule. Policies translate Pulumi resources into Kubernetes objects and findings into
 * violations; every verdict comes from the engine.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import { configSchemaFor, KubehardenPolicyOptions, RulePolicyConfig } from './options';
import { remediatedProps } from './remediation';
import { toKubernetesObject } from './resource-object';
import { engineOptionsOf, RuleRunner } from './rule-runner';
import { kindsCover, kubernetesTypeOf, typeTokensForKinds } from './type-tokens';
import { isPlainObject, unwrapProxy } from './unknown-values';
import { optionsWithConfigFile } from '../engine/config';
import { Engine, Reports } from '../engine/engine';
import { keyPath } from '../engine/json-path';
import { DEPRECATED_RULE_KEYS, ResolvedOptions, ruleTables } from '../engine/options';
import { hasPodTemplates } from '../engine/pod-templates';
import { fixOf } from '../engine/rule';
import { isSetRule } from '../engine/set-rule';
import { closest } from '../engine/suggest';
import type { Finding, IRule, Severity } from '../engine/types';
import { CATALOG } from '../rules';

/** A kubeharden policy: a resource or stack validation policy for one rule. */
export type KubehardenPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Options of the generated pack, with the remediation settings. */
export interface KubehardenPackOptions extends KubehardenPolicyOptions {
  /**
   * Accepted for compatibility; it changes nothing. Remediation is the rule's own fix, the
   * same as `kubeharden fix`: `runAsNonRoot: true` is set wherever no container runs as
   * UID 0 (the kubelet then refuses to start an image that runs as root).
   * @deprecated remediation no longer depends on it
   * @default false
   */
  readonly assumeNonRootImages?: boolean;
}

const RULES_URL = 'https://github.com/kubeharden/kubeharden/blob/main/docs/rules.md';

/**
 * The policies of a profile (default hardened), generated from the catalog.
 *
 * @example
 * new PolicyPack('kubeharden', { policies: kubehardenPolicies({ profile: 'restricted' }) });
 */
export function kubehardenPolicies(given: KubehardenPackOptions = {}): KubehardenPolicy[] {
  const options = packOptions(given);
  const engine = new Engine(engineOptionsOf(options));
  const selected = engine.rules;
  const ids = selected.map((r) => r.metadata.id);
  return selected.map((rule) => {
    const others = ids.filter((id) => id !== rule.metadata.id);
    const runner = new RuleRunner(rule, options, others);
    return isSetRule(rule)
      ? stackPolicy(rule, runner, options, engine.pssVersion)
      : resourcePolicy(rule, runner, options, engine.pssVersion);
  });
}

const WHERE = 'kubehardenPolicies options';
const PACK_KEYS = ['enforcementLevel', 'enforcementLevels', 'catalog', 'assumeNonRootImages'];
const LEVELS: readonly string[] = ['advisory', 'mandatory', 'remediate', 'disabled'];

/**
 * The options validated as every entry point validates them (unknown keys and rule ids
 * refused, with the closest name), the configuration file read under them, and the rule
 * settings in the form the rule runners read.
 */
function packOptions(given: KubehardenPackOptions): KubehardenPackOptions {
  const problems: string[] = [];
  const catalog: readonly IRule[] = Array.isArray(given?.catalog) ? given.catalog : CATALOG;
  let resolved: ResolvedOptions = {};
  try {
    resolved = optionsWithConfigFile(given, WHERE, { extraKeys: PACK_KEYS, deprecatedKeys: DEPRECATED_RULE_KEYS }, catalog);
  } catch (e) {
    problems.push((e as Error).message);
  }
  const o: any = isPlainObject(given) ? given : {};
  if (o.catalog !== undefined && !Array.isArray(o.catalog)) problems.push(`${WHERE}: catalog: expected a list of rules`);
  if (o.enforcementLevel !== undefined && !LEVELS.includes(o.enforcementLevel)) problems.push(`${WHERE}: enforcementLevel: expected one of ${LEVELS.join(', ')}`);
  if (o.enforcementLevels !== undefined) {
    if (!isPlainObject(o.enforcementLevels)) {
      problems.push(`${WHERE}: enforcementLevels: expected a mapping of rule ids to enforcement levels`);
    } else {
      const ids = catalog.map((r) => r.metadata.id);
      for (const [id, level] of Object.entries(o.enforcementLevels)) {
        if (!ids.includes(id)) {
          const hint = closest(id, ids);
          problems.push(`${WHERE}: ${keyPath('enforcementLevels', id)}: unknown rule${hint ? `; did you mean ${hint}?` : ''}`);
        } else if (!LEVELS.includes(level as string)) {
          problems.push(`${WHERE}: ${keyPath('enforcementLevels', id)}: expected one of ${LEVELS.join(', ')}`);
        }
      }
    }
  }
  if (o.assumeNonRootImages !== undefined && typeof o.assumeNonRootImages !== 'boolean') problems.push(`${WHERE}: assumeNonRootImages: expected true or false`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const tables = ruleTables(resolved);
  return {
    ...(resolved.profile ? { profile: resolved.profile } : {}),
    ...(resolved.pssVersion ? { pssVersion: resolved.pssVersion } : {}),
    ...(resolved.failOn ? { failOn: resolved.failOn } : {}),
    ...(resolved.excludeNamespaces ? { excludeNamespaces: resolved.excludeNamespaces } : {}),
    ...(resolved.excludeBuiltinRbac !== undefined ? { excludeBuiltinRbac: resolved.excludeBuiltinRbac } : {}),
    ...(resolved.podTemplates ? { podTemplates: resolved.podTemplates } : {}),
    ...(given.catalog ? { catalog: given.catalog } : {}),
    disabledRules: tables.disabled,
    severities: tables.severities,
    ruleOptions: tables.ruleOptions,
    ...(given.enforcementLevel ? { enforcementLevel: given.enforcementLevel } : {}),
    ...(given.enforcementLevels ? { enforcementLevels: given.enforcementLevels } : {}),
    ...(given.assumeNonRootImages !== undefined ? { assumeNonRootImages: given.assumeNonRootImages } : {}),
  };
}

/** The Pulumi type tokens a generated resource policy applies to (besides custom resources of its kinds). */
export function policyTypeTokens(rule: IRule): string[] {
  return typeTokensForKinds(rule.metadata.kinds);
}

function common(rule: IRule, options: KubehardenPolicyOptions, pssVersion: string) {
  const m = rule.metadata;
  const severity = (options.severities?.[m.id] ?? m.severity) as Severity;
  // below failOn a policy reports and does not block (a level given for the rule wins)
  const belowFailOn = options.failOn !== undefined && options.enforcementLevel !== 'disabled' && !Reports.severityAtOrAbove(severity, options.failOn as Severity);
  const level = options.enforcementLevels?.[m.id] ?? (belowFailOn ? 'advisory' : options.enforcementLevel);
  const steps = m.fix ? `${m.remediation} With enforcementLevel "remediate", kubeharden ${m.fix}.` : m.remediation;
  return {
    name: m.id,
    displayName: m.title,
    description: `${m.title} (${severity}). ${m.rationale} Remediation: ${steps}${m.controls.length ? ` Controls: ${m.controls.join(', ')}.` : ''}`,
    ...(level ? { enforcementLevel: level } : {}),
    severity: severity as any, // the severity names are the policy severities
    remediationSteps: steps,
    tags: [m.category, ...m.profiles.map((p) => `profile:${p}`), ...m.controls],
    url: `${RULES_URL}#${m.id}`,
    configSchema: configSchemaFor(rule),
    ...(m.pss
      ? {
        framework: {
          name: 'Kubernetes Pod Security Standards',
          version: `v${pssVersion}`,
          reference: m.pss.checkId,
          specification: `${m.pss.level}: ${m.title}`,
        },
      }
      : {}),
  };
}

function resourcePolicy(
  rule: IRule, runner: RuleRunner, options: KubehardenPolicyOptions, pssVersion: string,
): ResourceValidationPolicy {
  const kinds = rule.metadata.kinds;
  const declared = engineOptionsOf(options).podTemplates;
  const applicable = (args: ResourceValidationArgs) => {
    const type = kubernetesTypeOf(args.type);
    if (type && kindsCover(kinds, type)) return type;
    // a custom resource whose operator creates pods: the engine judges them like pods
    if (type && kinds.includes('PodTemplate') && hasPodTemplates(type, declared)) return type;
    notApplicable(args, `${rule.metadata.id} applies to Kubernetes ${kinds.includes('*') ? 'objects' : kinds.join(', ')}`);
    return undefined;
  };
  const policy: ResourceValidationPolicy = {
    ...common(rule, options, pssVersion),
    validateResource: (args, reportViolation) => {
      const type = applicable(args);
      if (!type) return;
      let findings: Finding[] = [];
      try {
        findings = runner.evaluate([toKubernetesObject(type, args.props)], configOf(args)).findings;
      } catch (e) {
        internalError(rule, e);
      }
      for (const f of findings) if (!f.suppressed) reportViolation(violationMessage(f, args.name));
    },
  };
  if (fixOf(rule)) {
    policy.remediateResource = (args) => {
      const type = applicable(args);
      if (!type) return undefined;
      try {
        const resource = toKubernetesObject(type, args.props);
        const verdict = runner.evaluate([resource], configOf(args));
        if (verdict.withheld || !verdict.findings.some((f) => !f.suppressed)) return undefined;
        const view = resource.object;
        const items = view.items;
        // a List resource: each item is fixed as the object it is
        const fixed = type.itemKind !== undefined && Array.isArray(items)
          ? { ...view, items: items.map((item: any) => (isPlainObject(item) ? runner.fix(item, configOf(args)) : item)) }
          : runner.fix(view, configOf(args));
        return remediatedProps(args.props, view, fixed);
      } catch (e) {
        internalError(rule, e);
        return undefined;
      }
    };
  }
  return policy;
}

function stackPolicy(rule: IRule, runner: RuleRunner, options: KubehardenPolicyOptions, pssVersion: string): StackValidationPolicy {
  return {
    ...common(rule, options, pssVersion),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      let findings: Finding[] = [];
      const urns = new Map<string, string | undefined>();
      try {
        const objects = [];
        for (const r of args.resources as PolicyResource[]) {
          const type = kubernetesTypeOf(r.type);
          if (!type) continue;
          const resource = toKubernetesObject(type, r.props);
          objects.push(resource);
          const items: any[] = type.itemKind !== undefined && Array.isArray(resource.object.items) ? resource.object.items : [resource.object];
          for (const o of items) {
            const key = objectKey(o?.apiVersion, o?.kind, o?.metadata?.namespace, o?.metadata?.name ?? o?.metadata?.generateName);
            urns.set(key, urns.has(key) ? undefined : r.urn); // ambiguous: report on the stack
          }
        }
        findings = runner.evaluate(objects, stackConfigOf(args)).findings;
      } catch (e) {
        internalError(rule, e);
      }
      for (const f of findings) {
        if (f.suppressed) continue;
        const urn = urns.get(objectKey(f.object.apiVersion, f.object.kind, f.object.namespace, f.object.name));
        reportViolation(violationMessage(f), urn);
      }
    },
  };
}

function objectKey(apiVersion: unknown, kind: unknown, namespace: unknown, name: unknown): string {
  return JSON.stringify([apiVersion, kind, typeof namespace === 'string' ? namespace : '', typeof name === 'string' ? name : '']);
}

/** The violation text: the object, what is wrong and where. */
export function violationMessage(f: Finding, resourceName?: string): string {
  const o = f.object;
  const shown = o.name ?? resourceName; // auto-named resources carry only their Pulumi name
  const name = shown !== undefined ? ` ${o.namespace !== undefined ? `${o.namespace}/` : ''}${shown}` : '';
  return `[${f.ruleId}] ${o.kind}${name}: ${f.message}${f.path ? ` (at ${f.path})` : ''}`;
}

function configOf(args: ResourceValidationArgs): RulePolicyConfig {
  return readConfig(() => args.getConfig<RulePolicyConfig>());
}

function stackConfigOf(args: StackValidationArgs): RulePolicyConfig {
  return readConfig(() => args.getConfig<RulePolicyConfig>());
}

function readConfig(get: () => RulePolicyConfig): RulePolicyConfig {
  let config: unknown;
  try {
    config = unwrapProxy(get());
  } catch {
    return {};
  }
  if (!isPlainObject(config)) return {};
  return {
    ...(Array.isArray(config.excludeNamespaces) ? { excludeNamespaces: config.excludeNamespaces } : {}),
    ...(isPlainObject(config.options) ? { options: config.options } : {}),
  };
}

function notApplicable(args: ResourceValidationArgs, reason: string): void {
  // Throws the server's NotApplicableError (policy SDKs before 1.14 lack it: the policy simply passes).
  if (typeof (args as any).notApplicable === 'function') args.notApplicable(reason);
}

function internalError(rule: IRule, e: unknown): void {
  // Never fail a preview over an adapter bug, and never turn one into a false violation.
  console.error(`kubeharden: internal error in policy ${rule.metadata.id}: ${(e as Error)?.stack ?? e}`);
}
