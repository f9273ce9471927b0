/**
 * The baseline checks that restricted checks replace, validated when the catalog is built.
 *
 * At the restricted level pod-security-admission replaces some baseline checks by restricted
 * ones (OverrideCheckIDs: capabilities, seccomp, volumes, procMount). A replacement must not
 * lower a verdict: the restricted check reports at least what the baseline check reports on
 * the same fields, and its severity is at least the baseline check's, so that `--fail-on`
 * never passes at a stricter profile what it fails at baseline. As pod-security-admission's
 * registry does with bad check data, a catalog that breaks this is refused (the module
 * throws on load) instead of quietly evaluated.
 */
import { IRule, Profile, Severity } from '../../engine/types';

/** Severities from the least to the most serious. */
const RANK: Severity[] = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL];

/**
 * The problems of a Pod Security Standards catalog's replacements: a restricted check that
 * names an unknown baseline check, or that is less severe than a baseline check it replaces.
 */
export function replacementProblems(rules: readonly IRule[]): string[] {
  const baseline = new Map<string, IRule>();
  for (const r of rules) {
    if (r.metadata.pss?.level === Profile.BASELINE) baseline.set(r.metadata.pss.checkId, r);
  }
  const out: string[] = [];
  for (const r of rules) {
    const pss = r.metadata.pss;
    if (!pss || pss.level !== Profile.RESTRICTED) continue;
    const replaced = new Set(pss.versions.flatMap((v) => v.overrides ?? []));
    for (const id of replaced) {
      const b = baseline.get(id);
      if (!b) {
        out.push(`${r.metadata.id} replaces ${id}, which is no baseline check of the catalog`);
      } else if (RANK.indexOf(r.metadata.severity) < RANK.indexOf(b.metadata.severity)) {
        out.push(`${r.metadata.id} (${r.metadata.severity}) replaces ${b.metadata.id} (${b.metadata.severity}): a replacement must be at least as severe as the check it replaces`);
      }
    }
  }
  return out;
}

/** Throws when the catalog's replacements are not valid (see {@link replacementProblems}). */
export function validateReplacements(rules: readonly IRule[]): void {
  const problems = replacementProblems(rules);
  if (problems.length > 0) throw new Error(`Pod Security Standards catalog: ${problems.join('; ')}`);
}
