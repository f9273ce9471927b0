/**
 * Standard input in a pipeline: `--stdin-filename` puts its findings on a repository path
 * (as ESLint's option does), and an input with no Kubernetes object is an error unless
 * `--allow-empty` is given, so that a failed `helm template` upstream of a pipe without
 * pipefail does not read as a clean check.
 */
import * as fs from 'fs';
import * as path from 'path';
import { privilegedDeployment, runCli, tempTree } from './helpers';
import { EMPTY_INPUT_MESSAGE } from '../../src/cli/check-command';

const BASELINE = ['--profile', 'baseline'];
const NAME = 'deploy/prod/rendered.yaml';

describe('--stdin-filename', () => {
  test('text: findings and their heading are on the path', async () => {
    const r = await runCli(['check', ...BASELINE, '--stdin-filename', NAME, '-'], { stdin: privilegedDeployment('web', 'shop') });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(NAME);
    expect(r.stdout).toMatch(new RegExp(`^ {4}${NAME.replace(/[./]/g, '\\$&')}:13 +critical +pss-privileged`, 'm'));
    expect(r.stdout).not.toContain('standard input');
  });

  test('json and ndjson: file is the path, for findings and errors', async () => {
    const stdin = `${privilegedDeployment('web', 'shop')}---\nkind: Pod\n`;
    const json = JSON.parse((await runCli(['check', ...BASELINE, '--format', 'json', `--stdin-filename=${NAME}`, '-'], { stdin })).stdout);
    expect(json.findings.map((f: any) => f.file)).toEqual([NAME]);
    expect(json.errors.map((e: any) => e.file)).toEqual([NAME]);
    const lines = (await runCli(['check', ...BASELINE, '--format', 'ndjson', '--stdin-filename', NAME], { stdin })).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'finding' || l.type === 'error').map((l) => [l.type, l.file])).toEqual([['finding', NAME], ['error', NAME]]);
  });

  test('sarif: the artifact location is the repository path, relative to the working directory', async () => {
    const dir = tempTree({});
    const stdin = `${privilegedDeployment('web', 'shop')}---\nkind: Pod\n`;
    for (const given of [NAME, `./${NAME}`, path.join(dir, NAME)]) {
      const r = await runCli(['check', ...BASELINE, '--format', 'sarif', '--stdin-filename', given, '-'], { stdin, cwd: dir });
      const run = JSON.parse(r.stdout).runs[0];
      expect(run.results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: NAME, uriBaseId: '%SRCROOT%' }, region: { startLine: 13 } });
      expect(run.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: NAME, uriBaseId: '%SRCROOT%' });
    }
  });

  test('with files: only the findings of standard input move to the path', async () => {
    const dir = tempTree({ 'f.yaml': privilegedDeployment('file') });
    const r = await runCli(['check', ...BASELINE, '--format', 'json', '--stdin-filename', NAME, path.join(dir, 'f.yaml'), '-'], { stdin: privilegedDeployment('piped') });
    expect(JSON.parse(r.stdout).findings.map((f: any) => [f.object.name, f.file])).toEqual([['file', path.join(dir, 'f.yaml')], ['piped', NAME]]);
  });

  test('usage errors: no value, an empty one, or standard input not read', async () => {
    const dir = tempTree({ 'f.yaml': privilegedDeployment('file') });
    for (const argv of [
      ['check', '--stdin-filename'],
      ['check', '--stdin-filename', '', '-'],
      ['check', '--stdin-filename', NAME, path.join(dir, 'f.yaml')],
    ]) {
      const r = await runCli(argv, { stdin: privilegedDeployment('piped') });
      expect({ argv, code: r.code, stdout: r.stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(r.stderr).toMatch(/^kubeharden: .*(--stdin-filename|needs a)/);
    }
  });
});

