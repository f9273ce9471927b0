import { PodView, podOf, WORKLOAD_KINDS } from './pod-spec';
import { minorOf, versionAt } from './pss-version';
import { Profile, RuleContext, RuleFinding, RuleMetadata, IRule, PssCheckInfo, PssCheckVersion } from './types';

/** A check over a whole object. */
export type ObjectCheck = (object: any, context: RuleContext) => RuleFinding[];

/** A check over the pod of a workload object. */
export type PodCheck = (pod: PodView, context: RuleContext) => RuleFinding[];

class FunctionRule implements IRule {
  constructor(public readonly metadata: RuleMetadata, private readonly fn: ObjectCheck) {}

  public check(object: any, context: RuleContext): RuleFinding[] {
    try {
      return this.fn(object, context);
    } catch (e) {
      // Checks are written to be total; this is a last line of defence so that a
      // bug in one rule can never stop the others or crash an adapter.
      return [{ path: '', message: `internal error in rule ${this.metadata.id}: ${(e as Error)?.message ?? e}` }];
    }
  }
}

/** Defines a rule over whole objects. */
export function defineRule(metadata: RuleMetadata, check: ObjectCheck): IRule {
  return new FunctionRule(metadata, check);
}

/** Defines a rule over the pod spec of every workload kind. */
export function definePodRule(metadata: RuleMetadata, check: PodCheck): IRule {
  return new FunctionRule(metadata, (object, context) => {
    const pod = podOf(object);
    return pod ? check(pod, context) : [];
  });
}

/** One versioned behaviour of a Pod Security Standards check. */
export interface VersionedPodCheck extends PssCheckVersion {
  readonly check: PodCheck;
}

/** What a Pod Security Standards rule file declares. */
export interface PssRuleDefinition extends Omit<RuleMetadata, 'profiles' | 'pss' | 'kinds'> {
  /** pod-security-admission check id. */
  readonly checkId: string;
  /** Level of the check. */
  readonly level: Profile.BASELINE | Profile.RESTRICTED;
  /** Behaviours by minimum version, oldest first. */
  readonly versions: VersionedPodCheck[];
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
  const { checkId: _c, level: _l, versions: _v, ...meta } = def;
  const metadata: RuleMetadata = {
    ...meta,
    controls: meta.controls.includes(`pss:${def.checkId}`) ? meta.controls : [`pss:${def.checkId}`, ...meta.controls],
    profiles: def.level === Profile.BASELINE
      ? [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED]
      : [Profile.RESTRICTED, Profile.HARDENED],
    kinds: POD_KINDS,
    pss,
  };
  // the behaviour for the last version asked (an engine asks for one version only)
  let lastMinor = -1;
  let lastCheck: PodCheck | undefined;
  return definePodRule(metadata, (pod, context) => {
    if (context.pssMinor !== lastMinor) {
      lastCheck = versionAt(versions, context.pssMinor)?.check;
      lastMinor = context.pssMinor;
    }
    return lastCheck === undefined ? [] : lastCheck(pod, context);
  });
}
