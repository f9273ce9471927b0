/**
 * Test helpers for the hardened-profile rules: run YAML through the engine at the
 * hardened profile, pick one rule's findings, find fixture lines, and fuzz a rule
 * with wrong-typed values.
 */
import { expectSeverityNeverDrops } from './severity-monotonic';
import { Engine, IRule, Profile, Report } from '../../src';

/**
 * The report of a YAML text at the hardened profile, and the findings of one rule. Every
 * text checked here is also held to the property that profiles never lower a verdict
 * (severity-monotonic.ts).
 */
export function check(yaml: string, ruleId: string, options?: { [key: string]: any }): { report: Report; findings: Report['findings'] } {
  const ruleOptions = options ? { [ruleId]: options } : undefined;
  const engine = new Engine({ profile: Profile.HARDENED, ...(ruleOptions ? { ruleOptions } : {}) });
  const report = engine.checkText(yaml, 'x.yaml');
  expect(report.errors).toEqual([]);
  expectSeverityNeverDrops(yaml, ruleOptions ? { ruleOptions } : {});
  return { report, findings: report.findings.filter((f) => f.ruleId === ruleId) };
}

/** 1-based line of the first line of `yaml` containing `marker` (the n-th one when n > 1). */
export function lineOf(yaml: string, marker: string, n: number = 1): number {
  const lines = yaml.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].includes(marker) && ++seen === n) return i + 1;
  }
  throw new Error(`marker not found: ${marker}`);
}

const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, '', 'x', true, false, [], {}, [null], [0], ['x'], [{}], { a: null }];

/** Every copy of `base` with one node (at any depth) replaced by one odd value. */
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
      for (const m of mutations((base as any)[key])) {
        yield { ...(base as any), [key]: m };
      }
    }
  }
}

/**
 * Runs the rule over every single-node mutation of `base` (plus the odd values
 * themselves) and fails on a throw or an internal-error finding.
 */
export function expectTotal(rule: IRule, base: unknown, options: { [key: string]: any } = {}): void {
  const context = { profile: Profile.HARDENED, pssVersion: '1.35', pssMinor: 35, options, knownRuleIds: [rule.metadata.id] };
  let n = 0;
  for (const input of mutations(base)) {
    n++;
    const findings = rule.check(input, context);
    expect(Array.isArray(findings)).toBe(true);
    for (const f of findings) {
      expect(typeof f.path).toBe('string');
      expect(f.message).not.toMatch(/^internal error/);
    }
  }
  expect(n).toBeGreaterThan(ODD_VALUES.length);
}
