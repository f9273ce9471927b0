import { PodTemplateLocation } from './pod-templates';

/**
 * How serious a finding is. Used for ordering, for `--fail-on`, and for SARIF levels.
 */
export enum Severity {
  /** Direct path to node or cluster compromise. */
  CRITICAL = 'critical',
  /** Serious weakening of isolation. */
  HIGH = 'high',
  /** Defence-in-depth control missing. */
  MEDIUM = 'medium',
  /** Hygiene and hardening advice. */
  LOW = 'low',
}

/**
 * A set of rules to enforce.
 *
 * `baseline` and `restricted` are exactly the Kubernetes Pod Security Standards levels
 * (with the check replacements pod-security-admission applies); `hardened` is
 * `restricted` plus the rest of the catalog.
 */
export enum Profile {
  /** Pod Security Standards, baseline level. */
  BASELINE = 'baseline',
  /** Pod Security Standards, restricted level. */
  RESTRICTED = 'restricted',
  /** Restricted plus every other rule of the catalog. */
  HARDENED = 'hardened',
}

/**
 * How one rule runs: the value of `rules.<rule-id>` in every options shape (Engine, Guard,
 * the cdk8s validation plugin, the configuration file, the Pulumi policy pack). `false`
 * is short for `{ enabled: false }`.
 *
 * @example
 * const settings: RuleSettings = { severity: Severity.CRITICAL, options: { registries: ['registry.example.com/'] } };
 */
export interface RuleSettings {
  /**
   * Whether the rule runs (when its profile includes it).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The severity of the rule's findings.
   * @default - the rule's own severity
   */
  readonly severity?: Severity;
  /**
   * The rule's options (see each rule's `options` in its metadata); an option the rule
   * does not declare is refused.
   * @default - none
   */
  readonly options?: { [key: string]: any };
}

/**
 * What to check and what fails: the one options shape that `Engine`, `Guard`, the cdk8s
 * validation plugin (`KubehardenValidation`), the configuration file
 * (`kubeharden.config.yaml`) and the Pulumi policy pack (`kubehardenPolicies`) all take,
 * with the same names and meanings. Every entry point refuses an unknown key or an
 * unknown rule id, with a suggestion of the closest name.
 *
 * @example
 * const options: CheckOptions = {
 *   profile: Profile.HARDENED,
 *   failOn: Severity.HIGH,
 *   rules: { 'image-digest': false, 'allowed-registries': { options: { registries: ['registry.example.com/'] } } },
 * };
 */
export interface CheckOptions {
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
   * The lowest severity that fails (synthesis, the validation, `kubeharden check`'s exit
   * code, a mandatory Pulumi policy).
   * @default Severity.LOW
   */
  readonly failOn?: Severity;
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
   * How each rule runs, by rule id: `false` to disable it, or its settings (enabled,
   * severity, options).
   * @default - every rule of the profile, with its own severity and no options
   */
  readonly rules?: { [ruleId: string]: RuleSettings | boolean };
  /**
   * Custom resources of in-house operators whose pods to judge, with where their pod
   * templates are. (Argo Rollouts and Workflows, Knative, KEDA, Kubeflow, JobSet,
   * LeaderWorkerSet, the Prometheus Operator, Tekton and OpenKruise are built in.)
   * @default - none
   */
  readonly podTemplates?: PodTemplateLocation[];
}

/**
 * The Pod Security Standards description of a rule that implements a
 * pod-security-admission check.
 */
export interface PssCheckInfo {
  /** The pod-security-admission check id, e.g. `privileged`, `capabilities_restricted`. */
  readonly checkId: string;
  /** The Pod Security Standards level the check belongs to. */
  readonly level: Profile;
  /**
   * The Kubernetes versions at which the check's behaviour changes, oldest first.
   */
  readonly versions: PssCheckVersion[];
}

/**
 * One versioned behaviour of a pod-security-admission check.
 */
export interface PssCheckVersion {
  /** Oldest Kubernetes version (`1.N`) with this behaviour. */
  readonly minimumVersion: string;
  /** Baseline check ids that this restricted check replaces from this version on. */
  readonly overrides?: string[];
  /** What changed at this version. */
  readonly note?: string;
}

/**
 * Metadata of a rule: everything but its check.
 */
