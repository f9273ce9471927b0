import * as fs from 'fs';
import * as path from 'path';
import { privilegedDeployment, runCli, SHORT_REASON_CONFIGMAP, SUPPRESSED_POD, tempTree } from './helpers';
import { main } from '../../src/cli/main';

// Exact assertions use the baseline profile: its rules are exactly the Pod Security
// Standards baseline checks, which the fixtures here trigger only through pss-privileged.
const BASELINE = ['--profile', 'baseline'];

function json(stdout: string): any {
  return JSON.parse(stdout);
}

describe('exit codes', () => {
  test('0 when nothing is found', async () => {
    const dir = tempTree({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: b}\ndata: {x: "1"}\n' });
    const r = await runCli(['check', ...BASELINE, path.join(dir, 'cm.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no findings');
  });

  test('1 when there is an unsuppressed finding', async () => {
    const dir = tempTree({ 'd.yaml': privilegedDeployment('web', 'shop') });
    const r = await runCli(['check', ...BASELINE, path.join(dir, 'd.yaml')]);
    expect(r.code).toBe(1);
  });

  test('the default profile is hardened and finds at least what baseline finds', async () => {
    const dir = tempTree({ 'd.yaml': privilegedDeployment('web', 'shop') });
    const r = await runCli(['check', '--format', 'json', path.join(dir, 'd.yaml')]);
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.profile).toBe('hardened');
    expect(report.findings.map((f: any) => f.ruleId)).toContain('pss-privileged');
  });

  test('0 when the only findings are suppressed', async () => {
    const dir = tempTree({ 'p.yaml': SUPPRESSED_POD });
    const r = await runCli(['check', ...BASELINE, '--format', 'json', path.join(dir, 'p.yaml')]);
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.summary).toEqual({ files: 1, objects: 1, findings: 0, suppressed: 1, errors: 0, unchecked: 0 });
  });

  test('2 for input errors even when there are findings', async () => {
    const dir = tempTree({ 'd.yaml': privilegedDeployment('web', 'shop'), 'bad.yaml': 'a: [\n' });
    const r = await runCli(['check', ...BASELINE, dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('pss-privileged');
  });

  test('2 for usage errors, with a message and no stack trace', async () => {
    for (const argv of [
      ['check', '--profile', 'strict', '.'],
      ['check', '--pss-version', 'v2.1', '.'],
      ['check', '--pss-version', 'banana', '.'],
      ['check', '--format', 'xml', '.'],
      ['check', '--fail-on', 'severe', '.'],
      ['check', '--no-such-flag', '.'],
      ['check', '--format'],
      ['check', '--output'],
      ['check', '-', '-'],
      ['check'],
      ['chekc'],
      [],
    ]) {
      const r = await runCli(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(/^kubeharden: |^Usage: kubeharden/);
      expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    }
  });

  test('usage messages name the problem and suggest a fix', async () => {
    expect((await runCli(['check', '--profile', 'strict', '.'])).stderr)
      .toContain('invalid value "strict" for --profile: expected baseline, restricted, hardened');
    expect((await runCli(['check', '--profil=baseline', '.'])).stderr).toContain('did you mean --profile?');
    expect((await runCli(['check', '--pss-version', 'v2.1', '.'])).stderr).toContain('invalid --pss-version "v2.1"');
    expect((await runCli(['chek'])).stderr).toContain('unknown command "chek"; did you mean "check"?');
    expect((await runCli(['check'])).stderr).toContain('no input');
  });

  test('--pss-version accepts latest, v1.N and 1.N', async () => {
    const dir = tempTree({ 'd.yaml': privilegedDeployment('web') });
    for (const v of ['latest', 'v1.0', '1.25', 'v1.99']) {
      const r = await runCli(['check', ...BASELINE, '--pss-version', v, path.join(dir, 'd.yaml')]);
      expect({ v, code: r.code }).toEqual({ v, code: 1 });
    }
  });
});

describe('--fail-on', () => {
  // One critical (pss-privileged) and one medium (invalid-suppression) finding.
  const files = { 'd.yaml': privilegedDeployment('web', 'shop'), 'cm.yaml': SHORT_REASON_CONFIGMAP };

  test.each([
    ['low', 1], ['medium', 1], ['high', 1], ['critical', 1],
  ])('with a critical finding, --fail-on %s exits %d', async (failOn, code) => {
    const dir = tempTree(files);
    expect((await runCli(['check', ...BASELINE, '--fail-on', failOn as string, dir])).code).toBe(code);
  });

  test.each([
    ['low', 1], ['medium', 1], ['high', 0], ['critical', 0],
  ])('with only a medium finding, --fail-on %s exits %d', async (failOn, code) => {
    const dir = tempTree({ 'cm.yaml': SHORT_REASON_CONFIGMAP });
    const r = await runCli(['check', ...BASELINE, '--fail-on', failOn as string, dir]);
    expect(r.code).toBe(code);
    // The report is the same whatever the threshold.
    expect(r.stdout).toContain('invalid-suppression');
  });

  test('suppressed findings never fail the run', async () => {
    const dir = tempTree({ 'p.yaml': SUPPRESSED_POD });
    expect((await runCli(['check', ...BASELINE, '--fail-on', 'low', dir])).code).toBe(0);
  });
});

describe('inputs', () => {
  test('several paths are all checked, in order', async () => {
    const dir = tempTree({ 'one.yaml': privilegedDeployment('one'), 'two.yml': privilegedDeployment('two') });
    const r = await runCli(['check', ...BASELINE, '--format', 'json', path.join(dir, 'two.yml'), path.join(dir, 'one.yaml')]);
    const report = json(r.stdout);
    expect(report.summary.files).toBe(2);
    expect(report.findings.map((f: any) => f.object.name)).toEqual(['two', 'one']);
  });

  test('directories are read as kubectl apply -f DIR -R reads them: yaml, yml, json, hidden ones included, version-control folders skipped and listed', async () => {
    const dir = tempTree({
      'a/deploy.yaml': privilegedDeployment('a'),
      'a/b/c/deploy.yml': privilegedDeployment('deep'),
      'j/pod.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'json' },
        spec: { containers: [{ name: 'c', image: 'i', securityContext: { privileged: true } }] },
      }),
      'README.md': '# not a manifest: [',
      'notes.txt': 'kind: [',
      '.hidden/deploy.yaml': privilegedDeployment('hidden'),
      '.dot.yaml': privilegedDeployment('dotfile'),
      'UPPER.YAML': privilegedDeployment('upper'),
      '.git/objects/x.yaml': privilegedDeployment('in-git'),
    });
    const r = await runCli(['check', ...BASELINE, '--format', 'json', dir]);
    const report = json(r.stdout);
    expect(report.errors).toEqual([]);
    expect(report.summary.files).toBe(5);
    // kubectl applies hidden files; it matches extensions exactly (UPPER.YAML is not a manifest to it)
    expect(report.findings.map((f: any) => f.object.name).sort()).toEqual(['a', 'deep', 'dotfile', 'hidden', 'json']);
    expect(report.skipped).toEqual([{ path: path.join(dir, '.git'), reason: 'version-control folder' }]);
  });

  test('multi-document files and kind: List are all checked with their lines', async () => {
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: in-list}',
      '  spec:',
      '    containers:',
      '    - name: c',
      '      securityContext: {privileged: true}',
      '',
    ].join('\n');
    const dir = tempTree({ 'all.yaml': `${privilegedDeployment('first')}---\n${list}` });
    const r = await runCli(['check', ...BASELINE, '--format', 'json', path.join(dir, 'all.yaml')]);
    const report = json(r.stdout);
    expect(report.findings.map((f: any) => [f.object.name, f.line])).toEqual([['first', 12], ['in-list', 23]]);
  });

  test('standard input with "-"', async () => {
    const r = await runCli(['check', ...BASELINE, '--format', 'json', '-'], { stdin: privilegedDeployment('piped', 'ns') });
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.findings[0]).toMatchObject({ file: '-', line: 13, object: { name: 'piped', namespace: 'ns' } });
  });

  test('standard input without a path when it is not a TTY', async () => {
    const r = await runCli(['check', ...BASELINE, '--format', 'json'], { stdin: privilegedDeployment('piped') });
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings[0].file).toBe('-');
  });

  test('no path and a TTY on standard input is a usage error', async () => {
    const r = await runCli(['check', ...BASELINE]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no input');
  });

  test('standard input arriving in chunks, split inside a document and inside a UTF-8 character', async () => {
    const text = Buffer.from(privilegedDeployment('naïve-ünïcode').replace('name: app', 'name: äpp'));
    const cut1 = text.indexOf(Buffer.from('ï')) + 1; // inside the two-byte character
    const cut2 = text.indexOf(Buffer.from('spec:')) + 2;
    const chunks = [text.subarray(0, cut1), text.subarray(cut1, cut2), text.subarray(cut2)];
    const r = await runCli(['check', ...BASELINE, '--format', 'json', '-'], { stdin: chunks });
    const report = json(r.stdout);
    expect(report.errors).toEqual([]);
    expect(report.findings[0].object.name).toBe('naïve-ünïcode');
    expect(report.findings[0].message).toContain('äpp');
  });

  test('standard input and files together', async () => {
    const dir = tempTree({ 'f.yaml': privilegedDeployment('file') });
    const r = await runCli(['check', ...BASELINE, '--format', 'json', path.join(dir, 'f.yaml'), '-'], { stdin: privilegedDeployment('piped') });
    const report = json(r.stdout);
    expect(report.summary.files).toBe(2);
    expect(report.findings.map((f: any) => f.file)).toEqual([path.join(dir, 'f.yaml'), '-']);
  });

  test('a path after -- is a path even if it looks like a flag', async () => {
    const dir = tempTree({ '--odd.yaml': privilegedDeployment('odd') });
    const r = await runCli(['check', ...BASELINE, '--format', 'json', '--', path.join(dir, '--odd.yaml')]);
    expect(json(r.stdout).findings).toHaveLength(1);
  });
});

