/**
 * Conformance with Kubernetes pod-security-admission: every upstream PSA test fixture, at
 * its level and policy version, must be judged exactly as PSA judges it. Pods in pass/ yield
 * no finding; pods in fail/ yield a finding of the check the file is named after (or, at the
 * restricted level, of the restricted check that replaces it, as PSA's OverrideCheckIDs do).
 */
import * as fs from 'fs';
import { Engine } from '../../../src/engine/engine';
import { Profile } from '../../../src/engine/types';
import { PSS_RULES } from '../../../src/rules/pss';
import { PSA_FIXTURE_COUNT, psaFixtures } from '../../fixtures/psa';

/** Fixture file names are lowercased check ids: map them back to PSA's spelling. */
const CHECK_IDS = new Map<string, string>(
  PSS_RULES.map((r) => [r.metadata.pss!.checkId.toLowerCase(), r.metadata.pss!.checkId]),
);

/** At the restricted level, these baseline checks are replaced by a restricted check. */
const REPLACED_BY: { [baseline: string]: string } = {
  capabilities_baseline: 'capabilities_restricted',
  seccompProfile_baseline: 'seccompProfile_restricted',
  hostPathVolumes: 'restrictedVolumes',
  procMount: 'procMount_restricted',
};

// throws (failing the suite) if the fixture folder is missing
const fixtures = psaFixtures();

/** `capabilities_baseline3.yaml` -> `capabilities_baseline`. */
function fileCheck(name: string): string {
  return name.replace(/\d*\.yaml$/, '');
}

const engines = new Map<string, Engine>();
function engineFor(level: string, version: string): Engine {
  const key = `${level}/${version}`;
  let e = engines.get(key);
  if (!e) {
    e = new Engine({ profile: level === 'baseline' ? Profile.BASELINE : Profile.RESTRICTED, pssVersion: version });
    engines.set(key, e);
  }
  return e;
}

test('the fixture corpus is complete', () => {
  expect(fixtures.length).toBe(PSA_FIXTURE_COUNT);
});

test('every fail/ fixture names a known check', () => {
  const unknown = fixtures.filter((f) => f.outcome === 'fail' && !CHECK_IDS.has(fileCheck(f.name)));
  expect(unknown.map((f) => f.name)).toEqual([]);
});

const levels = [...new Set(fixtures.map((f) => f.level))];
describe.each(levels)('%s', (level) => {
  const versions = [...new Set(fixtures.filter((f) => f.level === level).map((f) => f.version))];
  describe.each(versions)('%s', (version) => {
    const here = fixtures.filter((f) => f.level === level && f.version === version);
    const pass = here.filter((f) => f.outcome === 'pass');
    const fail = here.filter((f) => f.outcome === 'fail');

    test.each(pass.map((f) => [f.name, f] as const))('pass/%s is allowed', (_name, f) => {
      const report = engineFor(level, version).checkText(fs.readFileSync(f.file, 'utf8'), f.file);
      expect(report.errors).toEqual([]);
      expect(report.findings.map((x) => `${x.ruleId} ${x.path}: ${x.message}`)).toEqual([]);
    });

    test.each(fail.map((f) => [f.name, f] as const))('fail/%s is rejected by its check', (_name, f) => {
      const checkId = CHECK_IDS.get(fileCheck(f.name))!;
      const accepted = [`pss:${checkId}`];
      if (level === 'restricted' && REPLACED_BY[checkId]) accepted.push(`pss:${REPLACED_BY[checkId]}`);
      const report = engineFor(level, version).checkText(fs.readFileSync(f.file, 'utf8'), f.file);
      expect(report.errors).toEqual([]);
      const matching = report.findings.filter((x) => x.controls.some((c) => accepted.includes(c)));
      if (matching.length === 0) {
        throw new Error(`${level}/${version}/fail/${f.name}: expected a finding of ${accepted.join(' or ')}, got ${JSON.stringify(report.findings.map((x) => x.ruleId))}`);
      }
    });
  });
});