export interface RuleMetadata {
  /** Stable kebab-case identifier, used in reports, configuration and suppressions. */
  readonly id: string;
  /** One-line title. */
  readonly title: string;
  /** Default severity. */
  readonly severity: Severity;
  /** Category, e.g. `pod-security`, `rbac`, `network`. */
  readonly category: string;
  /** The profiles that include the rule. */
  readonly profiles: Profile[];
  /**
   * Controls the rule enforces: `pss:<checkId>`, `cis:<id>`, `nsa:<section>`, and the
   * equivalent checks of other tools.
   */
  readonly controls: string[];
  /** Why the rule matters. */
  readonly rationale: string;
  /** How to fix a finding. */
  readonly remediation: string;
  /** The object kinds the rule applies to. */
  readonly kinds: string[];
  /** Set when the rule implements a pod-security-admission check. */
  readonly pss?: PssCheckInfo;
  /** Options the rule accepts (set in the configuration file under `rules.<id>.options`). */
  readonly options?: RuleOptionSpec[];
  /**
   * What the rule's fix does, when the rule has one (`kubeharden fix`, `Hardening.of`,
   * Pulumi remediation and the constructs' defaults all apply it).
   */
  readonly fix?: string;
  /**
   * Whether `kubeharden admission` enforces the rule in the cluster: `enforced`, or
   * `not enforced: <why>` (it needs other objects, the whole manifest set, or a file that
   * never reaches the API server).
   */
  readonly admission?: string;
  /**
   * For a rule with a fix: whether `kubeharden admission --mutate` makes the fix in the
   * cluster too (a MutatingAdmissionPolicy): `made`, or `not made: <why>`.
   */
  readonly fixAtAdmission?: string;
  /**
   * True for set-level rules (ISetRule): they judge the whole input, e.g. a namespace
   * that holds workloads but no default-deny NetworkPolicy.
   * @default false
   */
  readonly setLevel?: boolean;
  /**
   * True when no annotation can suppress the rule's findings: `invalid-suppression`
   * reports broken suppressions, and a suppression of it would hide exactly that.
   * @default false
   */
  readonly unsuppressible?: boolean;
}

/**
 * An option a rule accepts.
 */
export interface RuleOptionSpec {
  /** Option name. */
  readonly name: string;
  /**
   * Value type: `string`, `string[]`, `boolean`, `number`, or `regex[]` (a list of
   * regular expressions that JavaScript and RE2 read the same way, see
   * src/engine/patterns.ts).
   */
  readonly type: string;
  /** What the option does. */
  readonly description: string;
}

/**
 * What a rule's check returns for one problem.
 */
export interface RuleFinding {
  /** JSON path of the offending field (or of where a missing field belongs). */
  readonly path: string;
  /** What is wrong and what to change. */
  readonly message: string;
}

/**
 * Context handed to every check.
 */
export interface RuleContext {
  /** The profile being evaluated. */
  readonly profile: Profile;
  /** Pod Security Standards version as `1.N`. */
  readonly pssVersion: string;
  /** The minor part of `pssVersion`, for versioned checks. */
  readonly pssMinor: number;
  /** Options for the rule being run (from configuration). */
  readonly options: { [key: string]: any };
  /** Ids of every rule in the catalog (to recognise suppressions of unknown rules). */
  readonly knownRuleIds: string[];
  /**
   * Skip Kubernetes' own built-in RBAC objects: a ClusterRole, ClusterRoleBinding, Role
   * or RoleBinding whose name and content (rules, aggregationRule, roleRef, subjects)
   * equal those of the bootstrap policy of Kubernetes `pssVersion` (read by the rbac rules).
   * @default false
   */
  readonly excludeBuiltinRbac?: boolean;
}

/**
 * A rule: metadata plus a pure, total check over a plain Kubernetes object.
 */
export interface IRule {
  /** The rule's metadata. */
  readonly metadata: RuleMetadata;
  /**
   * Checks one object. Never throws, whatever the input.
   *
   * @param object any JSON value (normally a Kubernetes object)
   * @param context profile, version and options
   */
  check(object: any, context: RuleContext): RuleFinding[];
}

/**
 * An object a set-level rule kept for its set check, with where it came from.
 */
