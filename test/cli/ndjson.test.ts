/**
 * `--format ndjson`: a finding a line, written as found, then errors, skipped paths and
 * the summary; the same findings and counts as the JSON report.
 */
import { privilegedDeployment, runCli, tempTree } from './helpers';

const BASELINE = ['--profile', 'baseline'];

test('the ndjson report has the JSON report\'s findings, in order, then the errors and the summary', async () => {
  const dir = tempTree({
    'a.yaml': privilegedDeployment('a') + '\n---\n' + privilegedDeployment('b'),
    'bad.yaml': 'kind: [\n',
    '.git/x.yaml': privilegedDeployment('git'),
  });
  const json = JSON.parse((await runCli(['check', ...BASELINE, '--format', 'json', dir])).stdout);
  const r = await runCli(['check', ...BASELINE, '--format', 'ndjson', dir]);
  expect(r.code).toBe(2);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  const findings = lines.filter((l) => l.type === 'finding').map(({ type: _t, ...f }) => f);
  expect(findings).toEqual(json.findings);
  expect(lines.filter((l) => l.type === 'error').map(({ type: _t, ...e }) => e)).toEqual(json.errors);
  expect(lines.filter((l) => l.type === 'skipped').map(({ type: _t, ...k }) => k)).toEqual(json.skipped);
  expect(lines[lines.length - 1]).toEqual({ type: 'summary', tool: json.tool, profile: json.profile, summary: json.summary });
});

test('exit 1 on findings at or above --fail-on, 0 below', async () => {
  const dir = tempTree({ 'a.yaml': privilegedDeployment('a') });
  expect((await runCli(['check', ...BASELINE, '--format', 'ndjson', dir])).code).toBe(1);
  expect((await runCli(['check', ...BASELINE, '--format', 'ndjson', '--fail-on', 'critical', dir])).code).toBe(
    (await runCli(['check', ...BASELINE, '--format', 'json', '--fail-on', 'critical', dir])).code,
  );
});

test('--max-input-bytes: a larger input is an error and is not read further', async () => {
  const dir = tempTree({ 'a.yaml': privilegedDeployment('a') });
  const r = await runCli(['check', ...BASELINE, '--format', 'json', '--max-input-bytes', '100', dir]);
  expect(r.code).toBe(2);
  expect(JSON.parse(r.stdout).errors.map((e: any) => e.message)).toEqual([expect.stringMatching(/input larger than 100 bytes/)]);
  expect((await runCli(['check', '--max-input-bytes', 'lots', dir])).code).toBe(2);
});
