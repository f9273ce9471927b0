import { admissionOf, FixAdmission, notEnforcedReason, RuleAdmission } from './admission';
import { PodView, podOf, WORKLOAD_KINDS } from './pod-spec';
import { LATEST_PSS_MINOR, minorOf, versionAt } from './pss-version';
import { Profile, RuleContext, RuleFinding, RuleMetadata, IRule, PssCheckInfo, PssCheckVersion } from './types';

/** A check over a whole object. */
export type ObjectCheck = (object: any, context: RuleContext) => RuleFinding[];

/** A check over the pod of a workload object. */
export type PodCheck = (pod: PodView, context: RuleContext) => RuleFinding[];

/**
 * A rule's fix. `apply` gets a mutable plain-JSON copy of the object, one unsuppressed
 * finding of the rule on it (its path in the object's own coordinates, custom resources
 * included) and the rule's context; it changes only what that finding needs and returns
 * undefined, or returns why it will not (an unsafe or undecidable change, which stays a
 * finding). The fix pass (src/engine/fix.ts) keeps a change only when the rule then reports
 * less, no other rule reports more, and the API server would still accept the object.
 */
export interface RuleFix {
  /** What the fix does, for docs and reports. */
  readonly summary: string;
  readonly apply: (object: any, finding: RuleFinding, context: RuleContext) => string | undefined;
  /**
   * The rules whose fixes the fix pass runs after this one, when both apply: a fix of
   * theirs would make this rule's finding go away in a way its options did not choose (a
   * memory limit set first becomes the request, by the API server's defaulting, and the
   * request's own option is never used).
   */
  readonly before?: readonly string[];
  /** The fix at admission (a MutatingAdmissionPolicy), where it can be made there. */
  readonly admission?: FixAdmission;
}

/**
 * Why a fix is not made at admission (`kubeharden admission --mutate`), or undefined when
 * it is: the rule is not enforced there, its fix has no admission form (and says why), or
 * it is not a rule over pods (the mutating policies are written for pods).
 */
export function notMutatedReasonOf(
  fix: RuleFix | undefined, admission: RuleAdmission | undefined, kinds: readonly string[], podRule: boolean,
): string | undefined {
  if (!fix) return 'the rule has no fix';
  const notEnforced = notEnforcedReason(admission, kinds);
  if (notEnforced !== undefined) return `it is not enforced at admission: ${notEnforced}`;
  if (fix.admission?.patches) return podRule ? undefined : 'the mutating policies are written for pods only';
  return fix.admission?.notMutated ?? 'its fix is not expressed as JSON patches in CEL yet';
}

/** Why a rule's fix is not made at admission, or undefined when it is (see notMutatedReasonOf). */
export function notMutatedReason(rule: IRule): string | undefined {
  return notMutatedReasonOf(fixOf(rule), admissionOf(rule), rule.metadata.kinds, podCheckOf(rule) !== undefined);
}

/** A rule that may carry a fix. */
interface Fixable {
  readonly _fix?: RuleFix;
}

/** The fix of a rule, if it has one. */
export function fixOf(rule: IRule): RuleFix | undefined {
  return (rule as Fixable)._fix;
}

/** The metadata with the fix's summary. */
export function withFix(metadata: RuleMetadata, fix: RuleFix | undefined): RuleMetadata {
  return fix ? { ...metadata, fix: fix.summary } : metadata;
}

/**
 * The metadata with what the rule's admission form says: enforced, or why not; and, for a
 * rule with a fix, whether the fix is made at admission too.
 */
export function withAdmission(metadata: RuleMetadata, admission: RuleAdmission | undefined, fix?: RuleFix, podRule = false): RuleMetadata {
  const reason = notEnforcedReason(admission, metadata.kinds);
  const mutation = fix ? notMutatedReasonOf(fix, admission, metadata.kinds, podRule) : undefined;
  return {
    ...metadata,
    admission: reason === undefined ? 'enforced' : `not enforced: ${reason}`,
    ...(fix ? { fixAtAdmission: mutation === undefined ? 'made' : `not made: ${mutation}` } : {}),
  };
}

class FunctionRule implements IRule {
  public readonly metadata: RuleMetadata;
  public readonly _fix?: RuleFix;
  public readonly _admission?: RuleAdmission;
  /** For a rule over pods: its check of the pod (see podCheckOf). */
  public readonly _pod?: PodCheck;
  constructor(metadata: RuleMetadata, private readonly fn: ObjectCheck, fix?: RuleFix, pod?: PodCheck, admission?: RuleAdmission) {
    this.metadata = withAdmission(withFix(metadata, fix), admission, fix, pod !== undefined);
    if (fix) this._fix = fix;
    if (pod) this._pod = pod;
    if (admission) this._admission = admission;
  }