describe('an input without a Kubernetes object is not a pass', () => {
  const EMPTY_INPUTS: Array<[string, string]> = [
    ['nothing', ''],
    ['blank lines', '\n\n'],
    ['comments and separators', '# rendered by nothing\n---\n---\n'],
    ['an empty list', 'apiVersion: v1\nkind: List\nitems: []\n'],
  ];

  test.each(EMPTY_INPUTS)('standard input with %s: exit 2 and an error in the report', async (_what, stdin) => {
    const r = await runCli(['check', '--format', 'json', '-'], { stdin });
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.errors).toEqual([{ file: '-', line: 0, column: 0, message: EMPTY_INPUT_MESSAGE }]);
    expect(report.summary).toMatchObject({ objects: 0, findings: 0, errors: 1 });
    expect(r.stderr).toBe(`kubeharden: ${EMPTY_INPUT_MESSAGE}\n`);
  });

  test('the message starts with what the issue asks for', () => {
    expect(EMPTY_INPUT_MESSAGE.startsWith('no Kubernetes objects in the input')).toBe(true);
  });

  test('an empty file, an empty directory, a directory of no manifest: an error on each path', async () => {
    const dir = tempTree({ 'empty.yaml': '', 'docs/README.md': '# not a manifest', 'only-git/.git/x.yaml': privilegedDeployment('in-git') });
    fs.mkdirSync(path.join(dir, 'nothing'));
    const inputs = ['empty.yaml', 'docs', 'nothing', 'only-git'].map((p) => path.join(dir, p));
    const r = await runCli(['check', '--format', 'json', ...inputs]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).errors).toEqual(inputs.map((file) => ({ file, line: 0, column: 0, message: EMPTY_INPUT_MESSAGE })));
  });

  test('in every format the report is written, with the error', async () => {
    const text = await runCli(['check', '-'], { stdin: '' });
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`errors\n  -: ${EMPTY_INPUT_MESSAGE}\n`);
    expect(text.stdout).toMatch(/no findings, 0 suppressed, 1 error; 0 objects in 1 file; profile hardened\n$/);
    expect(text.stderr).toBe('');

    const sarif = await runCli(['check', '--format', 'sarif', '--stdin-filename', NAME, '-'], { stdin: '' });
    expect(sarif.code).toBe(2);
    const run = JSON.parse(sarif.stdout).runs[0];
    expect(run.results).toEqual([]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([{
      level: 'error',
      message: { text: EMPTY_INPUT_MESSAGE },
      locations: [{ physicalLocation: { artifactLocation: { uri: NAME, uriBaseId: '%SRCROOT%' } } }],
    }]);

    const ndjson = await runCli(['check', '--format', 'ndjson', '-'], { stdin: '' });
    expect(ndjson.code).toBe(2);
    const lines = ndjson.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ type: 'error', file: '-', line: 0, column: 0, message: EMPTY_INPUT_MESSAGE });
    expect(lines[lines.length - 1]).toMatchObject({ type: 'summary', summary: { objects: 0, errors: 1 } });

    const dir = tempTree({});
    const out = path.join(dir, 'report.txt');
    const toFile = await runCli(['check', '--output', out, '-'], { stdin: '' });
    expect(toFile.code).toBe(2);
    expect(fs.readFileSync(out, 'utf8')).toContain(EMPTY_INPUT_MESSAGE);
    expect(toFile.stderr).toContain(`kubeharden: ${EMPTY_INPUT_MESSAGE}\n`);
  });

  test('--allow-empty: an empty input passes, in every format', async () => {
    for (const format of ['text', 'json', 'sarif', 'ndjson']) {
      const r = await runCli(['check', '--allow-empty', '--format', format, '-'], { stdin: '# nothing\n' });
      expect({ format, code: r.code, stderr: r.stderr }).toEqual({ format, code: 0, stderr: '' });
      expect(r.stdout).not.toContain('no Kubernetes objects');
    }
  });

  test('other errors are reported as they are, without the empty-input error', async () => {
    const r = await runCli(['check', '--format', 'json', '-'], { stdin: 'a: [\n' });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).errors.map((e: any) => e.message)).not.toContain(EMPTY_INPUT_MESSAGE);
  });

  test('objects that no rule faults are objects: a clean input is still exit 0', async () => {
    const r = await runCli(['check', ...BASELINE, '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    expect(r.code).toBe(0);
  });

  test('objects of an excluded namespace count as objects', async () => {
    const dir = tempTree({ 'kubeharden.config.yaml': 'excludeNamespaces: [shop]\n' });
    const r = await runCli(['check', '--config', path.join(dir, 'kubeharden.config.yaml'), '--format', 'json', '-'], { stdin: privilegedDeployment('web', 'shop') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).errors).toEqual([]);
  });
});