describe('bad input is located and the other inputs are still checked', () => {
  const files = {
    '1-malformed.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n',
    '2-scalar.yaml': '42\n',
    '3-sequence.yaml': '- a\n- b\n',
    '4-no-kind.yaml': 'apiVersion: v1\nmetadata: {name: x}\n',
    '5-no-apiversion.yaml': 'kind: Pod\nmetadata: {name: x}\n',
    '6-good.yaml': privilegedDeployment('still-checked'),
    '7-bad.json': '{"apiVersion": "v1", "kind": ',
  };

  test('json report: every error with file:line:column, the good file checked', async () => {
    const dir = tempTree(files);
    const missing = path.join(dir, 'missing.yaml');
    const r = await runCli(['check', ...BASELINE, '--format', 'json', dir, missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const report = json(r.stdout);
    expect(report.findings.map((f: any) => f.object.name)).toEqual(['still-checked']);
    const byFile = new Map<string, any>(report.errors.map((e: any) => [path.basename(e.file), e]));
    expect([...byFile.keys()].sort()).toEqual([
      '1-malformed.yaml', '2-scalar.yaml', '3-sequence.yaml', '4-no-kind.yaml', '5-no-apiversion.yaml', '7-bad.json', 'missing.yaml',
    ]);
    for (const [name, e] of byFile) {
      expect(typeof e.message).toBe('string');
      expect(e.message.length).toBeGreaterThan(5);
      if (name !== 'missing.yaml') {
        expect({ name, line: e.line >= 1, column: e.column >= 1 }).toEqual({ name, line: true, column: true });
      }
    }
    expect(byFile.get('1-malformed.yaml').line).toBeGreaterThanOrEqual(4);
    expect(byFile.get('4-no-kind.yaml').message).toContain('kind');
    expect(byFile.get('5-no-apiversion.yaml').message).toContain('apiVersion');
    expect(byFile.get('missing.yaml').message).toContain('no such file');
    expect(report.summary.errors).toBe(7);
  });

  test('text report: errors as file:line:column: message', async () => {
    const dir = tempTree(files);
    const r = await runCli(['check', ...BASELINE, dir, path.join(dir, 'missing.yaml')]);
    expect(r.code).toBe(2);
    const errorLines = r.stdout.split('\n').filter((l) => l.startsWith('  ') && l.includes(dir) && !l.includes('Deployment'));
    expect(errorLines.some((l) => new RegExp(`^  ${escape(path.join(dir, '2-scalar.yaml'))}:1:1: not a Kubernetes object`).test(l))).toBe(true);
    expect(r.stdout).toContain(`${path.join(dir, 'missing.yaml')}: cannot read: no such file or directory`);
    expect(r.stdout).toContain('still-checked');
    expect(r.stdout).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  test('an unreadable path alone', async () => {
    const r = await runCli(['check', '/definitely/not/here.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('/definitely/not/here.yaml: cannot read: no such file or directory');
    expect(r.stdout).toMatch(/1 error/);
  });

  test('a dangling symlink inside a directory', async () => {
    const dir = tempTree({ 'good.yaml': privilegedDeployment('ok') });
    fs.symlinkSync(path.join(dir, 'nowhere.yaml'), path.join(dir, 'link.yaml'));
    const r = await runCli(['check', ...BASELINE, '--format', 'json', dir]);
    expect(r.code).toBe(2);
    const report = json(r.stdout);
    expect(report.errors.map((e: any) => path.basename(e.file))).toEqual(['link.yaml']);
    expect(report.findings).toHaveLength(1);
  });

  test('a YAML alias bomb is refused with a located error, quickly', async () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const dir = tempTree({ 'bomb.yaml': `${lines.join('\n')}\n`, 'ok.yaml': privilegedDeployment('ok') });
    const r = await runCli(['check', ...BASELINE, '--format', 'json', dir]);
    expect(r.code).toBe(2);
    const report = json(r.stdout);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ file: path.join(dir, 'bomb.yaml'), line: expect.any(Number) });
    expect(report.errors[0].line).toBeGreaterThanOrEqual(1);
    expect(report.findings.map((f: any) => f.object.name)).toEqual(['ok']);
  });

  test('malformed YAML on standard input is located in "-"', async () => {
    const r = await runCli(['check', '--format', 'json', '-'], { stdin: 'apiVersion: v1\nkind: Pod\n  bad: indent\n' });
    expect(r.code).toBe(2);
    const e = json(r.stdout).errors[0];
    expect(e.file).toBe('-');
    expect(e.line).toBeGreaterThanOrEqual(2);
  });
});

describe('--output', () => {
  test('writes the report to a file, without colour, and summarises on stderr', async () => {
    const dir = tempTree({ 'd.yaml': privilegedDeployment('web') });
    const out = path.join(dir, 'report.txt');
    const r = await runCli(['check', ...BASELINE, '-o', out, path.join(dir, 'd.yaml')], { stdoutIsTTY: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`report written to ${out}`);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('pss-privileged');
    expect(text).not.toContain('\u001b[');
  });

  test('--output=file with --format sarif', async () => {
    const dir = tempTree({ 'd.yaml': privilegedDeployment('web') });
    const out = path.join(dir, 'kubeharden.sarif');
    const r = await runCli(['check', ...BASELINE, '--format=sarif', `--output=${out}`, path.join(dir, 'd.yaml')]);
    expect(r.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });

  test('an unwritable output is a clear error', async () => {
    const dir = tempTree({ 'd.yaml': privilegedDeployment('web') });
    const r = await runCli(['check', '--output', path.join(dir, 'no', 'such', 'dir', 'r.json'), path.join(dir, 'd.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubeharden: cannot write .*r\.json: ENOENT/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('failures of the process around the CLI', () => {
  test('a standard input that fails mid-read is an input error of "-", not a crash', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield privilegedDeployment('partial');
      throw Object.assign(new Error('read failed'), { code: 'EIO' });
    }
    let stdout = '';
    const code = await main(['check', '--profile', 'baseline', '--format', 'json', '-'], {
      stdout: { write: (t: string) => { stdout += t; } },
      stderr: { write: () => undefined },
      stdin: failing(),
    });
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.errors).toEqual([{ file: '-', line: 0, column: 0, message: 'cannot read standard input: EIO' }]);
    expect(report.findings.map((f: any) => f.object.name)).toEqual(['partial']);
  });

  test('an unexpected internal error gives a one-line message and exit 2, the stack only with KUBEHARDEN_DEBUG', async () => {
    for (const debug of [undefined, '1']) {
      let stderr = '';
      const code = await main(['rules'], {
        stdout: { write: () => { throw new Error('stdout exploded'); } },
        stderr: { write: (t: string) => { stderr += t; } },
        env: { KUBEHARDEN_DEBUG: debug },
      });
      expect(code).toBe(2);
      expect(stderr).toMatch(/^kubeharden: internal error: stdout exploded\n/);
      if (debug) expect(stderr).toMatch(/\n\s+at /);
      else expect(stderr).not.toMatch(/\n\s+at /);
    }
  });
});