  public check(object: any, context: RuleContext): RuleFinding[] {
    try {
      return this.fn(object, context);
    } catch (e) {
      return this.internalError(e);
    }
  }

  /** The rule's check of a pod view, for a rule over pods: what `check` does once it has found the object's pod. */
  public _checkPod(pod: PodView, context: RuleContext): RuleFinding[] {
    try {
      return this._pod!(pod, context);
    } catch (e) {
      return this.internalError(e);
    }
  }

  private internalError(e: unknown): RuleFinding[] {
    // Checks are written to be total; this is a last line of defence so that a
    // bug in one rule can never stop the others or crash an adapter.
    return [{ path: '', message: `internal error in rule ${this.metadata.id}: ${(e as Error)?.message ?? e}` }];
  }
}

/**
 * For a rule defined over pods ({@link definePodRule}, {@link definePssRule}): its check of
 * a pod view, which gives the same findings as `rule.check(object)` when `pod` is
 * `podOf(object)` (and none when the object has no pod). The session finds an object's pod
 * once and calls the pod rules with it, instead of each rule looking it up. @internal
 */
export function podCheckOf(rule: IRule): PodRuleCheck | undefined {
  return rule instanceof FunctionRule && rule._pod !== undefined ? rule : undefined;
}

/** A rule's check of a pod view (see podCheckOf). @internal */
export interface PodRuleCheck {
  _checkPod(pod: PodView, context: RuleContext): RuleFinding[];
}

/** Defines a rule over whole objects. */
export function defineRule(metadata: RuleMetadata, check: ObjectCheck, fix?: RuleFix, admission?: RuleAdmission): IRule {
  return new FunctionRule(metadata, check, fix, undefined, admission);
}

/** Defines a rule over the pod spec of every workload kind. */
export function definePodRule(metadata: RuleMetadata, check: PodCheck, fix?: RuleFix, admission?: RuleAdmission): IRule {
  return new FunctionRule(metadata, (object, context) => {
    const pod = podOf(object);
    return pod ? check(pod, context) : [];
  }, fix, check, admission);
}

/** One versioned behaviour of a Pod Security Standards check. */
export interface VersionedPodCheck extends PssCheckVersion {
  readonly check: PodCheck;
}

/** What a Pod Security Standards rule file declares. */
export interface PssRuleDefinition extends Omit<RuleMetadata, 'profiles' | 'pss' | 'kinds' | 'fix' | 'admission'> {
  /** pod-security-admission check id. */
  readonly checkId: string;
  /** Level of the check. */
  readonly level: Profile.BASELINE | Profile.RESTRICTED;
  /** Behaviours by minimum version, oldest first. */
  readonly versions: VersionedPodCheck[];
  /** The fix, where a safe one exists. */
  readonly fix?: RuleFix;
  /** The check in CEL, for admission (see src/engine/admission.ts). */
  readonly admission?: RuleAdmission;
}

/** The kinds that carry a pod spec: the kinds the pod walker knows. */
export const POD_KINDS: string[] = WORKLOAD_KINDS;

/**
 * Defines a Pod Security Standards rule from its versioned checks. At a given
 * version the newest behaviour whose minimum version is not newer applies; before
 * the oldest one the check does not exist.
 */
export function definePssRule(def: PssRuleDefinition): IRule {
  const versions = [...def.versions].sort((a, b) => minorOf(a.minimumVersion) - minorOf(b.minimumVersion));
  const pss: PssCheckInfo = {
    checkId: def.checkId,
    level: def.level,
    versions: versions.map((v) => ({
      minimumVersion: v.minimumVersion,
      ...(v.overrides ? { overrides: v.overrides } : {}),
      ...(v.note ? { note: v.note } : {}),
    })),
  };
  const { checkId: _c, level: _l, versions: _v, fix, admission, ...meta } = def;
  const metadata: RuleMetadata = {
    ...meta,
    controls: meta.controls.includes(`pss:${def.checkId}`) ? meta.controls : [`pss:${def.checkId}`, ...meta.controls],
    profiles: def.level === Profile.BASELINE
      ? [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED]
      : [Profile.RESTRICTED, Profile.HARDENED],
    kinds: POD_KINDS,
    pss,
  };
  // The behaviour at each version the engine knows, chosen once by versionAt; nothing is
  // remembered between calls (engines at different versions share the rule). A version
  // outside the table (a rule called directly with another context) is chosen on the call.
  const byMinor = Array.from({ length: LATEST_PSS_MINOR + 1 }, (_, minor) => versionAt(versions, minor)?.check);
  return definePodRule(metadata, (pod, context) => {
    const minor = context.pssMinor;
    const check = Number.isInteger(minor) && minor >= 0 && minor <= LATEST_PSS_MINOR ? byMinor[minor] : versionAt(versions, minor)?.check;
    return check === undefined ? [] : check(pod, context);
  }, fix, admission);
}
