import { isObject, prop } from './values';

/** Annotation prefix of a suppression: `ignore.kubeharden.io/<rule-id>: "<reason>"`. */
export const SUPPRESSION_PREFIX = 'ignore.kubeharden.io/';

/** A suppression reason must be at least this long, in characters (Unicode code points). */
export const MIN_SUPPRESSION_REASON = 10;

/**
 * The length of a reason in characters: Unicode code points, not UTF-16 code units, so
 * that a reason of ten emoji (or of ten letters outside the Basic Multilingual Plane) is
 * ten characters long, as it reads. A lone surrogate counts as one.
 */
export function reasonLength(reason: string): number {
  let n = 0;
  for (const _ of reason) n++;
  return n;
}

/**
 * Unicode white space (the White_Space property, which is what Go's strings.TrimSpace and
 * so the API server's CEL `trim()` remove): the characters a reason is trimmed of, at both
 * ends, so that a suppression takes effect in `check` exactly when it does at admission.
 */
const WHITE_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGE_WHITE_SPACE = new RegExp(`^[${WHITE_SPACE}]+|[${WHITE_SPACE}]+$`, 'g');

/** A reason without the Unicode white space at its ends (see WHITE_SPACE). */
export function trimWhiteSpace(reason: string): string {
  return reason.replace(EDGE_WHITE_SPACE, '');
}

/** A suppression annotation on an object. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  readonly annotation: string;
  /** The reason's length in characters (code points; see {@link reasonLength}). */
  readonly length: number;
  /** Whether the reason is long enough for the suppression to take effect. */
  readonly valid: boolean;
}

/** The suppression annotations of an object, by rule id. */
export function suppressionsOf(object: unknown): Map<string, Suppression> | undefined {
  const annotations = prop(prop(object, 'metadata'), 'annotations');
  if (!isObject(annotations)) return undefined;
  let out: Map<string, Suppression> | undefined;
  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(SUPPRESSION_PREFIX)) continue;
    const ruleId = key.slice(SUPPRESSION_PREFIX.length);
    const raw = annotations[key];
    const reason = typeof raw === 'string' ? trimWhiteSpace(raw) : '';
    out ??= new Map();
    const length = reasonLength(reason);
    out.set(ruleId, { ruleId, reason, annotation: key, length, valid: length >= MIN_SUPPRESSION_REASON });
  }
  return out;
}
