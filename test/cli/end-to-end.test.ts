/**
 * Runs the real executable (`node bin/kubeharden`) on the compiled lib/, as users and
 * CI do. It needs a build: `npm run demo` (or `npm run compile`) first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { privilegedDeployment, tempTree } from './helpers';
import { assertValidSarif } from './sarif-check';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'kubeharden');
const COMPILED = path.join(ROOT, 'lib', 'cli', 'main.js');

function requireBuild(): void {
  if (!fs.existsSync(COMPILED)) {
    throw new Error(`${path.relative(ROOT, COMPILED)} is missing: the end-to-end test runs the compiled CLI. Run \`npm run demo\` (which builds) first.`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (typeof require(COMPILED).main !== 'function') {
    throw new Error(`${path.relative(ROOT, COMPILED)} is stale (it has no main()): rebuild with \`npm run demo\` first.`);
  }
}

function kubeharden(args: string[], input?: string) {
  const env = { ...process.env, NO_COLOR: '', FORCE_COLOR: '' };
  return spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env, cwd: ROOT, timeout: 30_000 });
}

test('node bin/kubeharden: check files and stdin, exit codes, formats, usage errors', () => {
  requireBuild();
  const dir = tempTree({ 'web.yaml': privilegedDeployment('web', 'shop'), 'broken.yaml': 'a: [\n' });

  const version = kubeharden(['--version']);
  expect(version.status).toBe(0);
  expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);

  const findings = kubeharden(['check', '--profile', 'baseline', path.join(dir, 'web.yaml')]);
  expect(findings.stderr).toBe('');
  expect(findings.status).toBe(1);
  expect(findings.stdout).toContain('pss-privileged');
  expect(findings.stdout).not.toContain('\u001b[');

  const piped = kubeharden(['check', '--profile', 'baseline', '--format', 'json', '-'], privilegedDeployment('piped'));
  expect(piped.status).toBe(1);
  expect(JSON.parse(piped.stdout).findings[0]).toMatchObject({ file: '-', object: { name: 'piped' } });

  const sarif = kubeharden(['check', '--format', 'sarif', dir]);
  expect(sarif.status).toBe(2);
  const log = assertValidSarif(sarif.stdout);
  expect(log.version).toBe('2.1.0');
  expect(log.runs[0].invocations[0].toolExecutionNotifications).toHaveLength(1);

  // a pipe whose upstream wrote nothing is not a pass; --stdin-filename names what was piped
  const empty = kubeharden(['check', '--format', 'sarif', '--stdin-filename', 'chart/Chart.yaml', '-'], '');
  expect(empty.status).toBe(2);
  expect(empty.stderr).toContain('no Kubernetes objects in the input');
  const emptyLog = assertValidSarif(empty.stdout);
  expect(emptyLog.runs[0].results).toEqual([]);
  expect(emptyLog.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri).toBe('chart/Chart.yaml');
  expect(kubeharden(['check', '--allow-empty', '-'], '').status).toBe(0);

  const usage = kubeharden(['check', '--profile', 'nope', dir]);
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain('invalid value "nope" for --profile');
  expect(usage.stderr).not.toMatch(/\n\s+at /);

  const rules = kubeharden(['rules', '--format', 'json']);
  expect(rules.status).toBe(0);
  expect(JSON.parse(rules.stdout).some((r: any) => r.id === 'pss-privileged')).toBe(true);

  // A closed pipe is not an error worth a stack trace.
  const head = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" rules | head -c 1 >/dev/null`], { encoding: 'utf8' });
  expect(head.stderr).toBe('');
});
