/**
 * The SARIF log is for GitHub code scanning, which rejects a whole upload that breaks one
 * of its limits (20 tags a rule, 25,000 results a run, ...): every log of the rules'
 * fixtures and of examples/insecure is checked against the SARIF 2.1.0 schema and all
 * of GitHub's documented limits, and the limits that inputs can reach are enforced.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tempTree } from './helpers';
import { githubProblems, schemaProblems } from './sarif-check';
import { GITHUB_SARIF_LIMITS, ruleTags, sarifLog } from '../../src/cli/format-sarif';
import { TOOL } from '../../src/engine/engine';
import { Finding, Profile, Report, RuleMetadata, Severity } from '../../src/engine/types';
import { Rules } from '../../src/rules/catalog';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every test/rules/**\/fixtures/*.yaml. */
function ruleFixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string, inFixtures: boolean) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, inFixtures || e.name === 'fixtures');
      else if (inFixtures && /\.ya?ml$/.test(e.name)) out.push(path.relative(ROOT, p));
    }
  };
  walk(path.join(ROOT, 'test', 'rules'), false);
  return out.sort();
}

function expectAccepted(log: unknown, text?: string): void {
  expect(schemaProblems(log)).toEqual([]);
  expect(githubProblems(log, text)).toEqual([]);
}

describe('the SARIF of every rule fixture and of examples/insecure is valid and within GitHub\'s limits', () => {
  const inputs = [...ruleFixtures(), 'examples/insecure'];

  test('there are fixtures to check', () => {
    expect(inputs.length).toBeGreaterThan(1);
  });

  test.each(inputs)('%s', async (input) => {
    for (const profile of Object.values(Profile)) {
      const r = await runCli(['check', '--profile', profile, '--format', 'sarif', input], { cwd: ROOT });
      expect({ input, profile, stderr: r.stderr }).toEqual({ input, profile, stderr: '' });
      const log = JSON.parse(r.stdout);
      expectAccepted(log, r.stdout);
      expect(log.runs).toHaveLength(1);
      // the locations are repository paths GitHub can annotate
      for (const result of log.runs[0].results) {
        expect(result.locations[0].physicalLocation.artifactLocation).toMatchObject({ uriBaseId: '%SRCROOT%', uri: expect.not.stringMatching(/^(\/|\.\.|file:)/) });
      }
    }
  });
});

