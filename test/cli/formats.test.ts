import * as path from 'path';
import { privilegedDeployment, runCli, SHORT_REASON_CONFIGMAP, SUPPRESSED_POD, tempTree } from './helpers';
import { Rules } from '../../src/rules/catalog';

const BASELINE = ['--profile', 'baseline'];
const ESC = '\u001b[';

/** Two files: one with two objects (one suppressed), one with two findings on one object. */
function fixture(): { dir: string; first: string; second: string } {
  const twoContainers = privilegedDeployment('api', 'shop').replace(
    '      containers:\n',
    '      initContainers:\n      - name: init\n        securityContext: {privileged: true}\n      containers:\n',
  );
  const dir = tempTree({
    'a.yaml': `${privilegedDeployment('web', 'shop')}---\n${SUPPRESSED_POD}`,
    'b.yaml': twoContainers,
  });
  return { dir, first: path.join(dir, 'a.yaml'), second: path.join(dir, 'b.yaml') };
}

describe('text format', () => {
  test('grouped by file, then object, with file:line, severity, rule id, message and path', async () => {
    const { first, second } = fixture();
    const r = await runCli(['check', ...BASELINE, first, second]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const fileHeadings = lines.filter((l) => /^\S/.test(l) && l.endsWith('.yaml'));
    expect(fileHeadings).toEqual([first, second]);
    const objectHeadings = lines.filter((l) => /^ {2}\S/.test(l));
    expect(objectHeadings).toEqual(['  Deployment shop/web', '  Pod kube-system/cni', '  Deployment shop/api']);
    // Both findings of api sit under one heading, in line order.
    const api = lines.slice(lines.indexOf('  Deployment shop/api'));
    expect(api[1]).toMatch(new RegExp(`^ {4}${escape(second)}:11 +critical +pss-privileged +init container "init" must not`));
    expect(api[2]).toBe('      at spec.template.spec.initContainers[0].securityContext.privileged');
    expect(api[3]).toMatch(new RegExp(`^ {4}${escape(second)}:16 +critical +pss-privileged +container "app"`));
    expect(api[4]).toBe('      at spec.template.spec.containers[0].securityContext.privileged');
  });

  test('suppressed findings are shown, marked with their reason', async () => {
    const { first } = fixture();
    const r = await runCli(['check', ...BASELINE, first]);
    const lines = r.stdout.split('\n');
    const pod = lines.indexOf('  Pod kube-system/cni');
    expect(lines[pod + 1]).toContain('pss-privileged');
    expect(lines[pod + 3]).toBe('      suppressed: the CNI agent programs host networking');
  });

  test('one summary line, last', async () => {
    const { first, second } = fixture();
    const r = await runCli(['check', ...BASELINE, first, second]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe('3 findings (3 critical), 1 suppressed, 0 errors; 3 objects in 2 files; profile baseline');
    expect(lines.filter((l) => l.includes('objects in'))).toHaveLength(1);
  });

  test('clean summary', async () => {
    const dir = tempTree({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    const r = await runCli(['check', ...BASELINE, dir]);
    expect(r.stdout).toBe('no findings, 0 suppressed, 0 errors; 1 object in 1 file; profile baseline\n');
  });

  test('mixed severities are counted in the summary, most serious first', async () => {
    const dir = tempTree({ 'cm.yaml': SHORT_REASON_CONFIGMAP, 'd.yaml': privilegedDeployment('web') });
    const r = await runCli(['check', ...BASELINE, dir]);
    expect(r.stdout).toContain('2 findings (1 critical, 1 medium)');
    expect(r.stdout).toContain('  ConfigMap shop/settings');
  });

  test('cluster-scoped and unnamed objects', async () => {
    const dir = tempTree({ 'p.yaml': bareObjects() });
    const r = await runCli(['check', ...BASELINE, dir]);
    expect(r.stdout).toContain('  Pod (unnamed)\n');
    expect(r.stdout).toContain('  ClusterRole reader\n');
  });

  test('standard input is headed as such', async () => {
    const r = await runCli(['check', ...BASELINE, '-'], { stdin: privilegedDeployment('web') });
    expect(r.stdout.split('\n')[0]).toBe('- (standard input)');
    expect(r.stdout).toMatch(/^ {4}-:12 +critical/m);
  });

  describe('colour', () => {
    test('on when standard output is a TTY', async () => {
      const { first } = fixture();
      const r = await runCli(['check', ...BASELINE, first], { stdoutIsTTY: true });
      expect(r.stdout).toContain(ESC);
      expect(stripAnsi(r.stdout)).toBe((await runCli(['check', ...BASELINE, first])).stdout);
    });

    test('off when standard output is not a TTY', async () => {
      const { first } = fixture();
      expect((await runCli(['check', ...BASELINE, first])).stdout).not.toContain(ESC);
    });

    test('off on a TTY when NO_COLOR is set, even with FORCE_COLOR', async () => {
      const { first } = fixture();
      for (const env of [{ NO_COLOR: '1' }, { NO_COLOR: 'true', FORCE_COLOR: '1' }]) {
        expect((await runCli(['check', ...BASELINE, first], { stdoutIsTTY: true, env })).stdout).not.toContain(ESC);
      }
    });

    test('an empty NO_COLOR does not disable colour', async () => {
      const { first } = fixture();
      expect((await runCli(['check', ...BASELINE, first], { stdoutIsTTY: true, env: { NO_COLOR: '' } })).stdout).toContain(ESC);
    });

    test('FORCE_COLOR turns it on off a TTY; FORCE_COLOR=0 turns it off on a TTY', async () => {
      const { first } = fixture();
      expect((await runCli(['check', ...BASELINE, first], { env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
      expect((await runCli(['check', ...BASELINE, first], { stdoutIsTTY: true, env: { FORCE_COLOR: '0' } })).stdout).not.toContain(ESC);
    });

    test('never in json or sarif', async () => {
      const { first } = fixture();
      for (const format of ['json', 'sarif']) {
        const r = await runCli(['check', ...BASELINE, '--format', format, first], { stdoutIsTTY: true, env: { FORCE_COLOR: '1' } });
        expect(r.stdout).not.toContain(ESC);
      }
    });
  });
});

describe('json format', () => {
  test('exact shape, key order and nulls', async () => {
    const { first, second } = fixture();
    const r = await runCli(['check', ...BASELINE, '--format', 'json', first, second]);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['tool', 'profile', 'summary', 'findings', 'errors', 'skipped', 'unchecked', 'notes']);
    expect(Object.keys(report.tool)).toEqual(['name', 'version']);
    expect(report.tool.name).toBe('kubeharden');
    expect(report.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.profile).toBe('baseline');
    expect(report.summary).toEqual({ files: 2, objects: 3, findings: 3, suppressed: 1, errors: 0, unchecked: 0 });
    expect(Object.keys(report.summary)).toEqual(['files', 'objects', 'findings', 'suppressed', 'errors', 'unchecked']);
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(['ruleId', 'severity', 'controls', 'message', 'object', 'file', 'line', 'path', 'suppressed', 'suppressionReason']);
      expect(Object.keys(f.object)).toEqual(['apiVersion', 'kind', 'namespace', 'name']);
    }
    expect(report.findings[0]).toEqual({
      ruleId: 'pss-privileged',
      severity: 'critical',
      controls: Rules.find('pss-privileged')!.metadata.controls,
      message: expect.stringContaining('container "app"'),
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      file: first,
      line: 13,
      path: 'spec.template.spec.containers[0].securityContext.privileged',
      suppressed: false,
      suppressionReason: null,
    });
    expect(report.findings[1]).toMatchObject({
      object: { kind: 'Pod', namespace: 'kube-system', name: 'cni' },
      suppressed: true,
      suppressionReason: 'the CNI agent programs host networking',
    });
    expect(report.errors).toEqual([]);
    expect(report.skipped).toEqual([]);
  });

  test('null namespace and name', async () => {
    const r = await runCli(['check', ...BASELINE, '--format', 'json', '-'], { stdin: bareObjects() });
    const objects = JSON.parse(r.stdout).findings.map((f: any) => f.object);
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'Pod', namespace: null, name: null },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: null, name: 'reader' },
    ]);
  });

  test('errors have file, line, column and message, in that order', async () => {
    const dir = tempTree({ 'bad.yaml': 'kind: Pod\n' });
    const r = await runCli(['check', '--format', 'json', dir]);
    const report = JSON.parse(r.stdout);
    expect(report.errors).toEqual([{ file: path.join(dir, 'bad.yaml'), line: 1, column: 1, message: expect.stringContaining('apiVersion') }]);
    expect(Object.keys(report.errors[0])).toEqual(['file', 'line', 'column', 'message']);
    expect(report.summary.errors).toBe(1);
  });

  test('two-space indentation and a trailing newline', async () => {
    const r = await runCli(['check', ...BASELINE, '--format', 'json', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    expect(r.stdout.startsWith('{\n  "tool": {\n    "name": "kubeharden",')).toBe(true);
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });
});

describe('sarif format', () => {
  async function sarif(args: string[], cwd: string, stdin?: string): Promise<any> {
    const r = await runCli(['check', ...BASELINE, '--format', 'sarif', ...args], { cwd, stdin });
    return { code: r.code, log: JSON.parse(r.stdout) };
  }

  test('SARIF 2.1.0 with the driver and every catalog rule', async () => {
    const { dir, first } = fixture();
    const { code, log } = await sarif([first], dir);
    expect(code).toBe(1);
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'kubeharden', version: expect.any(String), informationUri: expect.stringMatching(/^https:\/\//) });
    expect(driver.rules.map((r: any) => r.id)).toEqual(Rules.metadata().map((m) => m.id));
    for (const rule of driver.rules) {
      expect(rule).toMatchObject({
        id: expect.any(String),
        name: expect.stringMatching(/^[A-Za-z0-9]+$/),
        shortDescription: { text: expect.any(String) },
        fullDescription: { text: expect.any(String) },
        help: { text: expect.any(String), markdown: expect.any(String) },
        helpUri: expect.stringMatching(/^https:\/\//),
        defaultConfiguration: { level: expect.stringMatching(/^(error|warning|note)$/) },
      });
      expect(rule.properties.tags).toContain('security');
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
      expect(Number(rule.properties['security-severity'])).toBeLessThanOrEqual(10);
    }
    const privileged = driver.rules.find((r: any) => r.id === 'pss-privileged');
    expect(privileged.defaultConfiguration.level).toBe('error');
    expect(Number(privileged.properties['security-severity'])).toBeGreaterThanOrEqual(9);
    expect(privileged.help.markdown).toContain('**Fix.**');
  });

  test('results point at a relative forward-slash URI and a 1-based line', async () => {
    const dir = tempTree({ 'deploy/prod/web.yaml': privilegedDeployment('web', 'shop') });
    const { log } = await sarif([path.join(dir, 'deploy')], dir);
    const run = log.runs[0];
    expect(run.results).toHaveLength(1);
    const result = run.results[0];
    expect(result.ruleId).toBe('pss-privileged');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('pss-privileged');
    expect(result.level).toBe('error');
    expect(result.message.text).toContain('Deployment shop/web');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/prod/web.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 13 },
    });
    expect(Object.keys(result.partialFingerprints)).toHaveLength(1);
    expect(Object.values(result.partialFingerprints)[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(result.suppressions).toBeUndefined();
    expect(run.invocations[0].executionSuccessful).toBe(true);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([]);
  });

  test('fingerprints are stable when lines move and distinct per finding', async () => {
    const dir = tempTree({ 'a.yaml': privilegedDeployment('web'), 'b.yaml': `# moved down\n\n${privilegedDeployment('web')}` });
    const a = (await sarif([path.join(dir, 'a.yaml')], dir)).log.runs[0].results[0];
    const { fixture: f } = { fixture: fixture() };
    const many = (await sarif([f.second], f.dir)).log.runs[0].results;
    expect(new Set(many.map((r: any) => JSON.stringify(r.partialFingerprints))).size).toBe(2);
    // Same file name, same object, different line: same fingerprint.
    const moved = tempTree({ 'a.yaml': `# moved down\n\n${privilegedDeployment('web')}` });
    const b = (await sarif([path.join(moved, 'a.yaml')], moved)).log.runs[0].results[0];
    expect(b.locations[0].physicalLocation.region.startLine).toBe(a.locations[0].physicalLocation.region.startLine + 2);
    expect(b.partialFingerprints).toEqual(a.partialFingerprints);
  });

  test('suppressed findings carry an inSource suppression with the reason', async () => {
    const { dir, first } = fixture();
    const { log } = await sarif([first], dir);
    const suppressed = log.runs[0].results.filter((r: any) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].suppressions).toEqual([{ kind: 'inSource', justification: 'the CNI agent programs host networking' }]);
  });

  test('input errors are tool execution notifications', async () => {
    const dir = tempTree({ 'bad.yaml': 'a: [\n', 'good.yaml': privilegedDeployment('web') });
    const { code, log } = await sarif([dir, path.join(dir, 'gone.yaml')], dir);
    expect(code).toBe(2);
    const invocation = log.runs[0].invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    const notes = invocation.toolExecutionNotifications;
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatchObject({
      level: 'error',
      message: { text: expect.any(String) },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'bad.yaml' }, region: { startLine: expect.any(Number), startColumn: expect.any(Number) } } }],
    });
    expect(notes[1].locations[0].physicalLocation.artifactLocation.uri).toBe('gone.yaml');
    expect(notes[1].locations[0].physicalLocation.region).toBeUndefined();
    expect(log.runs[0].results).toHaveLength(1);
  });

  test('files outside the working directory get absolute file URIs; standard input is "stdin"', async () => {
    const dir = tempTree({ 'web.yaml': privilegedDeployment('web') });
    const elsewhere = tempTree({});
    const outside = (await sarif([path.join(dir, 'web.yaml')], elsewhere)).log.runs[0].results[0];
    expect(outside.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^file:\/\/\/.*\/web\.yaml$/);
    const piped = (await sarif(['-'], elsewhere, privilegedDeployment('web'))).log.runs[0].results[0];
    expect(piped.locations[0].physicalLocation.artifactLocation.uri).toBe('stdin');
  });
});

