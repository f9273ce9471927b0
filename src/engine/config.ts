import * as fs from 'fs';
import * as path from 'path';
import { CATALOG } from '../rules';
import { EngineOptions } from './engine';
import { LineIndex, parseDocument } from './input/yaml-document';
import { indexPath, keyPath } from './json-path';
import { POD_TEMPLATE_PATH, PodTemplateLocation } from './pod-templates';
import { parseProfile } from './profiles';
import { parsePssVersion } from './pss-version';
import { closest } from './suggest';
import { InputError, IRule, Profile, Severity } from './types';
import { isObject } from './values';

/** File names looked up in the working directory, in this order. */
export const CONFIG_FILE_NAMES = ['kubeharden.config.yaml', 'kubeharden.config.yml', 'kubeharden.config.json'];

/**
 * The kubeharden configuration (`kubeharden.config.yaml`).
 *
 * ```yaml
 * profile: hardened            # baseline | restricted | hardened
 * pssVersion: v1.30            # latest | v1.N
 * failOn: medium               # critical | high | medium | low
 * excludeNamespaces: [kube-system]
 * excludeBuiltinRbac: true     # skip Kubernetes' own RBAC objects (exact bootstrap-policy content only)
 * podTemplates:                # pods inside in-house custom resources
 *   - { apiVersion: ci.example.com/*, kind: Runner, paths: ["spec.pools[*].pod"] }
 * rules:
 *   image-allowed-registries:
 *     options: { registries: [ghcr.io/acme] }
 *   image-not-pinned-by-digest:
 *     severity: medium
 *   pod-default-service-account: false   # disables the rule
 * ```
 */
export interface KubehardenConfig {
  /** Profile to enforce. @default - the caller's default */
  readonly profile?: Profile;
  /** Pod Security Standards version. @default - latest */
  readonly pssVersion?: string;
  /** Lowest severity that fails a check. @default - low */
  readonly failOn?: Severity;
  /** Rules not to run. @default - none */
  readonly disabledRules?: string[];
  /** Severity overrides by rule id. @default - none */
  readonly severities?: { [ruleId: string]: Severity };
  /** Rule options by rule id. @default - none */
  readonly ruleOptions?: { [ruleId: string]: { [key: string]: any } };
  /** Namespaces whose objects are not checked. @default - none */
  readonly excludeNamespaces?: string[];
  /** Skip Kubernetes' built-in RBAC objects whose name and content are the bootstrap policy's (EngineOptions.excludeBuiltinRbac). @default false */
  readonly excludeBuiltinRbac?: boolean;
  /** Custom resources whose pods to judge, and where their pod templates are. @default - none */
  readonly podTemplates?: PodTemplateLocation[];
}

/** A parsed configuration, or the errors that make it invalid. */
export interface ConfigResult {
  /** The configuration, when valid. */
  readonly config?: KubehardenConfig;
  /** Every problem found, located. */
  readonly errors: InputError[];
}

const TOP_LEVEL = ['profile', 'pssVersion', 'failOn', 'excludeNamespaces', 'excludeBuiltinRbac', 'rules', 'podTemplates'];
const RULE_KEYS = ['enabled', 'severity', 'options'];
const SEVERITIES: string[] = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW];

/**
 * Reading and validating configuration files.
 */
