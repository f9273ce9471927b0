import { isObject, prop } from './values';

/** Annotation prefix of a suppression: `ignore.kubeharden.io/<rule-id>: "<reason>"`. */
export const SUPPRESSION_PREFIX = 'ignore.kubeharden.io/';

/** A suppression reason must be at least this long. */
export const MIN_SUPPRESSION_REASON = 10;

/** A suppression annotation on an object. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  readonly annotation: string;
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
    const reason = typeof raw === 'string' ? raw.trim() : '';
    out ??= new Map();
    out.set(ruleId, { ruleId, reason, annotation: key, valid: reason.length >= MIN_SUPPRESSION_REASON });
  }
  return out;
}
