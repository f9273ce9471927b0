import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { main } from '../../src/cli/main';

function capture() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, cb) { text += chunk.toString(); cb(); } });
  return { stream, text: () => text };
}

async function run(args: string[], cwd: string) {
  const out = capture();
  const err = capture();
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, { stdout: out.stream, stderr: err.stream, stdinIsTTY: true, stdoutIsTTY: false, env: {}, cwd });
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    process.chdir(previous);
  }
}

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: p, namespace: team}',
  'spec:',
  '  containers:',
  '  - name: c',
  '    image: nginx:1.27',
  '    securityContext: {privileged: true}',
].join('\n');

function workspace(config?: string, name = 'kubeharden.config.yaml'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-cli-config-'));
  fs.writeFileSync(path.join(dir, 'pod.yaml'), POD);
  if (config !== undefined) fs.writeFileSync(path.join(dir, name), config);
  return dir;
}

test('the configuration file in the working directory is applied', async () => {
  const dir = workspace('profile: baseline\nrules:\n  pss-privileged: {severity: low}\n');
  const r = await run(['check', 'pod.yaml', '--format', 'json'], dir);
  const report = JSON.parse(r.stdout);
  expect(report.profile).toBe('baseline');
  expect(report.findings.map((f: any) => [f.ruleId, f.severity])).toEqual([['pss-privileged', 'low']]);
  expect(r.code).toBe(1);
});

test('flags win over the configuration; failOn and excluded namespaces apply', async () => {
  const dir = workspace('profile: baseline\nfailOn: critical\nrules:\n  pss-privileged: {severity: high}\n');
  expect((await run(['check', 'pod.yaml'], dir)).code).toBe(0);
  expect((await run(['check', 'pod.yaml', '--fail-on', 'high'], dir)).code).toBe(1);
  const restricted = JSON.parse((await run(['check', 'pod.yaml', '--format', 'json', '--profile', 'restricted'], dir)).stdout);
  expect(restricted.profile).toBe('restricted');
  const excluded = workspace('excludeNamespaces: [team]\n');
  const r = await run(['check', 'pod.yaml', '--format', 'json'], excluded);
  expect(JSON.parse(r.stdout).findings).toEqual([]);
  expect(r.code).toBe(0);
});

test('pssVersion of the configuration applies, --pss-version wins over it', async () => {
  // net.ipv4.tcp_rmem is a safe sysctl from v1.32 on: a finding at v1.22 only.
  const sysctlPod = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: s}',
    'spec:',
    '  securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: "4096 87380 6291456"}]}',
    '  containers: [{name: c, image: nginx:1.27}]',
  ].join('\n');
  const ids = async (args: string[], cwd: string) =>
    JSON.parse((await run(['check', 'sysctl.yaml', '--profile', 'baseline', '--format', 'json', ...args], cwd)).stdout)
      .findings.map((f: any) => f.ruleId);
  const plain = workspace();
  fs.writeFileSync(path.join(plain, 'sysctl.yaml'), sysctlPod);
  expect(await ids([], plain)).toEqual([]);
  expect(await ids(['--pss-version', 'v1.22'], plain)).toEqual(['pss-sysctls']);
  const old = workspace('pssVersion: v1.22\n');
  fs.writeFileSync(path.join(old, 'sysctl.yaml'), sysctlPod);
  expect(await ids([], old)).toEqual(['pss-sysctls']);
  expect(await ids(['--pss-version', 'latest'], old)).toEqual([]);
  expect(await ids(['--pss-version', 'v1.32'], old)).toEqual([]);
});

test('--config names another file', async () => {
  const dir = workspace();
  fs.writeFileSync(path.join(dir, 'strict.json'), '{"profile": "baseline", "rules": {"pss-privileged": false}}');
  const r = await run(['check', 'pod.yaml', '--config', 'strict.json', '--format', 'json'], dir);
  expect(JSON.parse(r.stdout).findings).toEqual([]);
  expect(r.code).toBe(0);
});

test('an invalid configuration is a clear error naming the key, exit 2', async () => {
  const dir = workspace('profile: baseline\nrules:\n  pss-privilegd: false\n  pss-host-ports: {severity: severe}\n');
  const r = await run(['check', 'pod.yaml'], dir);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('kubeharden.config.yaml:3:3: rules.pss-privilegd: unknown rule; did you mean pss-privileged?');
  expect(r.stderr).toMatch(/kubeharden\.config\.yaml:4:\d+: rules\.pss-host-ports\.severity: expected one of critical, high, medium, low/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const missing = await run(['check', 'pod.yaml', '--config', 'nope.yaml'], dir);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/nope\.yaml: cannot read configuration/);
});
