/**
 * Runs one catalog rule through the kubeharden engine, exactly as `kubeharden check`
 * does (same profile, version, options, severities, suppressions and namespace
 * exclusions), and withholds verdicts that depend on values unknown during preview.
 */
import type { KubehardenPolicyOptions, RulePolicyConfig } from './options';
import { isPlainObject, probe, UnknownTree, unknownsAt } from './unknown-values';
import { Engine } from '../engine/engine';
import { listItems } from '../engine/list-items';
import { isSetRule } from '../engine/set-rule';
import type { Finding, IRule, Profile, RuleContext, Severity } from '../engine/types';

/** The outcome of running a rule on an object. */
export interface RuleVerdict {
  /** The engine's findings (suppressed ones included, marked), when the verdict is known. */
  readonly findings: Finding[];
  /** True when the verdict depends on a value unknown during preview: no finding is reported. */
  readonly withheld: boolean;
}

const KNOWN: RuleVerdict = { findings: [], withheld: false };
const WITHHELD: RuleVerdict = { findings: [], withheld: true };

/** The engine options for a profile, minus anything rule-specific. */
export function engineOptionsOf(options: KubehardenPolicyOptions) {
  return {
    // the string forms equal the enum values: the engine takes either
    profile: options.profile as Profile | undefined,
    pssVersion: options.pssVersion,
    catalog: options.catalog,
    disabledRules: [...(options.disabledRules ?? [])],
    severities: { ...(options.severities ?? {}) } as { [ruleId: string]: Severity },
    ruleOptions: { ...(options.ruleOptions ?? {}) },
    excludeNamespaces: [...(options.excludeNamespaces ?? [])],
    ...(options.excludeBuiltinRbac !== undefined ? { excludeBuiltinRbac: options.excludeBuiltinRbac } : {}),
    podTemplates: (options.podTemplates ?? []).map((t) => ({ apiVersion: t.apiVersion, kind: t.kind, paths: [...t.paths] })),
  };
}

/**
 * One rule, run by an engine that runs nothing else. Engines are made per policy
 * configuration (a pack config may add options or excluded namespaces).
 */
export class RuleRunner {
  private readonly engines = new Map<string, { engine: Engine; context: RuleContext; excluded: boolean }>();
  private readonly fixEngines = new Map<string, Engine>();

  constructor(public readonly rule: IRule, private readonly options: KubehardenPolicyOptions, private readonly others: string[]) {}

  /** Runs the rule on objects (one resource, or a whole stack). Never throws. */
  public evaluate(objects: { object: any; unknowns: UnknownTree | undefined }[], config: RulePolicyConfig = {}): RuleVerdict {
    const { engine, context, excluded } = this.engineFor(config);
    if (engine.rules.length === 0) return KNOWN;
    const uncertain = objects.filter((o) => o.unknowns !== undefined);
    if (isSetRule(this.rule) && uncertain.length > 0) {
      // A set-level verdict may read any object: run the engine itself on read-tracking views.
      const probes = objects.map((o) => (o.unknowns ? probe(o.object, o.unknowns) : { object: o.object, touched: () => false }));
      const report = engine.checkObjects(probes.map((p) => p.object));
      return probes.some((p) => p.touched()) ? WITHHELD : { findings: report.findings, withheld: false };
    }
    for (const o of uncertain) {
      // The engine skips objects of excluded namespaces: an unknown namespace makes that unknown.
      if (excluded && namespaceUnknown(o.object, o.unknowns!)) return WITHHELD;
      if (this.readsUnknown(o.object, o.unknowns!, context)) return WITHHELD;
    }
    const report = engine.checkObjects(objects.map((o) => o.object));
    if (report.findings.length === 0) return KNOWN;
    // A suppression annotation with an unknown value (or unknown annotations) might yet hide these findings.
    if (uncertain.some((o) => annotationsUnknown(o.object, o.unknowns!)) && report.findings.some((f) => !f.suppressed)) return WITHHELD;
    return { findings: report.findings, withheld: false };
  }

  /** Whether the rule reads an unknown location of the object (or of its List items). */
  private readsUnknown(object: any, unknowns: UnknownTree, context: RuleContext): boolean {
    const kinds = this.rule.metadata.kinds;
    const targets: { value: any; tree: UnknownTree | true | undefined }[] = [];
    const items = listItems(object);
    if (items !== undefined) {
      if (unknownsAt(unknowns, ['items']) === true) return true;
      items.forEach((item: any, i: number) => targets.push({ value: item, tree: unknownsAt(unknowns, ['items', i]) }));
    } else {
      targets.push({ value: object, tree: unknowns });
    }
    for (const t of targets) {
      if (t.tree === undefined) continue;
      if (t.tree === true) return true;
      if (!isPlainObject(t.value)) continue;
      if (!kinds.includes('*') && !kinds.includes(t.value.kind)) continue;
      const p = probe(t.value, t.tree);
      this.rule.check(p.object, context);
      if (p.touched()) return true;
    }
    return false;
  }

  /**
   * The object with the rule's fix applied by the engine's fix pass (a copy), judged with
   * every rule of the profile, so that a fix that would make another rule report more is
   * not made. Returns the object itself when the rule has no fix.
   */
  public fix(object: any, config: RulePolicyConfig = {}): any {
    const key = JSON.stringify(config ?? {});
    let engine = this.fixEngines.get(key);
    if (!engine) {
      engine = new Engine(this.optionsFor(config).options);
      this.fixEngines.set(key, engine);
    }
    return engine.fixObjects([object], { rules: [this.rule.metadata.id] }).objects[0].fixed;
  }

  /** The engine options of the pack with a policy configuration's options and excluded namespaces. */
  private optionsFor(config: RulePolicyConfig) {
    const id = this.rule.metadata.id;
    const base = engineOptionsOf(this.options);
    const extraExcludes = Array.isArray(config.excludeNamespaces) ? config.excludeNamespaces.filter((n) => typeof n === 'string') : [];
    const extraOptions = isPlainObject(config.options) ? config.options : {};
    const excludeNamespaces = [...base.excludeNamespaces, ...extraExcludes];
    return {
      options: { ...base, ruleOptions: { ...base.ruleOptions, [id]: { ...(base.ruleOptions[id] ?? {}), ...extraOptions } }, excludeNamespaces },
      excluded: excludeNamespaces.length > 0,
    };
  }

  private engineFor(config: RulePolicyConfig) {
    const key = JSON.stringify(config ?? {});
    let entry = this.engines.get(key);
    if (!entry) {
      const { options, excluded } = this.optionsFor(config);
      const engine = new Engine({ ...options, disabledRules: [...options.disabledRules, ...this.others] });
      const context = engine._setup().contexts.get(this.rule.metadata.id)!;
      entry = { engine, context, excluded };
      this.engines.set(key, entry);
    }
    return entry;
  }
}

/** The objects the engine checks in a document: the items of a List, else the document itself. */
function objectsOf(object: any, unknowns: UnknownTree): { value: any; tree: UnknownTree | true | undefined }[] {
  const items = listItems(object);
  if (items === undefined) return [{ value: object, tree: unknowns }];
  return items.map((item, i) => ({ value: item, tree: unknownsAt(unknowns, ['items', i]) }));
}

function namespaceUnknown(object: any, unknowns: UnknownTree): boolean {
  return objectsOf(object, unknowns).some((o) => unknownsAt(o.tree, ['metadata', 'namespace']) === true);
}

function annotationsUnknown(object: any, unknowns: UnknownTree): boolean {
  return objectsOf(object, unknowns).some((o) => unknownsAt(o.tree, ['metadata', 'annotations']) !== undefined);
}
