/*
 * How constructs that refuse what kubeharden rules report (LeastPrivilegeRole,
 * AuditPolicy) check their objects and word the error (internal: not exported from
 * the package).
 */
import { Engine } from '../engine/engine';
import { Finding, Profile } from '../engine/types';

/** How `refuseUnsuppressed` words its error. @internal */
export interface RefusalWording {
  /** What is refused: the error starts with `<subject> is refused by kubeharden rules:`. */
  readonly subject: string;
  /** Whether each finding line names the kind of the object. */
  readonly withKind: boolean;
  /**
   * Whether invalid suppressions are reported on their own, before any other finding,
   * as `<subject>: <message>; <message>`.
   */
  readonly invalidSuppressionsFirst?: boolean;
  /** A last line, given the refused findings. */
  readonly advice?: (refused: Finding[]) => string;
}

const INVALID_SUPPRESSION = 'invalid-suppression';

/** The hardened-profile engine (it keeps no state between checks, so one serves every check). */
let hardened: Engine | undefined;

/**
 * Checks objects with every rule of the hardened profile, and throws when a finding
 * is not suppressed: one line per finding, `  <rule> (<severity>) [<kind> ]<path>: <message>`.
 * @internal
 */
export function refuseUnsuppressed(objects: any[], wording: RefusalWording): void {
  hardened ??= new Engine({ profile: Profile.HARDENED });
  const refused = hardened.checkObjects(objects).findings.filter((f) => !f.suppressed);
  if (refused.length === 0) return;
  if (wording.invalidSuppressionsFirst) {
    const invalid = refused.filter((f) => f.ruleId === INVALID_SUPPRESSION);
    if (invalid.length > 0) throw new Error(`${wording.subject}: ${invalid.map((f) => f.message).join('; ')}`);
  }
  const lines = refused.map((f) => `  ${f.ruleId} (${f.severity}) ${wording.withKind ? `${f.object.kind} ` : ''}${f.path}: ${f.message}`);
  const advice = wording.advice ? `\n${wording.advice(refused)}` : '';
  throw new Error(`${wording.subject} is refused by kubeharden rules:\n${lines.join('\n')}${advice}`);
}
