import { AdmissionOptions, AdmissionPolicySet, generateAdmissionPolicies } from '../admission/generate';
import { fixObject, FixOptions, FixReport } from './fix';
import { buildPlans, CheckSession, Plans, SessionSetup } from './check-session';
import { checkedOptions, DEPRECATED_RULE_KEYS, ENGINE_ONLY_KEYS, ruleTables } from './options';
import { rulesForProfile } from './profiles';
import { formatPssVersion, parsePssVersion } from './pss-version';
import { keepShape } from './shapes';
import { CheckOptions, Finding, IRule, Profile, Report, RuleContext, Severity } from './types';
import { CATALOG } from '../rules';
import { builtinRbacReleases } from '../rules/rbac/builtin-rbac';

/**
 * Options of an engine run: the options shape every entry point takes (CheckOptions),
 * plus the catalog and the input limit.
 *
 * @example
 * new Engine({ profile: Profile.RESTRICTED, failOn: Severity.HIGH, rules: { 'pss-host-ports': false } });
 */
export interface EngineOptions extends CheckOptions {
  /**
   * The rule catalog to select from.
   * @default - every kubeharden rule
   */
  readonly catalog?: IRule[];
  /**
   * The largest input (a file, or standard input) read, in bytes: a larger one is an
   * input error instead of a read that never ends (a device, an endless pipe).
   * @default 268435456 (256 MiB)
   */
  readonly maxInputBytes?: number;
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
   * Rule options by rule id.
   * @default - none
   * @deprecated use `rules: { <rule-id>: { options } }`
   */
  readonly ruleOptions?: { [ruleId: string]: { [key: string]: any } };
}

/** The default of {@link EngineOptions.maxInputBytes}. */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** What a report says when built-in RBAC objects are skipped (excludeBuiltinRbac). */
function builtinRbacNote(minor: number): string {
  const releases = builtinRbacReleases(minor);
  const of = releases.length > 0 ? `the bootstrap policy of Kubernetes ${releases.join(', ')}` : `no known bootstrap policy for Kubernetes 1.${minor}, so none`;
  return `built-in RBAC objects are not checked (--exclude-builtin-rbac): those whose name and content are ${of}; a built-in name with other content is checked`;
}

/** Tool name and version, as reports carry them. */
export const TOOL = { name: 'kubeharden', version: readVersion() };

function readVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../package.json').version as string;
  } catch {
    return '0.0.0';
  }
}

/**
 * The rule engine: selects the rules of a profile and checks Kubernetes objects,
 * YAML/JSON text and files with them.
 *
 * @example
 * const report = new Engine({ profile: Profile.RESTRICTED }).checkPaths(['manifests/']);
 */
export class Engine {
  /** The enforced profile. */
  public readonly profile: Profile;
  /** The Pod Security Standards version, as `1.N`. */
  public readonly pssVersion: string;
  /** The rules this engine runs. */
  public readonly rules: IRule[];
  /**
   * The lowest severity that fails (`failOn`): `Reports.findingsAtOrAbove(report, engine.failOn)`
   * are the findings that fail a run.
   */
  public readonly failOn: Severity;

  private readonly setup: SessionSetup;
  /** See _plans. */
  private plans?: Plans;

  /**
   * @throws if an option is not valid (an unknown key or rule id, a bad value), naming each
   */
  constructor(options: EngineOptions = {}) {
    const catalog = options?.catalog ?? CATALOG;
    if (!Array.isArray(catalog)) throw new Error('Engine options: catalog: expected a list of rules');
    const checked = checkedOptions(options, catalog, 'Engine options', { extraKeys: ENGINE_ONLY_KEYS, deprecatedKeys: DEPRECATED_RULE_KEYS });
    const profile = checked.profile ?? Profile.HARDENED;
    const minor = parsePssVersion(checked.pssVersion)!;
    const maxInputBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
    if (!Number.isInteger(maxInputBytes) || maxInputBytes <= 0) {
      throw new Error('Engine options: maxInputBytes: expected a positive whole number of bytes');
    }
    const tables = ruleTables(checked);
    const disabled = new Set(tables.disabled);
    const excludeBuiltinRbac = checked.excludeBuiltinRbac === true;
    this.failOn = checked.failOn ?? Severity.LOW;
    this.profile = profile;
    this.pssVersion = formatPssVersion(minor);
    this.rules = rulesForProfile(catalog, profile, minor).filter((r) => !disabled.has(r.metadata.id));
    const knownRuleIds = catalog.map((r) => r.metadata.id);
    const contexts = new Map<string, RuleContext>();
    for (const rule of this.rules) {
      contexts.set(rule.metadata.id, {
        profile,
        pssVersion: this.pssVersion,
        pssMinor: minor,
        options: tables.ruleOptions[rule.metadata.id] ?? {},
        knownRuleIds,
        ...(excludeBuiltinRbac ? { excludeBuiltinRbac: true } : {}),
      });
    }
    this.setup = {
      profile,
      rules: this.rules,
      contexts,
      severities: new Map(Object.entries(tables.severities)),
      excludeNamespaces: new Set(checked.excludeNamespaces ?? []),
      maxInputBytes,
      notes: excludeBuiltinRbac ? [builtinRbacNote(minor)] : [],
      podTemplates: checked.podTemplates ?? [],
      tool: TOOL,
    };
  }

