/**
 * The one validator of the options shape (CheckOptions) that every entry point takes:
 * Engine, Guard, the cdk8s validation plugin, the configuration file and the Pulumi
 * policy pack. It checks plain values (a parsed file or an options object from any
 * language), names every problem by its key path, suggests the closest name for an
 * unknown key or rule id, checks rule options against each rule's declared options, and
 * returns the options in one canonical form (rules as settings objects, the deprecated
 * `disabledRules`, `severities` and `ruleOptions` folded into `rules`).
 */
import { indexPath, keyPath } from './json-path';
import { portablePatternProblem } from './patterns';
import { POD_TEMPLATE_PATH, PodTemplateLocation } from './pod-templates';
import { parseProfile } from './profiles';
import { parsePssVersion } from './pss-version';
import { closest } from './suggest';
import { CheckOptions, IRule, Profile, RuleSettings, Severity } from './types';
import { isObject } from './values';

/** Reports a problem at a key path (`''` for the whole value). */
export type OptionProblem = (path: string, message: string) => void;

/** The keys of the options shape, in the order the documentation gives them. */
export const CHECK_OPTION_KEYS: readonly string[] = ['profile', 'pssVersion', 'failOn', 'excludeNamespaces', 'excludeBuiltinRbac', 'rules', 'podTemplates'];

/** The keys only the Engine takes besides the shape. */
export const ENGINE_ONLY_KEYS: readonly string[] = ['catalog', 'maxInputBytes'];

/** Older names of `rules`, still taken (deprecated) by the entry points that took them. */
export const DEPRECATED_RULE_KEYS: readonly string[] = ['disabledRules', 'severities', 'ruleOptions'];

const RULE_KEYS = ['enabled', 'severity', 'options'];
const TEMPLATE_KEYS = ['apiVersion', 'kind', 'paths'];
const SEVERITIES: string[] = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW];

/** What an entry point takes besides the options shape. */
export interface OptionsShape {
  /** Its own keys (it checks their values itself). */
  readonly extraKeys?: readonly string[];
  /** The deprecated keys it still takes (those it took before `rules`). */
  readonly deprecatedKeys?: readonly string[];
}

/** Options in canonical form: every rule's settings as an object, nothing else but the shape. */
export interface ResolvedOptions extends CheckOptions {
  readonly rules?: { [ruleId: string]: RuleSettings };
}

/** What the engine reads of the rules' settings. */
export interface RuleTables {
  readonly disabled: string[];
  readonly severities: { [ruleId: string]: Severity };
  readonly ruleOptions: { [ruleId: string]: { [key: string]: any } };
}

/**
 * Validates a value against the options shape. Every problem goes to `fail`, named by its
 * key path; the canonical options are returned when there is none.
 *
 * A key whose value is `undefined` counts as absent (as in an object built from optional
 * fields); `null` is a value, and is refused where it is not one.
 */
