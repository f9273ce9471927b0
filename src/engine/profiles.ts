import { versionAt } from './pss-version';
import { IRule, Profile } from './types';

/** Parses a profile name. */
export function parseProfile(name: string): Profile | undefined {
  switch (name) {
    case 'baseline': return Profile.BASELINE;
    case 'restricted': return Profile.RESTRICTED;
    case 'hardened': return Profile.HARDENED;
    default: return undefined;
  }
}

/** Whether a Pod Security Standards check exists at a version. */
function pssActive(rule: IRule, minor: number): boolean {
  const pss = rule.metadata.pss;
  if (!pss) return true;
  return versionAt(pss.versions, minor) !== undefined;
}

/** Baseline check ids replaced, at this version, by the restricted checks in the list. */
function overriddenAt(rules: IRule[], minor: number): Set<string> {
  const out = new Set<string>();
  for (const rule of rules) {
    const pss = rule.metadata.pss;
    if (!pss || pss.level !== Profile.RESTRICTED) continue;
    for (const id of versionAt(pss.versions, minor)?.overrides ?? []) out.add(id);
  }
  return out;
}

/**
 * The rules a profile enforces at a Pod Security Standards version, exactly as
 * pod-security-admission selects checks: a level's checks that exist at the version,
 * minus the baseline checks that a restricted check replaces at that version.
 */
export function rulesForProfile(catalog: IRule[], profile: Profile, pssMinor: number): IRule[] {
  const inProfile = catalog.filter((r) => r.metadata.profiles.includes(profile) && pssActive(r, pssMinor));
  if (profile === Profile.BASELINE) return inProfile;
  const overridden = overriddenAt(inProfile, pssMinor);
  return inProfile.filter((r) => !(r.metadata.pss && r.metadata.pss.level === Profile.BASELINE && overridden.has(r.metadata.pss.checkId)));
}
