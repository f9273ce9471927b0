import * as fs from 'fs';
import * as path from 'path';
import { CATALOG } from '../rules';
import { EngineOptions } from './engine';
import { LineIndex, parseDocument } from './input/yaml-document';
import {
  checkedOptions, DEPRECATED_RULE_KEYS, ENGINE_ONLY_KEYS, mergeOptions, OptionsShape, readCheckOptions, ResolvedOptions,
} from './options';
import { CheckOptions, InputError, IRule, Severity } from './types';
import { isObject } from './values';

/** File names looked up in the working directory, in this order. */
export const CONFIG_FILE_NAMES = ['kubeharden.config.yaml', 'kubeharden.config.yml', 'kubeharden.config.json'];

/**
 * The kubeharden configuration (`kubeharden.config.yaml`): the options shape every entry
 * point takes (CheckOptions), written as YAML or JSON.
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
 *   allowed-registries:
 *     options: { registries: [ghcr.io/acme] }
 *   image-digest:
 *     severity: medium
 *   default-service-account: false   # disables the rule
 * ```
 *
 * `Config.parse` returns it in canonical form: every entry of `rules` as a mapping
 * (`false` becomes `{ enabled: false }`).
 */
export interface KubehardenConfig extends CheckOptions {
  /**
   * Rules not to run.
   * @default - none
   * @deprecated use `rules: { <rule-id>: false }`; `Config.parse` no longer sets it
   */
  readonly disabledRules?: string[];
  /**
   * Severity overrides by rule id.
   * @default - none
   * @deprecated use `rules: { <rule-id>: { severity } }`; `Config.parse` no longer sets it
   */
  readonly severities?: { [ruleId: string]: Severity };
  /**
   * Rule options by rule id.
   * @default - none
   * @deprecated use `rules: { <rule-id>: { options } }`; `Config.parse` no longer sets it
   */
  readonly ruleOptions?: { [ruleId: string]: { [key: string]: any } };
}

/** A parsed configuration, or the errors that make it invalid. */
export interface ConfigResult {
  /** The configuration, when valid. */
  readonly config?: KubehardenConfig;
  /** Every problem found, located. */
  readonly errors: InputError[];
}

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

  /** Validates configuration text (YAML or JSON). Every problem names its key, with its line and column. */
  public static parse(text: string, file: string, catalog?: IRule[]): ConfigResult {
    const doc = parseDocument(text);
    const lines = new LineIndex(text);
    const errors: InputError[] = [];
    if (doc.error) {
      const pos = lines.position(doc.error.offset);
      return { errors: [{ file, line: pos.line, column: pos.column, message: doc.error.message }] };
    }
    const value = doc.value ?? {};
    const config = readCheckOptions(value, catalog ?? CATALOG, (p, message) => {
      const pos = lines.position(doc.locate(p));
      errors.push({ file, line: pos.line, column: pos.column, message: p === '' ? message : `${p}: ${message}` });
    });
    return config ? { config, errors } : { errors };
  }

  /**
   * Engine options from a configuration, with explicit options over it as flags are put
   * over it: a value given explicitly wins, the lists add up, rule settings merge rule by
   * rule (options key by key).
   *
   * @throws if the configuration or the explicit options are invalid
   */
  public static toEngineOptions(config: KubehardenConfig, overrides: EngineOptions = {}): EngineOptions {
    const catalog = overrides.catalog ?? CATALOG;
    const base = checkedOptions(config ?? {}, catalog, 'configuration', { deprecatedKeys: DEPRECATED_RULE_KEYS });
    const over = checkedOptions(overrides, catalog, 'options', { extraKeys: ENGINE_ONLY_KEYS, deprecatedKeys: DEPRECATED_RULE_KEYS });
    return {
      ...mergeOptions(base, over),
      ...(overrides.catalog ? { catalog: overrides.catalog } : {}),
      ...(overrides.maxInputBytes !== undefined ? { maxInputBytes: overrides.maxInputBytes } : {}),
    };
  }

  private constructor() {}
}

/**
 * Options given in code to an entry point that can also read a configuration file: the
 * options are validated (with `configFile` taken besides `shape`), and, when `configFile`
 * names a file (relative to the working directory), put over the file's options as
 * flags are put over it (Config.toEngineOptions).
 *
 * @param where what the options are, to begin every error line with (e.g. `Guard options`)
 * @throws an Error with one line per problem: the options' key paths, the file's line and column
 */
export function optionsWithConfigFile(given: unknown, where: string, shape: OptionsShape = {}, catalog: readonly IRule[] = CATALOG): ResolvedOptions {
  const explicit = checkedOptions(given, catalog, where, { ...shape, extraKeys: [...(shape.extraKeys ?? []), 'configFile'] });
  const configFile = isObject(given) ? given.configFile : undefined;
  if (configFile === undefined) return explicit;
  if (typeof configFile !== 'string' || configFile === '') throw new Error(`${where}: configFile: expected the path of a kubeharden configuration file`);
  const loaded = Config.load(path.resolve(process.cwd(), configFile), [...catalog]);
  if (!loaded.config) {
    throw new Error(loaded.errors.map((e) => `${where}: configFile: ${e.file}:${e.line}:${e.column}: ${e.message}`).join('\n'));
  }
  return mergeOptions(loaded.config as ResolvedOptions, explicit);
}