export function readCheckOptions(
  value: unknown, catalog: readonly IRule[], fail: OptionProblem, shape: OptionsShape = {},
): ResolvedOptions | undefined {
  let problems = 0;
  const report: OptionProblem = (p, m) => {
    problems++;
    fail(p, m);
  };
  if (value === undefined) return {};
  if (!isObject(value)) {
    report('', 'expected a mapping of options');
    return undefined;
  }
  const extra = shape.extraKeys ?? [];
  const deprecated = shape.deprecatedKeys ?? [];
  const known = [...CHECK_OPTION_KEYS, ...extra, ...deprecated];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    report(key, hint ? `unknown key; did you mean ${hint}?` : `unknown key; expected one of ${[...CHECK_OPTION_KEYS, ...extra].join(', ')}`);
  }
  const given = (key: string) => value[key] !== undefined && known.includes(key);
  const byId = new Map(catalog.map((r) => [r.metadata.id, r]));
  const ruleOf = (id: string, p: string): IRule | undefined => {
    const rule = byId.get(id);
    if (!rule) {
      const hint = closest(id, [...byId.keys()]);
      report(p, `unknown rule${hint ? `; did you mean ${hint}?` : ''}`);
    }
    return rule;
  };

  let profile: Profile | undefined;
  if (given('profile')) {
    profile = typeof value.profile === 'string' ? parseProfile(value.profile) : undefined;
    if (!profile) report('profile', 'unknown profile; expected baseline, restricted or hardened');
  }
  let pssVersion: string | undefined;
  if (given('pssVersion')) {
    const v = value.pssVersion;
    if (typeof v === 'number') report('pssVersion', 'write the version as a string, e.g. "v1.30" (unquoted, 1.30 reads as the number 1.3)');
    else if (typeof v !== 'string' || parsePssVersion(v) === undefined) report('pssVersion', 'invalid Pod Security Standards version; expected latest or v1.N');
    else pssVersion = v;
  }
  let failOn: Severity | undefined;
  if (given('failOn')) {
    if (!SEVERITIES.includes(value.failOn)) report('failOn', `expected one of ${SEVERITIES.join(', ')}`);
    else failOn = value.failOn as Severity;
  }
  let excludeNamespaces: string[] | undefined;
  if (given('excludeNamespaces')) {
    const v = value.excludeNamespaces;
    if (!Array.isArray(v) || !v.every((n: unknown) => typeof n === 'string' && n !== '')) report('excludeNamespaces', 'expected a list of namespace names');
    else excludeNamespaces = [...v];
  }
  let excludeBuiltinRbac: boolean | undefined;
  if (given('excludeBuiltinRbac')) {
    if (typeof value.excludeBuiltinRbac !== 'boolean') report('excludeBuiltinRbac', 'expected true or false');
    else excludeBuiltinRbac = value.excludeBuiltinRbac;
  }
  const podTemplates = given('podTemplates') ? readPodTemplates(value.podTemplates, report) : undefined;

  // Rule settings: the deprecated keys first, `rules` over them field by field.
  const rules: { [ruleId: string]: { enabled?: boolean; severity?: Severity; options?: { [key: string]: any } } } = {};
  const settingsOf = (id: string) => (rules[id] ??= {});
  if (given('disabledRules')) {
    const v = value.disabledRules;
    if (!Array.isArray(v)) {
      report('disabledRules', 'expected a list of rule ids');
    } else {
      v.forEach((id: unknown, i: number) => {
        const p = indexPath('disabledRules', i);
        if (typeof id !== 'string') report(p, 'expected a rule id');
        else if (ruleOf(id, p)) settingsOf(id).enabled = false;
      });
    }
  }
  if (given('severities')) {
    const v = value.severities;
    if (!isObject(v)) {
      report('severities', 'expected a mapping of rule ids to severities');
    } else {
      for (const [id, severity] of Object.entries(v)) {
        const p = keyPath('severities', id);
        if (!ruleOf(id, p)) continue;
        if (!SEVERITIES.includes(severity)) report(p, `expected one of ${SEVERITIES.join(', ')}`);
        else settingsOf(id).severity = severity as Severity;
      }
    }
  }
  if (given('ruleOptions')) {
    const v = value.ruleOptions;
    if (!isObject(v)) {
      report('ruleOptions', 'expected a mapping of rule ids to options');
    } else {
      for (const [id, options] of Object.entries(v)) {
        const p = keyPath('ruleOptions', id);
        const rule = ruleOf(id, p);
        if (!rule) continue;
        const checked = readRuleOptions(rule, options, p, report);
        if (checked) settingsOf(id).options = checked;
      }
    }
  }
  if (given('rules')) {
    if (!isObject(value.rules)) {
      report('rules', 'expected a mapping of rule ids');
    } else {
      for (const [id, setting] of Object.entries(value.rules)) {
        const p = keyPath('rules', id);
        const rule = ruleOf(id, p);
        if (!rule) continue;
        if (typeof setting === 'boolean') {
          settingsOf(id).enabled = setting;
          continue;
        }
        if (!isObject(setting)) {
          report(p, 'expected false, or a mapping with enabled, severity and options');
          continue;
        }
        for (const k of Object.keys(setting)) {
          if (RULE_KEYS.includes(k)) continue;
          const hint = closest(k, RULE_KEYS);
          report(keyPath(p, k), hint ? `unknown key; did you mean ${hint}?` : `unknown key; expected one of ${RULE_KEYS.join(', ')}`);
        }
        if (setting.enabled !== undefined) {
          if (typeof setting.enabled !== 'boolean') report(keyPath(p, 'enabled'), 'expected true or false');
          else settingsOf(id).enabled = setting.enabled;
        }
        if (setting.severity !== undefined) {
          if (!SEVERITIES.includes(setting.severity)) report(keyPath(p, 'severity'), `expected one of ${SEVERITIES.join(', ')}`);
          else settingsOf(id).severity = setting.severity as Severity;
        }
        if (setting.options !== undefined) {
          const checked = readRuleOptions(rule, setting.options, keyPath(p, 'options'), report);
          if (checked) settingsOf(id).options = { ...(settingsOf(id).options ?? {}), ...checked };
        }
      }
    }
  }
  if (problems > 0) return undefined;
  return {
    ...(profile ? { profile } : {}),
    ...(pssVersion ? { pssVersion } : {}),
    ...(failOn ? { failOn } : {}),
    ...(excludeNamespaces ? { excludeNamespaces } : {}),
    ...(excludeBuiltinRbac !== undefined ? { excludeBuiltinRbac } : {}),
    ...(Object.keys(rules).length ? { rules } : {}),
    ...(podTemplates ? { podTemplates } : {}),
  };
}