describe('secret values never appear in any format', () => {
  const SECRET_VALUES = ['hunter2-very-secret', 'c3VwZXItc2VjcmV0LWJhc2U2NA==', 'sk_live_abcdef123456'];
  const manifests = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: db, namespace: shop}',
    'type: Opaque',
    `stringData: {password: ${SECRET_VALUES[0]}}`,
    `data: {token: "${SECRET_VALUES[1]}"}`,
    '---',
    privilegedDeployment('web', 'shop').replace(
      '        securityContext:\n',
      `        env:\n        - name: API_KEY\n          value: ${SECRET_VALUES[2]}\n        securityContext:\n`,
    ),
  ].join('\n');

  test.each(['text', 'json', 'sarif'])('%s', async (format) => {
    for (const profile of ['baseline', 'restricted', 'hardened']) {
      const r = await runCli(['check', '--profile', profile, '--format', format, '-'], { stdin: manifests, stdoutIsTTY: true });
      expect(r.code).toBe(1);
      for (const value of SECRET_VALUES) {
        expect(r.stdout).not.toContain(value);
        expect(r.stderr).not.toContain(value);
      }
    }
  });
});

/** An unnamed privileged Pod, and a cluster-scoped object with a medium finding. */
function bareObjects(): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'spec:',
    '  containers:',
    '  - name: c',
    '    securityContext: {privileged: true}',
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata:',
    '  name: reader',
    '  annotations: {ignore.kubeharden.io/no-such-rule: "a reason long enough"}',
    'rules: []',
    '',
  ].join('\n');
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[\d+m/g, '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
