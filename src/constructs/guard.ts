import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Engine, Reports, SEVERITY_ORDER } from '../engine/engine';
import { Finding, Profile, Report, Severity } from '../engine/types';

/**
 * Options of a Guard.
 *
 * @example
 * const options: GuardOptions = { profile: Profile.RESTRICTED, failOn: Severity.HIGH, disabledRules: ['image-digest'] };
 */
export interface GuardOptions {
  /**
   * The profile to enforce.
   * @default Profile.HARDENED
   */
  readonly profile?: Profile;
  /**
   * Pod Security Standards version (`latest` or `v1.N`).
   * @default 'latest'
   */
  readonly pssVersion?: string;
  /**
   * Rule ids not to run.
   * @default - none
   */
  readonly disabledRules?: string[];
  /**
   * Severity overrides by rule id.
   * @default - each rule's own severity
   */
  readonly severities?: { [ruleId: string]: Severity };
  /**
   * Rule options by rule id (e.g. allowed registries).
   * @default - none
   */
  readonly ruleOptions?: { [ruleId: string]: { [key: string]: any } };
  /**
   * Lowest severity that fails synthesis.
   * @default Severity.LOW
   */
  readonly failOn?: Severity;
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
 * app.synth(); // throws: [critical] pss-privileged Pod shop/agent spec.containers[0].securityContext.privileged: ... (construct shop/vendor/agent)
 */
export class Guard extends Construct {
  /**
   * Attaches a Guard to a chart (once: later calls return the first Guard).
   *
   * @param chart the chart to guard
   * @param options profile and rule configuration (used by the first call only)
   */
  public static of(chart: Chart, options: GuardOptions = {}): Guard {
    const existing = chart.node.tryFindChild(GUARD_ID);
    if (existing instanceof Guard) return existing;
    return new Guard(chart, options);
  }

  /** The chart this Guard checks. */
  public readonly chart: Chart;
  /** The engine that checks it. */
  public readonly engine: Engine;
  private readonly failOn: Severity;

  private constructor(chart: Chart, options: GuardOptions) {
    super(chart, GUARD_ID);
    if (!Chart.isChart(chart)) throw new Error('Guard.of needs a cdk8s Chart');
    this.chart = chart;
    this.engine = new Engine({
      profile: options.profile ?? Profile.HARDENED,
      pssVersion: options.pssVersion,
      disabledRules: options.disabledRules,
      severities: options.severities,
      ruleOptions: options.ruleOptions,
    });
    this.failOn = options.failOn ?? Severity.LOW;
    if (!SEVERITY_ORDER.includes(this.failOn)) throw new Error(`Guard: unknown failOn severity "${this.failOn}"`);
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
