/**
 * Totality of set-level rules: every single-node mutation of some base objects is
 * collected, then the whole set is judged; neither step may throw or report an
 * internal error.
 */
import { IRule, ISetRule, Profile, RuleContext, SetMember } from '../../src';
import { isSetRule } from '../../src/engine/set-rule';

const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, '', 'x', true, false, [], {}, [null], [0], ['x'], [{}], { a: null }];

function* mutations(base: unknown): Generator<unknown> {
  for (const odd of ODD_VALUES) yield odd;
  if (Array.isArray(base)) {
    for (let i = 0; i < base.length; i++) {
      for (const m of mutations(base[i])) {
        const copy = base.slice();
        copy[i] = m;
        yield copy;
      }
    }
  } else if (typeof base === 'object' && base !== null) {
    for (const key of Object.keys(base)) {
      for (const m of mutations((base as any)[key])) yield { ...(base as any), [key]: m };
    }
  }
}

/** A rule context at the hardened profile. */
export function contextFor(rule: IRule, options: { [key: string]: any } = {}, extra: Partial<RuleContext> = {}): RuleContext {
  return { profile: Profile.HARDENED, pssVersion: '1.37', pssMinor: 37, options, knownRuleIds: [rule.metadata.id], ...extra };
}

/**
 * Collects the bases and every mutation of each, then judges them together and each
 * mutation with the unmutated bases.
 */
export function expectSetTotal(rule: IRule, bases: unknown[], context: RuleContext = contextFor(rule)): void {
  expect(isSetRule(rule)).toBe(true);
  const set = rule as ISetRule;
  const member = (o: unknown): SetMember | undefined => {
    const data = set.collect(o, context);
    return data === undefined ? undefined : { data, object: { apiVersion: 'v1', kind: 'X' }, file: 'x.yaml', line: 1 };
  };
  const baseMembers = bases.map(member).filter((m): m is SetMember => m !== undefined);
  expect(baseMembers.length).toBeGreaterThan(0);
  const all: SetMember[] = [...baseMembers];
  let n = 0;
  for (const base of bases) {
    for (const input of mutations(base)) {
      n++;
      const m = member(input);
      if (m === undefined) continue;
      all.push(m);
      for (const f of set.checkSet([...baseMembers, m], context)) expect(f.message).not.toMatch(/internal error/);
    }
  }
  for (const f of set.checkSet(all, context)) {
    expect(typeof f.path).toBe('string');
    expect(f.message).not.toMatch(/internal error/);
  }
  expect(n).toBeGreaterThan(ODD_VALUES.length);
}
