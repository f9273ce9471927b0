/**
 * Building blocks of the rules' fixes. A fix works on the path its finding carries, so the
 * same fix serves a Deployment, a CronJob and a custom resource's pod alike.
 */
import { removeAt, securityContextHolder, segmentsOf, setAt, valueAt } from '../engine/fix-paths';
import { PathSegment } from '../engine/json-path';
import { RuleFix } from '../engine/rule';
import { RuleContext, RuleFinding } from '../engine/types';
import { isObject } from '../engine/values';

/** A fix that edits at the finding's segments. */
export type SegmentFix = (object: any, segments: PathSegment[], context: RuleContext, finding: RuleFinding) => string | undefined;

/** A fix from a function over the finding's path segments. */
export function pathFix(summary: string, apply: SegmentFix): RuleFix {
  return {
    summary,
    apply: (object, finding, context) => {
      const segments = segmentsOf(finding.path);
      if (!segments) return 'the finding has no path';
      return apply(object, segments, context, finding);
    },
  };
}

/** Sets the field the finding names to a value. */
export function setValue(summary: string, value: unknown): RuleFix {
  return pathFix(summary, (object, segments) => setAt(object, segments, value));
}

/** Removes the field or list item the finding names. */
export function removeValue(summary: string): RuleFix {
  return pathFix(summary, (object, segments) => removeAt(object, segments));
}

/** The container (or pod spec) holding the securityContext the segments point into, if it is an object. */
export function holderAt(object: unknown, segments: readonly PathSegment[]): { [key: string]: any } | undefined {
  const holder = securityContextHolder(segments);
  if (!holder) return undefined;
  const v = valueAt(object, holder);
  return isObject(v) ? v : undefined;
}

/**
 * For a finding inside `…spec.containers[i]` (or init or ephemeral containers): the segments
 * of the pod spec that holds the container. Undefined for other paths.
 */
export function podSpecSegmentsOf(segments: readonly PathSegment[]): PathSegment[] | undefined {
  for (let i = segments.length - 2; i >= 0; i--) {
    const s = segments[i];
    if ((s === 'containers' || s === 'initContainers' || s === 'ephemeralContainers') && typeof segments[i + 1] === 'number') {
      return segments.slice(0, i);
    }
  }
  return undefined;
}

/** The container segments (`…containers[i]`) of a path inside a container, or undefined. */
export function containerSegmentsOf(segments: readonly PathSegment[]): PathSegment[] | undefined {
  const spec = podSpecSegmentsOf(segments);
  return spec ? segments.slice(0, spec.length + 2) : undefined;
}

/** The added capabilities of a securityContext holder (strings only). */
export function addedCapabilities(holder: { [key: string]: any } | undefined): string[] {
  const caps = holder && isObject(holder.securityContext) ? holder.securityContext.capabilities : undefined;
  const add = isObject(caps) ? caps.add : undefined;
  return Array.isArray(add) ? add.filter((c): c is string => typeof c === 'string') : [];
}

/**
 * Sets a profile's `type` (seccompProfile, appArmorProfile) at the finding's `….type` path,
 * and removes a `localhostProfile` beside it (only Localhost profiles name one).
 */
export function setProfileType(object: unknown, segments: PathSegment[], type: string): string | undefined {
  if (segments[segments.length - 1] !== 'type') return 'the finding is not about a profile type';
  const profile = segments.slice(0, -1);
  const reason = setAt(object, segments, type);
  if (reason) return reason;
  const p = valueAt(object, profile);
  if (isObject(p) && 'localhostProfile' in p) delete (p as any).localhostProfile;
  return undefined;
}

/** Whether a key of a mapping on the path is an annotation (`metadata.annotations[...]`). */
export function isAnnotationPath(segments: readonly PathSegment[]): boolean {
  return segments.length >= 2 && segments[segments.length - 2] === 'annotations';
}