/**
 * Validates options given in code and returns them in canonical form.
 *
 * @param where what the options are, to begin every line of the error with (e.g. `Guard options`)
 * @throws an Error with one line per problem, each naming its key path
 */
export function checkedOptions(value: unknown, catalog: readonly IRule[], where: string, shape: OptionsShape = {}): ResolvedOptions {
  const problems: string[] = [];
  const resolved = readCheckOptions(value, catalog, (p, m) => problems.push(`${where}: ${p === '' ? m : `${p}: ${m}`}`), shape);
  if (!resolved) throw new Error(problems.join('\n'));
  return resolved;
}

/**
 * Options `over` put over options `base` (explicit options over a configuration file, as
 * flags are put over it): a value given in `over` wins; the lists (excluded namespaces,
 * pod templates) add up; rule settings merge rule by rule and field by field, options key
 * by key.
 */
export function mergeOptions(base: ResolvedOptions, over: ResolvedOptions): ResolvedOptions {
  const rules: { [ruleId: string]: RuleSettings } = { ...(base.rules ?? {}) };
  for (const [id, s] of Object.entries(over.rules ?? {})) {
    const b = rules[id] ?? {};
    const options = b.options || s.options ? { ...(b.options ?? {}), ...(s.options ?? {}) } : undefined;
    rules[id] = { ...b, ...s, ...(options ? { options } : {}) };
  }
  const namespaces = [...new Set([...(base.excludeNamespaces ?? []), ...(over.excludeNamespaces ?? [])])];
  const templates = [...(base.podTemplates ?? []), ...(over.podTemplates ?? [])];
  const profile = over.profile ?? base.profile;
  const pssVersion = over.pssVersion ?? base.pssVersion;
  const failOn = over.failOn ?? base.failOn;
  const excludeBuiltinRbac = over.excludeBuiltinRbac ?? base.excludeBuiltinRbac;
  return {
    ...(profile ? { profile } : {}),
    ...(pssVersion ? { pssVersion } : {}),
    ...(failOn ? { failOn } : {}),
    ...(namespaces.length ? { excludeNamespaces: namespaces } : {}),
    ...(excludeBuiltinRbac !== undefined ? { excludeBuiltinRbac } : {}),
    ...(Object.keys(rules).length ? { rules } : {}),
    ...(templates.length ? { podTemplates: templates } : {}),
  };
}

