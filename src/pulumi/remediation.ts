/**
 * Remediation: what `enforcementLevel: "remediate"` applies during `pulumi up`, which is
 * the rule's own fix (src/rules), run by the engine's fix pass exactly as `kubeharden fix`
 * runs it. This file only translates: it runs the fix on the plain view of the resource's
 * props and carries the changed fields back into a copy of the props, leaving secrets and
 * values unknown during preview where they are (a change that would have to go through
 * one is not made). It holds no security knowledge of its own.
 */
import { isPlainObject, unwrapProxy } from './unknown-values';
import { jsonChanges, JsonChange } from '../engine/fix-paths';
import { fixOf } from '../engine/rule';
import type { IRule } from '../engine/types';
import { CATALOG } from '../rules';

/** A rule's fix, as the pack describes it. */
export interface RuleFix {
  /** The id of the rule whose findings it fixes. */
  readonly ruleId: string;
  /** What it does. */
  readonly summary: string;
}

/** The fixes of the catalog: one per fixable rule (they are the rules' own fixes). */
export const FIXES: readonly RuleFix[] = CATALOG.filter((r) => fixOf(r)).map((r) => ({ ruleId: r.metadata.id, summary: fixOf(r)!.summary }));

/** The fix of a rule, if it has one. */
export function fixFor(rule: IRule): RuleFix | undefined {
  const fix = fixOf(rule);
  return fix ? { ruleId: rule.metadata.id, summary: fix.summary } : undefined;
}

/**
 * A mutable copy of props: plain objects and arrays are copied (proxies unwrapped);
 * secrets, unknown values and other non-plain values are carried over as they are.
 */
export function copyProps(v: unknown, depth: number = 0): any {
  const raw: any = unwrapProxy(v);
  if (depth > 200) return raw;
  if (Array.isArray(raw)) return raw.map((x) => copyProps(x, depth + 1));
  if (isPlainObject(raw)) {
    const out: { [key: string]: any } = {};
    for (const k of Object.keys(raw)) if (raw[k] !== undefined) out[k] = copyProps(raw[k], depth + 1);
    return out;
  }
  return raw;
}

/**
 * Carries the changes between a plain view and its fixed copy into the props (in place).
 * Returns whether every change could be carried: a change whose path leads through a
 * value that is not a plain object or array in the props (a secret, an unknown) is not.
 */
export function applyChanges(props: any, changes: readonly JsonChange[]): boolean {
  for (const c of changes) {
    let cur = props;
    for (let i = 0; i < c.path.length - 1; i++) {
      const s = c.path[i];
      const plain = typeof s === 'number' ? Array.isArray(cur) : isPlainObject(cur);
      if (!plain) return false;
      if (cur[s] === undefined || cur[s] === null) {
        if (c.op === 'remove') break;
        cur[s] = typeof c.path[i + 1] === 'number' ? [] : {};
      }
      cur = cur[s];
    }
    const last = c.path[c.path.length - 1];
    const plain = typeof last === 'number' ? Array.isArray(cur) : isPlainObject(cur);
    if (!plain) return false;
    const existing = cur[last];
    if (existing !== undefined && existing !== null && !Array.isArray(existing) && !isPlainObject(existing)
      && typeof existing === 'object') return false; // a secret or an unknown value stays
    if (c.op === 'remove') {
      if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
      else delete cur[last];
    } else {
      cur[last] = c.value;
    }
  }
  return true;
}

/** The fixed props of one object, or undefined when the fix changed nothing (or could not be carried). */
export function remediatedProps(props: any, view: any, fixed: any): any {
  const changes = jsonChanges(view, fixed);
  if (changes.length === 0) return undefined;
  const copy = copyProps(props);
  return applyChanges(copy, changes) ? copy : undefined;
}