export interface SetMember {
  /** What the rule's `collect` kept of the object. */
  readonly data: any;
  /** The object's identity. */
  readonly object: ObjectRef;
  /** Source file. */
  readonly file: string;
  /** Line of the object (0 when unknown). */
  readonly line: number;
}

/**
 * A finding of a set-level rule, about one member of the set.
 */
export interface SetFinding {
  /** Index of the member (in the array given to `checkSet`) the finding is about. */
  readonly member: number;
  /** JSON path within that object. */
  readonly path: string;
  /** What is wrong and what to change. */
  readonly message: string;
}

/**
 * A rule over the whole input. The engine calls `collect` on every object of the
 * rule's kinds and keeps what it returns (keep it small: it is held until the end),
 * then calls `checkSet` once with everything kept. Its `check` returns nothing.
 *
 * When what `collect` returns has a string `dedupeKey`, the engine keeps only the first
 * member with each key, and sets its `dedupeCount` to the number of objects that had the
 * key: a rule that needs one member of a kind per namespace (the first workload of a
 * namespace, and how many there are) so holds memory that does not grow with the input.
 */
export interface ISetRule extends IRule {
  /**
   * What to keep of an object for the set check; undefined to keep nothing.
   */
  collect(object: any, context: RuleContext): any;
  /**
   * Judges the set. Never throws.
   */
  checkSet(members: SetMember[], context: RuleContext): SetFinding[];
}

/**
 * Identity of a Kubernetes object in a report.
 */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
}

/**
 * A finding in a report.
 */
export interface Finding {
  /** The rule that produced it. */
  readonly ruleId: string;
  /** Effective severity. */
  readonly severity: Severity;
  /** The rule's controls. */
  readonly controls: string[];
  /** What is wrong and what to change. */
  readonly message: string;
  /** The object it is about. */
  readonly object: ObjectRef;
  /** Source file (`-` for standard input, `<input>` for in-memory objects). */
  readonly file: string;
  /** 1-based line of the offending field (or of the nearest enclosing field). */
  readonly line: number;
  /** JSON path of the offending field within the object. */
  readonly path: string;
  /** Whether an `ignore.kubeharden.io/<rule-id>` annotation suppresses it. */
  readonly suppressed: boolean;
  /** The suppression's reason, when suppressed. */
  readonly suppressionReason?: string;
}

/**
 * An input that could not be checked.
 */
export interface InputError {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  readonly message: string;
}

/**
 * Counts of a report.
 */
export interface ReportSummary {
  /** Files (and standard input) read. */
  readonly files: number;
  /** Kubernetes objects checked. */
  readonly objects: number;
  /** Findings not suppressed. */
  readonly findings: number;
  /** Findings suppressed with a reason. */
  readonly suppressed: number;
  /** Input errors. */
  readonly errors: number;
  /** Objects not checked: kinds no rule knows that carry pods (see `unchecked`). */
  readonly unchecked: number;
}

/**
 * Tool identity in a report.
 */
export interface ToolInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * The result of a check: the JSON report format (docs/report-format.md).
 */
export interface Report {
  readonly tool: ToolInfo;
  readonly profile: Profile;
  readonly summary: ReportSummary;
  readonly findings: Finding[];
  readonly errors: InputError[];
  /**
   * Paths a directory walk left out on purpose (version-control folders, links to
   * directories), present when there are any.
   */
  readonly skipped?: SkippedPath[];
  /**
   * Objects of kinds the engine does not know that carry pod-like fields (a containers
   * list with images): not checked, present when there are any. Declare where their pods
   * are with `podTemplates` to check them.
   */
  readonly unchecked?: UncheckedObject[];
  /**
   * What the report should be read with: options that leave objects out (such as
   * excludeBuiltinRbac), present when there are any.
   */
  readonly notes?: string[];
}

/**
 * An object the engine did not check although it carries pods.
 */
export interface UncheckedObject {
  readonly object: ObjectRef;
  readonly file: string;
  /** Line of the pod-like field (0 when unknown). */
  readonly line: number;
  /** Path of the pod-like field (the first one found). */
  readonly path: string;
}

/**
 * A path a directory walk did not read, and why.
 */
export interface SkippedPath {
  readonly path: string;
  readonly reason: string;
}
