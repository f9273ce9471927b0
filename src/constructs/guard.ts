import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Hardening } from './hardening';
import { optionsWithConfigFile } from '../engine/config';
import { Engine, EngineOptions, Reports } from '../engine/engine';
import { DEPRECATED_RULE_KEYS } from '../engine/options';
import { CheckOptions, Finding, Report, Severity } from '../engine/types';

/**
 * Options of a Guard: the options shape every entry point takes (CheckOptions), and a
 * configuration file to read.
 *
 * @example
 * const options: GuardOptions = { profile: Profile.RESTRICTED, failOn: Severity.HIGH, rules: { 'image-digest': false } };
 */
export interface GuardOptions extends CheckOptions {
  /**
   * A kubeharden configuration file (`kubeharden.config.yaml`) to read, relative to the
   * working directory of the cdk8s app. The options given here win over the file's (the
   * lists add up), as `kubeharden check` flags win over it.
   * @default - no file
   */
  readonly configFile?: string;
  /**
   * Rule ids not to run.
   * @default - none
   * @deprecated use `rules: { <rule-id>: false }`
   */
  readonly disabledRules?: string[];
  /**
   * Severity overrides by rule id.
   * @default - each rule's own severity
   * @deprecated use `rules: { <rule-id>: { severity } }`
   */
  readonly severities?: { [ruleId: string]: Severity };
  /**
   * Rule options by rule id (e.g. allowed registries).
   * @default - none
   * @deprecated use `rules: { <rule-id>: { options } }`
   */
  readonly ruleOptions?: { [ruleId: string]: { [key: string]: any } };
}

/**
 * Enforces the kubeharden rules on a chart at synthesis: `app.synth()` (and
 * `Testing.synth`) fails with one line per unsuppressed finding, naming the rule,
 * the object, the JSON path of the field and the construct path, for every
 * ApiObject of the chart: kubeharden constructs, cdk8s-plus objects, raw
 * `ApiObject`s and `Include`d YAML alike.
 *
 * Suppress an accepted finding with `Suppressions.add(construct, ruleId, reason)`.
 *
 * @example
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * Guard.of(chart, { profile: Profile.HARDENED });
 * new Include(chart, 'vendor', { url: 'vendor/manifests.yaml' });
 * app.synth(); // throws: [critical] pss-privileged Pod shop/agent spec.containers[0].securityContext.privileged: ... (construct shop/vendor/agent-pod)
 */
export class Guard extends Construct {
  /**
   * Attaches a Guard to a chart (once: later calls return the first Guard).
   *
   * @param chart the chart to guard
   * @param options the options shape every entry point takes, and a configuration file (used by the first call only)
   * @throws if an option or the configuration file is invalid (an unknown key or rule id, a bad value), naming each
   */
  public static of(chart: Chart, options: GuardOptions = {}): Guard {
    const existing = chart.node.tryFindChild(GUARD_ID);
    if (existing instanceof Guard) return existing;
    // validated before the construct joins the tree: invalid options leave the chart unguarded and unchanged
    return new Guard(chart, optionsWithConfigFile(options, 'Guard options', { deprecatedKeys: DEPRECATED_RULE_KEYS }));
  }

  /** The chart this Guard checks. */
  public readonly chart: Chart;
  /** The engine that checks it. */
  public readonly engine: Engine;
  private readonly failOn: Severity;

  private constructor(chart: Chart, options: EngineOptions) {
    super(chart, GUARD_ID);
    if (!Chart.isChart(chart)) throw new Error('Guard.of needs a cdk8s Chart');
    this.chart = chart;
    this.engine = new Engine(options);
    this.failOn = this.engine.failOn;
    chart.node.addValidation({ validate: () => this.violations() });
  }

  /**
   * Checks the chart's objects now and returns the report (suppressed findings included).
   */
  public check(): Report {
    return this.engine.checkObjects(this.objects().map((o) => o.json));
  }

  /**
   * The findings that fail synthesis, one readable line each (empty when the chart passes).
   */
  public violations(): string[] {
    const objects = this.objects();
    const report = this.engine.checkObjects(objects.map((o) => o.json));
    const errors: string[] = [];
    const failing = Reports.findingsAtOrAbove(report, this.failOn);
    if (failing.length > 0) {
      const paths = constructPaths(objects);
      for (const f of failing) errors.push(describe(f, paths.get(refKey(f.object))));
    }
    for (const e of report.errors) errors.push(`kubeharden: ${e.message}`);
    if (errors.length > 0) {
      errors.push(`kubeharden ${this.engine.profile} profile: ${errors.length} finding(s); fix them or suppress each with Suppressions.add(construct, ruleId, reason)`);
    }
    return errors;
  }

  private objects(): { json: any; path: string }[] {
    // hardened first, then judged, whichever of Hardening.of and Guard.of came first
    Hardening.applyAround(this.chart);
    // Every ApiObject of the chart at any depth (kubeharden constructs, cdk8s-plus,
    // Include), but not those of nested charts, which have their own Guard.
    return this.chart.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === this.chart)
      .map((o) => ({ json: o.toJson(), path: o.node.path }));
  }
}

const GUARD_ID = 'kubeharden-guard';

function refKey(o: { apiVersion?: unknown; kind?: unknown; namespace?: unknown; name?: unknown }): string {
  return [o.apiVersion, o.kind, o.namespace ?? '', o.name ?? ''].join('|');
}

/** The construct path of each object by its `refKey` (the first object of a key wins). */
function constructPaths(objects: { json: any; path: string }[]): Map<string, string> {
  const paths = new Map<string, string>();
  for (const o of objects) {
    const key = refKey({ ...o.json, namespace: o.json?.metadata?.namespace, name: o.json?.metadata?.name });
    if (!paths.has(key)) paths.set(key, o.path);
  }
  return paths;
}

function describe(f: Finding, constructPath: string | undefined): string {
  const ns = f.object.namespace ? `${f.object.namespace}/` : '';
  const where = f.path ? ` ${f.path}` : '';
  const construct = constructPath ? ` (construct ${constructPath})` : '';
  return `[${f.severity}] ${f.ruleId} ${f.object.kind} ${ns}${f.object.name ?? '<unnamed>'}${where}: ${f.message}${construct}`;
}
