/**
 * `Hardening.of(scope)`: the rules' fixes applied at synth to every ApiObject in a scope
 * (cdk8s-plus workloads, raw ApiObjects, `Include`d and Helm-rendered objects), through
 * the ApiObject JSON patch mechanism. It decides nothing itself: each change is a rule's
 * fix, kept by the engine's fix pass only when the rule then reports less, no rule reports
 * more, the API server would still accept the object and no suppressed field changes (a
 * loosening recorded with a reason stays). A `Guard` in the same chart hardens first, then
 * judges.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { optionsWithConfigFile } from '../engine/config';
import { Engine } from '../engine/engine';
import { jsonChanges, JsonChange, valueAt } from '../engine/fix-paths';
import { PathSegment } from '../engine/json-path';
import { CheckOptions } from '../engine/types';

/** Options of `Hardening.of`: the options shape every entry point takes, and which fixes to apply. */
export interface HardeningOptions extends CheckOptions {
  /**
   * A kubeharden configuration file (`kubeharden.config.yaml`) to read, relative to the
   * working directory of the cdk8s app; the options given here win over the file's.
   * @default - no file
   */
  readonly configFile?: string;
  /**
   * Apply only the fixes of these rules (rule ids).
   * @default - every fixable rule of the profile
   */
  readonly onlyRules?: string[];
}

/** One change Hardening made to an ApiObject. */
export interface HardeningChange {
  /** The construct path of the ApiObject. */
  readonly constructPath: string;
  /** The rule whose finding the change removed. */
  readonly ruleId: string;
  /** The finding's JSON path in the object. */
  readonly path: string;
}

const HARDENING_ID = 'kubeharden-hardening';

/**
 * Applies the catalog's fixes to every ApiObject in a scope at synth.
 *
 * @example
 * const app = new App();
 * const chart = new Chart(app, 'shop');
 * new kplus.Deployment(chart, 'web', { containers: [{ image: 'registry.example.com/web:1.0' }] });
 * Hardening.of(chart, { profile: Profile.RESTRICTED });
 * Guard.of(chart, { profile: Profile.RESTRICTED });   // hardened first, then judged
 * app.synth();
 */
export class Hardening extends Construct {
  /**
   * Attaches the fixes to a scope (once: later calls return the first Hardening).
   *
   * @param scope a chart, or any construct: every ApiObject below it is hardened
   * @param options profile, rule settings and options (for example the writable paths of
   * read-only-root-filesystem, or the quantities of the resource rules), and which fixes
   * @throws if an option or the configuration file is invalid, naming each
   */
  public static of(scope: IConstruct, options: HardeningOptions = {}): Hardening {
    const existing = scope.node.tryFindChild(HARDENING_ID);
    if (existing instanceof Hardening) return existing;
    const { onlyRules, ...check } = options;
    const engineOptions = optionsWithConfigFile(check, 'Hardening options');
    return new Hardening(scope, engineOptions, onlyRules);
  }

  /**
   * Applies every Hardening of a construct's scopes and of the constructs below it now
   * (what `Guard` calls before it judges, so that the order of `of` calls does not matter).
   */
  public static applyAround(construct: IConstruct): void {
    const found = new Set<Hardening>();
    for (const s of construct.node.scopes) {
      const h = s.node.tryFindChild(HARDENING_ID);
      if (h instanceof Hardening) found.add(h);
    }
    for (const c of construct.node.findAll()) if (c instanceof Hardening) found.add(c);
    for (const h of found) h.apply();
  }

  /** The engine whose fixes are applied. */
  public readonly engine: Engine;
  private readonly onlyRules?: string[];
  private readonly done = new Set<string>();
  private readonly made: HardeningChange[] = [];

  private constructor(scope: IConstruct, options: CheckOptions, onlyRules: string[] | undefined) {
    super(scope as Construct, HARDENING_ID);
    this.engine = new Engine(options);
    if (onlyRules) {
      const fixable = new Set(this.engine.rules.filter((r) => r.metadata.fix).map((r) => r.metadata.id));
      const unknown = onlyRules.filter((id) => !fixable.has(id));
      if (unknown.length) throw new Error(`Hardening options: onlyRules: ${unknown.map((u) => JSON.stringify(u)).join(', ')} is not a fixable rule of the ${this.engine.profile} profile`);
      this.onlyRules = [...onlyRules];
    }
    scope.node.addValidation({ validate: () => { this.apply(); return []; } });
  }

  /** The changes made so far (after synthesis: all of them). */
  public get changes(): HardeningChange[] {
    return [...this.made];
  }

  /**
   * Applies the fixes now to every ApiObject in the scope not hardened yet (idempotent).
   */
  public apply(): void {
    const scope = this.node.scope!;
    for (const c of scope.node.findAll()) {
      if (!ApiObject.isApiObject(c) || this.done.has(c.node.path)) continue;
      this.done.add(c.node.path);
      const json = c.toJson();
      const result = this.engine.fixObjects([json], this.onlyRules ? { rules: this.onlyRules } : {}).objects[0];
      const patches = jsonChanges(json, result.fixed).map((ch) => toPatch(json, ch));
      if (patches.length === 0) continue;
      c.addJsonPatch(...patches);
      for (const ch of result.changes) this.made.push({ constructPath: c.node.path, ruleId: ch.ruleId, path: ch.path });
    }
  }
}

/** A JSON pointer (RFC 6901) for path segments. */
function pointer(path: readonly PathSegment[]): string {
  return path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function toPatch(json: unknown, change: JsonChange): JsonPatch {
  const at = pointer(change.path);
  if (change.op === 'remove') return JsonPatch.remove(at);
  return valueAt(json, change.path) === undefined ? JsonPatch.add(at, change.value) : JsonPatch.replace(at, change.value);
}
