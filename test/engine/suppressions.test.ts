import { Engine, Profile, Reports, Severity } from '../../src';
import { validateReason } from '../../src/constructs/suppressions';
import { reasonLength, suppressionsOf } from '../../src/engine/suppressions';

const pod = (annotations: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', annotations },
  spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] },
});

const engine = new Engine({ profile: Profile.BASELINE });

test('a suppression with a reason marks the finding suppressed and keeps it in the report', () => {
  const report = engine.checkObjects([pod({ 'ignore.kubeharden.io/pss-privileged': 'node agent needs device access' })]);
  expect(report.findings).toHaveLength(1);
  expect(report.findings[0]).toMatchObject({ ruleId: 'pss-privileged', suppressed: true, suppressionReason: 'node agent needs device access' });
  expect(report.summary).toMatchObject({ findings: 0, suppressed: 1 });
  expect(Reports.hasFindingsAtOrAbove(report, Severity.LOW)).toBe(false);
});

test('a reason under 10 characters does not suppress and is itself a finding', () => {
  const report = engine.checkObjects([pod({ 'ignore.kubeharden.io/pss-privileged': 'needed' })]);
  const ids = report.findings.map((f) => [f.ruleId, f.suppressed]);
  expect(ids).toEqual(expect.arrayContaining([['pss-privileged', false], ['invalid-suppression', false]]));
  const invalid = report.findings.find((f) => f.ruleId === 'invalid-suppression')!;
  expect(invalid.path).toBe('metadata.annotations["ignore.kubeharden.io/pss-privileged"]');
  expect(invalid.message).toMatch(/at least 10 characters/);
});

test('a suppression of an unknown rule is reported', () => {
  const report = engine.checkObjects([pod({ 'ignore.kubeharden.io/pss-privileeged': 'typo in the rule id here' })]);
  expect(report.findings.find((f) => f.ruleId === 'invalid-suppression')?.message).toMatch(/unknown rule "pss-privileeged"/);
  expect(report.findings.find((f) => f.ruleId === 'pss-privileged')?.suppressed).toBe(false);
});

test('the suppression check itself cannot be suppressed', () => {
  const report = engine.checkObjects([pod({
    'ignore.kubeharden.io/invalid-suppression': 'please hide everything',
    'ignore.kubeharden.io/nope': 'unknown rule with reason',
  })]);
  expect(report.findings.filter((f) => f.ruleId === 'invalid-suppression').every((f) => !f.suppressed)).toBe(true);
});

test('severity overrides, disabled rules and excluded namespaces apply', () => {
  const p = { ...pod({}), metadata: { name: 'p', namespace: 'kube-system' } };
  expect(new Engine({ profile: Profile.BASELINE, severities: { 'pss-privileged': Severity.LOW } }).checkObjects([p]).findings[0].severity).toBe('low');
  expect(new Engine({ profile: Profile.BASELINE, disabledRules: ['pss-privileged'] }).checkObjects([p]).findings).toEqual([]);
  const excluded = new Engine({ profile: Profile.BASELINE, excludeNamespaces: ['kube-system'] }).checkObjects([p]);
  expect(excluded.findings).toEqual([]);
  expect(excluded.summary.objects).toBe(1);
});

test('invalid profile and version are refused with clear errors', () => {
  expect(() => new Engine({ profile: 'strict' as Profile })).toThrow(/profile: unknown profile; expected baseline, restricted or hardened/);
  expect(() => new Engine({ pssVersion: '2.1' })).toThrow(/pssVersion: invalid Pod Security Standards version; expected latest or v1\.N/);
  expect(new Engine({ pssVersion: 'v1.99' }).pssVersion).toBe('1.37');
  expect(new Engine({ pssVersion: 'v1.25' }).pssVersion).toBe('1.25');
});

describe('a reason is counted in characters (Unicode code points), not UTF-16 code units', () => {
  const TEN_EMOJI = '🔒🔑🚀🐳📦🧪🔥🎯🐙🦊'; // ten code points, twenty UTF-16 units
  const FIVE_EMOJI = '🔒🚀🐳🔑📦'; // five code points, ten UTF-16 units

  test('the fixtures are what they say', () => {
    expect([[...TEN_EMOJI].length, TEN_EMOJI.length]).toEqual([10, 20]);
    expect([[...FIVE_EMOJI].length, FIVE_EMOJI.length]).toEqual([5, 10]);
  });

  test('ten emoji are ten characters: the suppression takes effect', () => {
    expect(reasonLength(TEN_EMOJI)).toBe(10);
    const report = engine.checkObjects([pod({ 'ignore.kubeharden.io/pss-privileged': TEN_EMOJI })]);
    expect(report.findings.map((f) => [f.ruleId, f.suppressed])).toEqual([['pss-privileged', true]]);
  });

  test('five emoji (ten UTF-16 units) are five characters: too short, and reported as five', () => {
    expect(reasonLength(FIVE_EMOJI)).toBe(5);
    const report = engine.checkObjects([pod({ 'ignore.kubeharden.io/pss-privileged': FIVE_EMOJI })]);
    expect(report.findings.find((f) => f.ruleId === 'pss-privileged')?.suppressed).toBe(false);
    expect(report.findings.find((f) => f.ruleId === 'invalid-suppression')?.message)
      .toBe('suppression of pss-privileged needs a reason of at least 10 characters (got 5); it does not take effect');
  });

  test('letters outside the Basic Multilingual Plane count one each; surrounding spaces do not count', () => {
    expect(reasonLength('𝐫𝐞𝐚𝐬𝐨𝐧 𝐢𝐬 𝐨𝐤')).toBe(12);
    expect(suppressionsOf({ metadata: { annotations: { 'ignore.kubeharden.io/x': '  🔒🚀🐳🔑📦🔒🚀🐳🔑  ' } } })?.get('x')).toMatchObject({ length: 9, valid: false });
    expect(suppressionsOf({ metadata: { annotations: { 'ignore.kubeharden.io/x': 'plain text' } } })?.get('x')).toMatchObject({ length: 10, valid: true });
  });

  test('the constructs count the same way', () => {
    expect(() => validateReason(FIVE_EMOJI, 'suppression of pss-privileged', 'Chart/app')).toThrow(/at least 10 characters \(got 5\)/);
    expect(validateReason(` ${TEN_EMOJI} `, 'suppression of pss-privileged', 'Chart/app')).toBe(TEN_EMOJI);
  });
});
