/**
 * Helpers for the tests of the rbac, audit and cluster rules: run YAML through the
 * engine at the hardened profile and locate lines in the fixture.
 */
import { Engine, EngineOptions, Finding, IRule, Profile } from '../../../src';

/** The findings of one rule for a YAML text (the text must load without errors). */
export function findingsOf(yaml: string, ruleId: string, options: EngineOptions = {}): Finding[] {
  const report = new Engine({ profile: Profile.HARDENED, ...options }).checkText(yaml, 'x.yaml');
  expect(report.errors).toEqual([]);
  return report.findings.filter((f) => f.ruleId === ruleId);
}

/** 1-based line of the first line containing `needle` (after `after`, if given). */
export function lineOf(yaml: string, needle: string, after?: string): number {
  const lines = yaml.split('\n');
  let start = 0;
  if (after !== undefined) {
    start = lines.findIndex((l) => l.includes(after));
    if (start < 0) throw new Error(`no line contains ${after}`);
  }
  for (let i = start; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`no line contains ${needle}`);
}

/** Documents of the wrong shape for the given kinds and apiVersion. */
export function malformed(apiVersion: string, kinds: string[]): any[] {
  const bodies: any[] = [
    {}, { rules: 'x' }, { rules: [null, 1, 'a', [], { verbs: 'x', resources: 3, apiGroups: {} }] },
    { rules: [{ verbs: [1, null, {}], resources: [[], '*'], apiGroups: [null], resourceNames: 'x' }] },
    { subjects: 'x', roleRef: [] }, { subjects: [null, 1, { kind: 3, name: [] }], roleRef: { kind: 1, name: {} } },
    { aggregationRule: 'x', rules: {} }, { metadata: 'x', omitStages: 'x' }, { omitStages: [1], rules: [{ level: 3, resources: 'x' }] },
    { rules: [{ level: 'None', resources: [null, { group: 1, resources: 'x' }], users: 'x', verbs: {} }] },
    { resources: 'x' }, { resources: [null, { resources: 'x', providers: {} }, { resources: [1], providers: [null, 'identity'] }] },
    { authentication: 'x', authorization: [], readOnlyPort: 'x', rotateCertificates: 'yes' },
    { authentication: { anonymous: 'x' }, authorization: { mode: 1 } },
    { apiServer: 'x' }, { apiServer: { extraArgs: 'x' } }, { apiServer: { extraArgs: [null, 1, { name: 2 }, { name: 'anonymous-auth', value: 1 }] } },
    { apiServer: { extraArgs: { 'anonymous-auth': true, 'token-auth-file': null } } },
  ];
  const out: any[] = [null, 1, 'x', [], true];
  for (const kind of kinds) for (const b of bodies) out.push({ apiVersion, kind, ...b });
  return out;
}

/** Runs the rule over malformed input: it must neither throw nor report an internal error. */
export function expectTotal(rule: IRule, apiVersion: string): void {
  for (const doc of malformed(apiVersion, rule.metadata.kinds)) {
    const findings = rule.check(doc, { profile: Profile.HARDENED, pssVersion: '1.35', pssMinor: 35, options: {}, knownRuleIds: [] });
    for (const f of findings) expect(f.message).not.toMatch(/internal error/);
  }
}