  /** Starts a session that can take several inputs before reporting. */
  public newSession(): CheckSession {
    return new CheckSession(this);
  }

  /** Checks in-memory Kubernetes objects (e.g. a cdk8s chart's `toJson()`). */
  public checkObjects(objects: any[]): Report {
    const session = this.newSession();
    for (const o of objects) session.addObject(o);
    return session.report();
  }

  /**
   * Checks the text of a YAML stream (or of a JSON document, when `file` ends in `.json`).
   * @param file name to report
   */
  public checkText(text: string, file: string = '<input>'): Report {
    const session = this.newSession();
    session.addText(text, file);
    return session.report();
  }

  /** Checks files and directories. */
  public checkPaths(paths: string[]): Report {
    const session = this.newSession();
    for (const p of paths) session.addPath(p);
    return session.report();
  }

  /**
   * Applies the rules' fixes to in-memory objects (copies: the input is not changed), and
   * checks the fixed objects. A fix is kept only when its rule then reports less, no rule
   * reports more, the API server would still accept the object and no suppressed field
   * changed; findings it leaves are listed with the reason.
   */
  public fixObjects(objects: any[], options: FixOptions = {}): FixReport {
    const fixed = objects.map((o, i) => fixObject(this, o, i, options));
    return { objects: fixed, report: this.checkObjects(fixed.map((f) => f.fixed)) };
  }

  /**
   * The admission policies that enforce this engine's rules in a cluster: for each rule
   * that can be decided on one object at admission, a ValidatingAdmissionPolicy and its
   * binding (with the engine's profile, Pod Security Standards version, rule options,
   * severities and excluded namespaces), and the rules that cannot be, with the reason.
   */
  public admissionPolicies(options: AdmissionOptions = {}): AdmissionPolicySet {
    return generateAdmissionPolicies(this, options);
  }

  /** @internal */
  public _setup(): SessionSetup {
    return this.setup;
  }

  /** The rules arranged for sessions: built by the first session, shared by the next ones. @internal */
  public _plans(): Plans {
    this.plans ??= buildPlans(this.setup);
    return this.plans;
  }
}

/** Severities from most to least serious. */
export const SEVERITY_ORDER: Severity[] = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW];

/**
 * Helpers over reports.
 */
export class Reports {
  /**
   * Whether the report has an unsuppressed finding at or above a severity.
   */
  public static hasFindingsAtOrAbove(report: Report, severity: Severity): boolean {
    return Reports.findingsAtOrAbove(report, severity).length > 0;
  }

  /**
   * The report's unsuppressed findings at or above a severity (the findings that fail
   * a check run with that `failOn`), in report order.
   *
   * @param severity the lowest severity to keep (none is kept for an unknown severity)
   * @example
   * const failing = Reports.findingsAtOrAbove(report, Severity.HIGH);
   */
  public static findingsAtOrAbove(report: Report, severity: Severity): Finding[] {
    return report.findings.filter((f) => !f.suppressed && Reports.severityAtOrAbove(f.severity, severity));
  }

  /**
   * Whether a severity is at or above another (`high` is at or above `medium`); false for
   * an unknown one.
   */
  public static severityAtOrAbove(severity: Severity, limit: Severity): boolean {
    const at = SEVERITY_ORDER.indexOf(severity);
    return at >= 0 && at <= SEVERITY_ORDER.indexOf(limit);
  }

  private constructor() {}
}

// An engine and its sessions die when their caller lets them go; their hidden classes must
// not (see shapes.ts). This engine has no rules, and neither it nor its session is used.
keepShape(keepShape(new Engine({ catalog: [] })).newSession());
