import { CheckSession, SessionSetup } from './check-session';
import { POD_TEMPLATE_PATH, PodTemplateLocation } from './pod-templates';
import { rulesForProfile } from './profiles';
import { formatPssVersion, parsePssVersion } from './pss-version';
import { Finding, IRule, Profile, Report, RuleContext, Severity } from './types';
import { CATALOG } from '../rules';
import { builtinRbacReleases } from '../rules/rbac/builtin-rbac';

/**
 * Options of an engine run.
 */
export interface EngineOptions {
  /**
   * The profile to enforce.
   * @default Profile.HARDENED
   */
  readonly profile?: Profile;
  /**
   * Pod Security Standards version (`latest`, `v1.N` or `1.N`): evaluate pods as
   * pod-security-admission of that Kubernetes version does.
   * @default 'latest'
   */
  readonly pssVersion?: string;
  /**
   * The rule catalog to select from.
   * @default - every kubeharden rule
   */
  readonly catalog?: IRule[];
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
   * Rule options by rule id.
   * @default - none
   */
  readonly ruleOptions?: { [ruleId: string]: { [key: string]: any } };
  /**
   * Namespaces whose objects are not checked.
   * @default - none
   */
  readonly excludeNamespaces?: string[];
  /**
   * Skip Kubernetes' own built-in RBAC objects, for dumps of a live cluster: a
   * ClusterRole, ClusterRoleBinding, Role or RoleBinding is left out of the rbac rules
   * only when its name and its content (rules, aggregationRule, roleRef, subjects, and a
   * ClusterRole's labels) equal those of the bootstrap policy of the Kubernetes version
   * `pssVersion` names. A built-in name with other content is still checked.
   * @default false
   */
  readonly excludeBuiltinRbac?: boolean;
  /**
   * The largest input (a file, or standard input) read, in bytes: a larger one is an
   * input error instead of a read that never ends (a device, an endless pipe).
   * @default 268435456 (256 MiB)
   */
  readonly maxInputBytes?: number;
  /**
   * Custom resources of in-house operators whose pods the engine should judge, with
   * where their pod templates are. (Argo Rollouts and Workflows, Knative, KEDA, Kubeflow,
   * JobSet, LeaderWorkerSet, the Prometheus Operator, Tekton and OpenKruise are built in.)
   * @default - none
   */
  readonly podTemplates?: PodTemplateLocation[];
}

/** The default of {@link EngineOptions.maxInputBytes}. */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** What a report says when built-in RBAC objects are skipped (excludeBuiltinRbac). */
function builtinRbacNote(minor: number): string {
  const releases = builtinRbacReleases(minor);
  const of = releases.length > 0 ? `the bootstrap policy of Kubernetes ${releases.join(', ')}` : `no known bootstrap policy for Kubernetes 1.${minor}, so none`;
  return `built-in RBAC objects are not checked (--exclude-builtin-rbac): those whose name and content are ${of}; a built-in name with other content is checked`;
}

/** Declared pod template locations, checked: a bad one is a usage error, never ignored. */
function validPodTemplates(locations: PodTemplateLocation[]): PodTemplateLocation[] {
  for (const l of locations) {
    if (typeof l?.apiVersion !== 'string' || !l.apiVersion.includes('/') || typeof l.kind !== 'string' || l.kind === '') {
      throw new Error('invalid podTemplates entry: expected apiVersion (group/version or group/*), kind and paths');
    }
    if (!Array.isArray(l.paths) || l.paths.length === 0 || !l.paths.every((p) => typeof p === 'string' && POD_TEMPLATE_PATH.test(p))) {
      throw new Error(`invalid podTemplates paths for ${l.kind}: expected dotted paths such as spec.template or spec.runners[*].template`);
    }
  }
  return locations;
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

  private readonly setup: SessionSetup;

  /**
   * @throws if the profile or version is not valid
   */
  constructor(options: EngineOptions = {}) {
    const profile = options.profile ?? Profile.HARDENED;
    if (!Object.values(Profile).includes(profile)) {
      throw new Error(`unknown profile "${profile}": expected baseline, restricted or hardened`);
    }
    const minor = parsePssVersion(options.pssVersion);
    if (minor === undefined) {
      throw new Error(`invalid Pod Security Standards version "${options.pssVersion}": expected latest or v1.N`);
    }
    const maxInputBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
    if (!Number.isInteger(maxInputBytes) || maxInputBytes <= 0) {
      throw new Error(`invalid maxInputBytes ${maxInputBytes}: expected a positive whole number of bytes`);
    }
    const catalog = options.catalog ?? CATALOG;
    const disabled = new Set(options.disabledRules ?? []);
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
        options: options.ruleOptions?.[rule.metadata.id] ?? {},
        knownRuleIds,
        ...(options.excludeBuiltinRbac === true ? { excludeBuiltinRbac: true } : {}),
      });
    }
    this.setup = {
      profile,
      rules: this.rules,
      contexts,
      severities: new Map(Object.entries(options.severities ?? {})),
      excludeNamespaces: new Set(options.excludeNamespaces ?? []),
      maxInputBytes,
      notes: options.excludeBuiltinRbac === true ? [builtinRbacNote(minor)] : [],
      podTemplates: validPodTemplates(options.podTemplates ?? []),
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

  /** @internal */
  public _setup(): SessionSetup {
    return this.setup;
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
