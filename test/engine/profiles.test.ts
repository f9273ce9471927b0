import { IRule, Profile, Severity } from '../../src';
import { rulesForProfile } from '../../src/engine/profiles';
import { definePssRule, defineRule } from '../../src/engine/rule';

const pss = (checkId: string, level: Profile.BASELINE | Profile.RESTRICTED, versions: { minimumVersion: string; overrides?: string[] }[]): IRule =>
  definePssRule({
    id: `pss-${checkId}`,
    checkId,
    level,
    title: checkId,
    severity: Severity.HIGH,
    category: 'pod-security',
    controls: [],
    rationale: '',
    remediation: '',
    versions: versions.map((v) => ({ ...v, check: () => [{ path: '', message: `${checkId}@${v.minimumVersion}` }] })),
  });

const capsBaseline = pss('capabilities_baseline', Profile.BASELINE, [{ minimumVersion: '1.0' }]);
const capsRestricted = pss('capabilities_restricted', Profile.RESTRICTED, [{ minimumVersion: '1.22', overrides: ['capabilities_baseline'] }]);
const sysctls = pss('sysctls', Profile.BASELINE, [{ minimumVersion: '1.0' }, { minimumVersion: '1.27' }]);
const late = pss('late', Profile.BASELINE, [{ minimumVersion: '1.34' }]);
const other = defineRule({ id: 'other', title: '', severity: Severity.LOW, category: 'x', profiles: [Profile.HARDENED], controls: [], rationale: '', remediation: '', kinds: ['*'] }, () => []);
const catalog = [capsBaseline, capsRestricted, sysctls, late, other];
const ids = (rules: IRule[]) => rules.map((r) => r.metadata.id);

test('baseline selects baseline checks that exist at the version', () => {
  expect(ids(rulesForProfile(catalog, Profile.BASELINE, 37))).toEqual(['pss-capabilities_baseline', 'pss-sysctls', 'pss-late']);
  expect(ids(rulesForProfile(catalog, Profile.BASELINE, 33))).toEqual(['pss-capabilities_baseline', 'pss-sysctls']);
});

test('a restricted check replaces the baseline check only from the version that says so', () => {
  expect(ids(rulesForProfile(catalog, Profile.RESTRICTED, 21))).toEqual(['pss-capabilities_baseline', 'pss-sysctls']);
  expect(ids(rulesForProfile(catalog, Profile.RESTRICTED, 22))).toEqual(['pss-capabilities_restricted', 'pss-sysctls']);
});

test('hardened adds the rest of the catalog', () => {
  expect(ids(rulesForProfile(catalog, Profile.HARDENED, 37))).toEqual(['pss-capabilities_restricted', 'pss-sysctls', 'pss-late', 'other']);
});

test('a versioned check runs the newest behaviour not newer than the version', () => {
  const ctx = (minor: number) => ({ profile: Profile.BASELINE, pssVersion: `1.${minor}`, pssMinor: minor, options: {}, knownRuleIds: [] });
  const p = { apiVersion: 'v1', kind: 'Pod', spec: {} };
  expect(sysctls.check(p, ctx(26))[0].message).toBe('sysctls@1.0');
  expect(sysctls.check(p, ctx(27))[0].message).toBe('sysctls@1.27');
  expect(late.check(p, ctx(33))).toEqual([]);
  expect(sysctls.check({ kind: 'ConfigMap' }, ctx(30))).toEqual([]);
});
