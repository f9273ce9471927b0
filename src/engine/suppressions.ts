import { isObject, prop, trimWhiteSpace } from './values';

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
