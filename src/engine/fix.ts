/**
 * The fix pass: applies the rules' fixes to objects, and keeps a fix only when it does
 * what a fix promises.
 *
 * For each object (a plain-JSON copy; the input is never changed) it checks the object,
 * then, rule by rule in catalog order, lets the rule's fix handle the rule's unsuppressed
 * findings on a copy, and keeps that copy only when
 * - the rule reports fewer findings on it than before,
 * - no rule reports more findings than before (a fix never loosens anything),
 * - the API server's security-context validation finds nothing it did not find before,
 * - and every field a suppressed finding names is exactly as it was (a loosening recorded
 *   with a reason stays).
 * Rounds repeat until nothing changes (turning `privileged` off lets the privilege
 * escalation fix run on the same container), at most a few times. Each object is checked
 * on its own here; the caller checks the fixed set as a whole for its report.
 */
import { apiValidationProblems } from './api-validation';
import type { Engine } from './engine';
import { compact, copyJson, segmentsOf, valueAt } from './fix-paths';
import { fixOf, RuleFix } from './rule';
import { Finding, IRule, ObjectRef, Report } from './types';

/** Which fixes to apply. */
export interface FixOptions {
  /**
   * Only the fixes of these rules (rule ids).
   * @default every fixable rule of the engine's profile
   */
  readonly rules?: string[];
}

/** One change a fix made. */
export interface FixChange {
  /** The rule whose finding it removed. */
  readonly ruleId: string;
  /** The path of the finding it removed. */
  readonly path: string;
  /** What the fix does. */
  readonly summary: string;
}

/** A finding that has a fix, which it did not apply. */
export interface FixDeclined {
  readonly ruleId: string;
  /** The finding's path. */
  readonly path: string;
  /** Why it was left as it is. */
  readonly reason: string;
}

/** What the fix pass did to a set of objects. */
export interface FixReport {
  /** One entry per input object, in input order. */
  readonly objects: ObjectFix[];
  /** The report of the fixed objects, checked together. */
  readonly report: Report;
}

/** What the fix pass did to one object. */
export interface ObjectFix {
  /** The object's identity (before fixing). */
  readonly object: ObjectRef;
  /** Index of the object in the input. */
  readonly index: number;
  /** The fixed object (a copy; equal to the input when nothing changed). */
  readonly fixed: any;
  /** The changes, in the order they were made. */
  readonly changes: FixChange[];
  /** Findings of fixable rules that remain, and why. */
  readonly declined: FixDeclined[];
}

const MAX_ROUNDS = 4;

/** Unsuppressed findings per rule. */
function counts(findings: readonly Finding[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of findings) if (!f.suppressed) out.set(f.ruleId, (out.get(f.ruleId) ?? 0) + 1);
  return out;
}

function refOf(object: any): ObjectRef {
  const meta = object && typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {};
  return {
    apiVersion: typeof object?.apiVersion === 'string' ? object.apiVersion : '',
    kind: typeof object?.kind === 'string' ? object.kind : '',
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    ...(typeof meta.name === 'string' ? { name: meta.name } : typeof meta.generateName === 'string' ? { name: meta.generateName } : {}),
  };
}

/** Whether every field named by a suppressed finding is as it was (for a list item: the whole list). */
function suppressedFieldsKept(before: any, after: any, findings: readonly Finding[]): boolean {
  for (const f of findings) {
    if (!f.suppressed) continue;
    let segments = segmentsOf(f.path);
    if (!segments) continue;
    if (segments.length > 0 && typeof segments[segments.length - 1] === 'number') segments = segments.slice(0, -1);
    if (JSON.stringify(valueAt(before, segments)) !== JSON.stringify(valueAt(after, segments))) return false;
  }
  return true;
}

/**
 * The rules whose fixes apply, in catalog order, except that a fix goes ahead of the
 * rules its `before` names.
 */
export function fixableRules(engine: Engine, options: FixOptions = {}): { rule: IRule; fix: RuleFix }[] {
  const only = options.rules ? new Set(options.rules) : undefined;
  const out: { rule: IRule; fix: RuleFix }[] = [];
  for (const rule of engine.rules) {
    const fix = fixOf(rule);
    if (!fix || (only && !only.has(rule.metadata.id))) continue;
    const before = fix.before ?? [];
    const at = out.findIndex((r) => before.includes(r.rule.metadata.id));
    out.splice(at < 0 ? out.length : at, 0, { rule, fix });
  }
  return out;
}

/** Fixes one object (see the file comment). */
export function fixObject(engine: Engine, object: any, index: number, options: FixOptions = {}): ObjectFix {
  const rules = fixableRules(engine, options);
  const contexts = engine._setup().contexts;
  let current = copyJson(object);
  let findings = engine.checkObjects([current]).findings;
  let problems = apiValidationProblems(current).length;
  const changes: FixChange[] = [];
  const refusals = new Map<string, string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let progressed = false;
    for (const { rule, fix } of rules) {
      const id = rule.metadata.id;
      const own = findings.filter((f) => f.ruleId === id && !f.suppressed);
      if (own.length === 0) continue;
      const candidate = copyJson(current);
      const context = contexts.get(id)!;
      const declinedHere = new Map<string, string>();
      for (const f of own) {
        let reason: string | undefined;
        try {
          reason = fix.apply(candidate, { path: f.path, message: f.message }, context);
        } catch (e) {
          reason = `internal error in the fix of ${id}`;
        }
        if (reason !== undefined) declinedHere.set(f.path, reason);
      }
      compact(candidate);
      for (const [path, reason] of declinedHere) refusals.set(`${id}\u0000${path}`, reason);
      if (JSON.stringify(candidate) === JSON.stringify(current)) continue;
      const after = engine.checkObjects([candidate]).findings;
      const was = counts(findings);
      const now = counts(after);
      let worse: string | undefined;
      if ((now.get(id) ?? 0) >= (was.get(id) ?? 0)) worse = 'the change would not remove the finding';
      for (const [other, n] of now) if (!worse && n > (was.get(other) ?? 0)) worse = `the change would make ${other} report more`;
      const candidateProblems = apiValidationProblems(candidate).length;
      if (!worse && candidateProblems > problems) worse = 'the API server would refuse the changed object';
      if (!worse && !suppressedFieldsKept(current, candidate, findings)) worse = 'the change would touch a field whose finding is suppressed with a reason';
      if (worse) {
        for (const f of own) if (!declinedHere.has(f.path)) refusals.set(`${id}\u0000${f.path}`, worse);
        continue;
      }
      for (const f of own) if (!declinedHere.has(f.path)) changes.push({ ruleId: id, path: f.path, summary: fix.summary });
      current = candidate;
      findings = after;
      problems = candidateProblems;
      progressed = true;
    }
    if (!progressed) break;
  }
  const fixable = new Set(rules.map((r) => r.rule.metadata.id));
  const declined: FixDeclined[] = findings
    .filter((f) => !f.suppressed && fixable.has(f.ruleId))
    .map((f) => ({ ruleId: f.ruleId, path: f.path, reason: refusals.get(`${f.ruleId}\u0000${f.path}`) ?? 'the fix could not remove it' }));
  return { object: refOf(object), index, fixed: current, changes, declined };
}