export class Config {
  /** The configuration file in a directory, or undefined. */
  public static find(directory: string): string | undefined {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(directory, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    return undefined;
  }

  /** Reads and validates a configuration file. */
  public static load(file: string, catalog?: IRule[]): ConfigResult {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as any)?.code;
      return { errors: [{ file, line: 0, column: 0, message: `cannot read configuration: ${code === 'ENOENT' ? 'no such file' : code ?? e}` }] };
    }
    return Config.parse(text, file, catalog);
  }

  /** Validates configuration text (YAML or JSON). Every problem names its key. */
  public static parse(text: string, file: string, catalog?: IRule[]): ConfigResult {
    const rules = catalog ?? CATALOG;
    const doc = parseDocument(text);
    const lines = new LineIndex(text);
    const errors: InputError[] = [];
    const fail = (p: string, message: string) => {
      const pos = lines.position(doc.locate(p));
      errors.push({ file, line: pos.line, column: pos.column, message: p === '' ? message : `${p}: ${message}` });
    };
    if (doc.error) {
      const pos = lines.position(doc.error.offset);
      return { errors: [{ file, line: pos.line, column: pos.column, message: doc.error.message }] };
    }
    const value = doc.value ?? {};
    if (!isObject(value)) {
      fail('', 'the configuration must be a mapping');
      return { errors };
    }
    for (const key of Object.keys(value)) {
      if (!TOP_LEVEL.includes(key)) fail(key, `unknown key; expected one of ${TOP_LEVEL.join(', ')}`);
    }
    let profile: Profile | undefined;
    if (value.profile !== undefined) {
      profile = typeof value.profile === 'string' ? parseProfile(value.profile) : undefined;
      if (!profile) fail('profile', 'expected baseline, restricted or hardened');
    }
    let pssVersion: string | undefined;
    if (value.pssVersion !== undefined) {
      const v = value.pssVersion;
      if (typeof v === 'number') fail('pssVersion', 'write the version as a string, e.g. "v1.30" (unquoted, 1.30 reads as the number 1.3)');
      else if (typeof v !== 'string' || parsePssVersion(v) === undefined) fail('pssVersion', 'expected latest or v1.N');
      else pssVersion = v;
    }
    let failOn: Severity | undefined;
    if (value.failOn !== undefined) {
      if (!SEVERITIES.includes(value.failOn)) fail('failOn', `expected one of ${SEVERITIES.join(', ')}`);
      else failOn = value.failOn as Severity;
    }
    let excludeNamespaces: string[] | undefined;
    if (value.excludeNamespaces !== undefined) {
      if (!Array.isArray(value.excludeNamespaces) || !value.excludeNamespaces.every((n: unknown) => typeof n === 'string' && n !== '')) {
        fail('excludeNamespaces', 'expected a list of namespace names');
      } else {
        excludeNamespaces = value.excludeNamespaces;
      }
    }
    let podTemplates: PodTemplateLocation[] | undefined;
    if (value.podTemplates !== undefined) {
      if (!Array.isArray(value.podTemplates)) {
        fail('podTemplates', 'expected a list of { apiVersion, kind, paths }');
      } else {
        podTemplates = [];
        value.podTemplates.forEach((t: unknown, i: number) => {
          const p = indexPath('podTemplates', i);
          if (!isObject(t)) return fail(p, 'expected a mapping with apiVersion, kind and paths');
          for (const k of Object.keys(t)) if (!['apiVersion', 'kind', 'paths'].includes(k)) fail(keyPath(p, k), 'unknown key; expected apiVersion, kind or paths');
          if (typeof t.apiVersion !== 'string' || !t.apiVersion.includes('/')) fail(keyPath(p, 'apiVersion'), 'expected group/version or group/*');
          if (typeof t.kind !== 'string' || t.kind === '') fail(keyPath(p, 'kind'), 'expected the kind');
          if (!Array.isArray(t.paths) || t.paths.length === 0 || !t.paths.every((x: unknown) => typeof x === 'string' && POD_TEMPLATE_PATH.test(x))) {
            fail(keyPath(p, 'paths'), 'expected dotted paths such as spec.template or spec.runners[*].template');
          }
          podTemplates!.push({ apiVersion: t.apiVersion, kind: t.kind, paths: t.paths });
        });
      }
    }
    let excludeBuiltinRbac: boolean | undefined;
    if (value.excludeBuiltinRbac !== undefined) {
      if (typeof value.excludeBuiltinRbac !== 'boolean') fail('excludeBuiltinRbac', 'expected true or false');
      else excludeBuiltinRbac = value.excludeBuiltinRbac;
    }
    const disabledRules: string[] = [];
    const severities: { [id: string]: Severity } = {};
    const ruleOptions: { [id: string]: { [key: string]: any } } = {};
    if (value.rules !== undefined) {
      if (!isObject(value.rules)) {
        fail('rules', 'expected a mapping of rule ids');
      } else {
        const byId = new Map(rules.map((r) => [r.metadata.id, r]));
        for (const [id, setting] of Object.entries(value.rules)) {
          const p = keyPath('rules', id);
          const rule = byId.get(id);
          if (!rule) {
            const hint = closest(id, [...byId.keys()]);
            fail(p, `unknown rule${hint ? `; did you mean ${hint}?` : ''}`);
            continue;
          }
          if (typeof setting === 'boolean') {
            if (!setting) disabledRules.push(id);
            continue;
          }
          if (!isObject(setting)) {
            fail(p, 'expected false, or a mapping with enabled, severity and options');
            continue;
          }
          for (const k of Object.keys(setting)) {
            if (!RULE_KEYS.includes(k)) fail(keyPath(p, k), `unknown key; expected one of ${RULE_KEYS.join(', ')}`);
          }
          if (setting.enabled !== undefined) {
            if (typeof setting.enabled !== 'boolean') fail(keyPath(p, 'enabled'), 'expected true or false');
            else if (!setting.enabled) disabledRules.push(id);
          }
          if (setting.severity !== undefined) {
            if (!SEVERITIES.includes(setting.severity)) fail(keyPath(p, 'severity'), `expected one of ${SEVERITIES.join(', ')}`);
            else severities[id] = setting.severity as Severity;
          }
          if (setting.options !== undefined) {
            const opts = validateOptions(rule, setting.options, keyPath(p, 'options'), fail);
            if (opts) ruleOptions[id] = opts;
          }
        }
      }
    }
    if (errors.length > 0) return { errors };
    return {
      config: {
        ...(profile ? { profile } : {}),
        ...(pssVersion ? { pssVersion } : {}),
        ...(failOn ? { failOn } : {}),
        ...(excludeNamespaces ? { excludeNamespaces } : {}),
        ...(excludeBuiltinRbac !== undefined ? { excludeBuiltinRbac } : {}),
        ...(podTemplates ? { podTemplates } : {}),
        ...(disabledRules.length ? { disabledRules } : {}),
        ...(Object.keys(severities).length ? { severities } : {}),
        ...(Object.keys(ruleOptions).length ? { ruleOptions } : {}),
      },
      errors,
    };
  }

  /** Engine options from a configuration (explicit overrides win over the file). */
  public static toEngineOptions(config: KubehardenConfig, overrides: EngineOptions = {}): EngineOptions {
    return {
      profile: overrides.profile ?? config.profile,
      pssVersion: overrides.pssVersion ?? config.pssVersion,
      disabledRules: [...(config.disabledRules ?? []), ...(overrides.disabledRules ?? [])],
      severities: { ...(config.severities ?? {}), ...(overrides.severities ?? {}) },
      ruleOptions: { ...(config.ruleOptions ?? {}), ...(overrides.ruleOptions ?? {}) },
      excludeNamespaces: [...(config.excludeNamespaces ?? []), ...(overrides.excludeNamespaces ?? [])],
      excludeBuiltinRbac: overrides.excludeBuiltinRbac ?? config.excludeBuiltinRbac,
      podTemplates: [...(config.podTemplates ?? []), ...(overrides.podTemplates ?? [])],
      ...(overrides.catalog ? { catalog: overrides.catalog } : {}),
    };
  }

  private constructor() {}
}

function validateOptions(rule: IRule, options: unknown, p: string, fail: (p: string, m: string) => void): { [key: string]: any } | undefined {
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
      fail(op, specs.length ? `unknown option; ${rule.metadata.id} accepts ${specs.map((s) => s.name).join(', ')}` : `unknown option; ${rule.metadata.id} takes no options`);
      ok = false;
      continue;
    }
    if (!matchesType(v, spec.type)) {
      fail(op, `expected ${describeType(spec.type)}`);
      ok = false;
    }
  }
  return ok ? options : undefined;
}

function matchesType(v: unknown, type: string): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'string[]': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    default: return true;
  }
}

function describeType(type: string): string {
  switch (type) {
    case 'string[]': return 'a list of strings';
    case 'boolean': return 'true or false';
    default: return `a ${type}`;
  }
}