describe('rule tags', () => {
  const rules = Rules.metadata();

  test(`no rule has more than ${GITHUB_SARIF_LIMITS.tagsPerRule} tags; the first ${GITHUB_SARIF_LIMITS.tagsShownPerRule}, which GitHub shows, are the most useful`, () => {
    for (const m of rules) {
      const tags = ruleTags(m);
      expect({ id: m.id, over: tags.length > GITHUB_SARIF_LIMITS.tagsPerRule }).toEqual({ id: m.id, over: false });
      expect(new Set(tags).size).toBe(tags.length);
      const lowest = ['baseline', 'restricted', 'hardened'].find((p) => (m.profiles as string[]).includes(p));
      expect(tags.slice(0, 4)).toEqual(['security', 'kubernetes', m.category, `profile:${lowest}`]);
      // the Pod Security Standards, CIS and NSA/CISA controls come before the other tools' checks
      const shown = tags.slice(0, GITHUB_SARIF_LIMITS.tagsShownPerRule);
      const standards = m.controls.filter((c) => /^(pss|cis|nsa):/.test(c));
      for (const c of standards.slice(0, GITHUB_SARIF_LIMITS.tagsShownPerRule - 4)) {
        expect({ id: m.id, c, shown: shown.includes(c) }).toEqual({ id: m.id, c, shown: true });
      }
      // only controls are ever left out, and only the last ones
      const controls = tags.slice(4);
      expect(controls).toEqual([...standards, ...m.controls.filter((c) => !/^(pss|cis|nsa):/.test(c))].slice(0, controls.length));
    }
  });

  test('pss-host-namespaces, with 18 controls, keeps 20 tags, its Pod Security Standards check shown', () => {
    const m = Rules.find('pss-host-namespaces')!.metadata;
    expect(m.controls.length + 4).toBeGreaterThan(GITHUB_SARIF_LIMITS.tagsPerRule);
    const tags = ruleTags(m);
    expect(tags).toHaveLength(GITHUB_SARIF_LIMITS.tagsPerRule);
    expect(tags.slice(0, 5)).toEqual(['security', 'kubernetes', 'pod-security', 'profile:baseline', 'pss:hostNamespaces']);
  });

  test('the SARIF log carries these tags, and every control stays in the help text', async () => {
    const r = await runCli(['check', '--format', 'sarif', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: b}\n' });
    const driver = JSON.parse(r.stdout).runs[0].tool.driver;
    for (const rule of driver.rules) {
      const m = Rules.find(rule.id)!.metadata;
      expect(rule.properties.tags).toEqual(ruleTags(m));
      for (const c of m.controls) expect(rule.help.text).toContain(c);
    }
  });
});

describe('runs, results and rules', () => {
  test('a clean run has a results array, empty', async () => {
    const dir = tempTree({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: b}\n' });
    const r = await runCli(['check', '--format', 'sarif', dir], { cwd: dir });
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.rulesPerRun);
    expectAccepted(log, r.stdout);
  });

  /** A report of `n` findings: one in ten critical, the rest low, every fifth suppressed. */
  function bigReport(n: number): Report {
    const findings: Finding[] = [];
    for (let i = 0; i < n; i++) {
      findings.push({
        ruleId: i % 10 === 0 ? 'pss-privileged' : 'cpu-requests',
        severity: i % 10 === 0 ? Severity.CRITICAL : Severity.LOW,
        controls: [],
        message: `finding ${i}`,
        object: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: `p${i}` },
        file: 'pods.yaml',
        line: i + 1,
        path: 'spec',
        suppressed: i % 5 === 1,
        ...(i % 5 === 1 ? { suppressionReason: 'a reason that is long enough' } : {}),
      });
    }
    const suppressed = findings.filter((f) => f.suppressed).length;
    return {
      tool: TOOL,
      profile: Profile.HARDENED,
      summary: { files: 1, objects: n, findings: n - suppressed, suppressed, errors: 0, unchecked: 0 },
      findings,
      errors: [],
    };
  }

  test(`past ${GITHUB_SARIF_LIMITS.resultsPerRun} results, the most severe are kept, unsuppressed first, and a notification says how many were left out`, () => {
    const n = GITHUB_SARIF_LIMITS.resultsPerRun + 5_000;
    const report = bigReport(n);
    const log: any = sarifLog(report, { rules: Rules.metadata(), cwd: ROOT });
    const text = JSON.stringify(log);
    const results = log.runs[0].results;
    expect(results).toHaveLength(GITHUB_SARIF_LIMITS.resultsPerRun);
    // every critical finding is kept; the suppressed low ones go first
    expect(results.filter((x: any) => x.ruleId === 'pss-privileged')).toHaveLength(n / 10);
    const keptSuppressedLow = results.filter((x: any) => x.ruleId === 'cpu-requests' && x.suppressions).length;
    expect(keptSuppressedLow).toBe(report.findings.filter((f) => f.suppressed && f.severity === Severity.LOW).length - 5_000);
    // in the report's order
    const lines = results.map((x: any) => x.locations[0].physicalLocation.region.startLine);
    expect(lines).toEqual([...lines].sort((a: number, b: number) => a - b));
    const notes = log.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toEqual([{ level: 'warning', message: { text: expect.stringContaining(`5000 of ${n} findings are not in this SARIF log`) } }]);
    expect(githubProblems(log, text)).toEqual([]);
    expect(schemaProblems(log)).toEqual([]);
  });

  test('at the limit nothing is left out', () => {
    const log: any = sarifLog(bigReport(GITHUB_SARIF_LIMITS.resultsPerRun), { rules: Rules.metadata(), cwd: ROOT });
    expect(log.runs[0].results).toHaveLength(GITHUB_SARIF_LIMITS.resultsPerRun);
    expect(log.runs[0].invocations[0].toolExecutionNotifications).toEqual([]);
  });

  test('names and descriptions keep within GitHub\'s lengths, and required texts are never empty', () => {
    const long: RuleMetadata = {
      id: `custom-${'x'.repeat(300)}`,
      title: 'T'.repeat(1500),
      severity: Severity.HIGH,
      category: 'custom',
      profiles: [Profile.HARDENED],
      controls: Array.from({ length: 30 }, (_, i) => `tool:check-${i}`),
      rationale: 'word '.repeat(400),
      remediation: 'fix it',
      kinds: ['Pod'],
    };
    const empty: RuleMetadata = { ...long, id: 'custom-empty', title: '', rationale: '', controls: [] };
    const report = bigReport(1);
    const log: any = sarifLog(report, { rules: [...Rules.metadata(), long, empty], cwd: ROOT });
    expect(githubProblems(log, JSON.stringify(log))).toEqual([]);
    expect(schemaProblems(log)).toEqual([]);
    const rule = log.runs[0].tool.driver.rules.find((x: any) => x.id === long.id);
    expect(rule.name.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.ruleNameLength);
    expect(rule.shortDescription.text.length).toBeLessThanOrEqual(GITHUB_SARIF_LIMITS.descriptionLength);
    expect(rule.fullDescription.text).toMatch(/word\u2026$/);
    expect(rule.properties.tags).toHaveLength(GITHUB_SARIF_LIMITS.tagsPerRule);
  });
});

describe('the checker itself', () => {
  test('rejects what GitHub rejects', async () => {
    const r = await runCli(['check', '--format', 'sarif', '-'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}\n' });
    const good = JSON.parse(r.stdout);
    expect(githubProblems(good)).toEqual([]);
    const broken = JSON.parse(r.stdout);
    broken.runs[0].tool.driver.rules[0].properties.tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    delete broken.runs[0].results[0].partialFingerprints;
    broken.runs[0].results[0].message.text = '';
    expect(githubProblems(broken)).toEqual([
      expect.stringContaining('21 tags: more than 20'),
      expect.stringContaining('message.text must be a non-empty string'),
      expect.stringContaining('partialFingerprints are required'),
    ]);
    const noResults = JSON.parse(r.stdout);
    delete noResults.runs[0].results;
    expect(githubProblems(noResults)).toEqual([expect.stringContaining('results must be an array')]);
    const tooManyRuns = { ...good, runs: Array.from({ length: 21 }, () => good.runs[0]) };
    expect(githubProblems(tooManyRuns)).toEqual([expect.stringContaining('21 runs: more than 20')]);
    const invalid = JSON.parse(r.stdout);
    invalid.runs[0].results[0].level = 'fatal';
    invalid.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(schemaProblems(invalid).length).toBeGreaterThanOrEqual(2);
  });
});