/** The disabled rules, severity overrides and rule options of canonical options. */
export function ruleTables(options: ResolvedOptions): RuleTables {
  const disabled: string[] = [];
  const severities: { [ruleId: string]: Severity } = {};
  const ruleOptions: { [ruleId: string]: { [key: string]: any } } = {};
  for (const [id, s] of Object.entries(options.rules ?? {})) {
    if (s.enabled === false) disabled.push(id);
    if (s.severity !== undefined) severities[id] = s.severity;
    if (s.options !== undefined) ruleOptions[id] = s.options;
  }
  return { disabled, severities, ruleOptions };
}

function readPodTemplates(value: unknown, fail: OptionProblem): PodTemplateLocation[] | undefined {
  if (!Array.isArray(value)) {
    fail('podTemplates', 'expected a list of { apiVersion, kind, paths }');
    return undefined;
  }
  const templates: PodTemplateLocation[] = [];
  let ok = true;
  const problem: OptionProblem = (p, m) => {
    ok = false;
    fail(p, m);
  };
  value.forEach((t: unknown, i: number) => {
    const p = indexPath('podTemplates', i);
    if (!isObject(t)) return problem(p, 'expected a mapping with apiVersion, kind and paths');
    for (const k of Object.keys(t)) {
      if (!TEMPLATE_KEYS.includes(k) && t[k] !== undefined) problem(keyPath(p, k), 'unknown key; expected apiVersion, kind or paths');
    }
    if (typeof t.apiVersion !== 'string' || !t.apiVersion.includes('/')) problem(keyPath(p, 'apiVersion'), 'expected group/version or group/*');
    if (typeof t.kind !== 'string' || t.kind === '') problem(keyPath(p, 'kind'), 'expected the kind');
    if (!Array.isArray(t.paths) || t.paths.length === 0 || !t.paths.every((x: unknown) => typeof x === 'string' && POD_TEMPLATE_PATH.test(x))) {
      problem(keyPath(p, 'paths'), 'expected dotted paths such as spec.template or spec.runners[*].template');
    }
    if (ok) templates.push({ apiVersion: t.apiVersion, kind: t.kind, paths: [...t.paths] });
  });
  return ok ? templates : undefined;
}

function readRuleOptions(rule: IRule, options: unknown, p: string, fail: OptionProblem): { [key: string]: any } | undefined {
  const specs = rule.metadata.options ?? [];
  if (!isObject(options)) {
    fail(p, 'expected a mapping of option names');
    return undefined;
  }
  let ok = true;
  for (const [name, v] of Object.entries(options)) {
    const spec = specs.find((s) => s.name === name);
    const op = keyPath(p, name);
    if (!spec) {
      const hint = closest(name, specs.map((s) => s.name));
      fail(op, specs.length
        ? `unknown option; ${rule.metadata.id} accepts ${specs.map((s) => s.name).join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`
        : `unknown option; ${rule.metadata.id} takes no options`);
      ok = false;
      continue;
    }
    if (!matchesType(v, spec.type)) {
      fail(op, `expected ${describeType(spec.type)}`);
      ok = false;
    } else if (spec.type === 'regex[]') {
      (v as string[]).forEach((pattern, i) => {
        const problem = portablePatternProblem(pattern);
        if (problem === undefined) return;
        // the pattern itself is not echoed: the message says what is wrong with it
        fail(indexPath(op, i), `${problem}; see the rule's documentation for the patterns taken`);
        ok = false;
      });
    }
  }
  return ok ? { ...options } : undefined;
}

function matchesType(v: unknown, type: string): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'string[]':
    case 'regex[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    default: return true;
  }
}

function describeType(type: string): string {
  switch (type) {
    case 'string[]': return 'a list of strings';
    case 'regex[]': return 'a list of regular expressions';
    case 'boolean': return 'true or false';
    default: return `a ${type}`;
  }
}
