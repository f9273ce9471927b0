import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { assertValidSarif } from './sarif-check';
import { main } from '../../src/cli/main';

/** What a CLI run produced. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of an in-process CLI run. */
export interface RunOptions {
  /** Text (or chunks) on standard input; when absent, standard input is a TTY. */
  readonly stdin?: string | Array<string | Buffer>;
  readonly stdoutIsTTY?: boolean;
  readonly env?: { [name: string]: string | undefined };
  readonly cwd?: string;
}

/** The value of a `check` option in argv (`--name v`, `--name=v`, `-x v`, `-xv`), the last one winning. */
function optionValue(argv: readonly string[], long: string, short: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === `--${long}` || a === `-${short}`) value = argv[++i];
    else if (a.startsWith(`--${long}=`)) value = a.slice(long.length + 3);
    else if (a.startsWith(`-${short}`) && !a.startsWith('--')) value = a.slice(2).replace(/^=/, '');
  }
  return value;
}

/**
 * Every SARIF log a test makes the CLI write, on standard output or in an `--output` file,
 * must be valid against the SARIF 2.1.0 schema and within GitHub's limits: runCli throws
 * when it is not.
 */
export function checkSarifOutput(argv: readonly string[], stdout: string, cwd: string = process.cwd()): void {
  if (argv[0] !== 'check' || argv.includes('--help') || argv.includes('-h')) return;
  if (optionValue(argv, 'format', 'f') !== 'sarif') return;
  const output = optionValue(argv, 'output', 'o');
  if (output === undefined) {
    if (stdout !== '') assertValidSarif(stdout, `the SARIF log of kubeharden ${argv.join(' ')}`);
    return;
  }
  const file = path.resolve(cwd, output);
  if (fs.existsSync(file)) assertValidSarif(fs.readFileSync(file, 'utf8'), `the SARIF log ${output} of kubeharden ${argv.join(' ')}`);
}

/** Runs `kubeharden <argv>` in-process (and checks any SARIF log it writes, see checkSarifOutput). */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const chunks = options.stdin === undefined ? [] : typeof options.stdin === 'string' ? [options.stdin] : options.stdin;
  const code = await main(argv, {
    stdout: { write: (t: string) => { stdout += t; } },
    stderr: { write: (t: string) => { stderr += t; } },
    stdin: Readable.from(chunks),
    stdinIsTTY: options.stdin === undefined,
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    env: options.env ?? {},
    cwd: options.cwd,
  });
  checkSarifOutput(argv, stdout);
  return { code, stdout, stderr };
}

/** A fresh temporary directory with the given files (paths relative to it). */
export function tempTree(files: { [relativePath: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-cli-'));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

/** A Deployment with a privileged container (critical finding of pss-privileged). */
export function privilegedDeployment(name: string, namespace?: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: app',
    '        image: registry.example.com/app@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    '        securityContext:',
    '          privileged: true',
    '',
  ].join('\n');
}

/** A Pod whose privileged container is suppressed with a reason. */
export const SUPPRESSED_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: cni',
  '  namespace: kube-system',
  '  annotations:',
  '    ignore.kubeharden.io/pss-privileged: "the CNI agent programs host networking"',
  'spec:',
  '  containers:',
  '  - name: agent',
  '    image: registry.example.com/cni@sha256:0000000000000000000000000000000000000000000000000000000000000000',
  '    securityContext: {privileged: true}',
  '',
].join('\n');

/** A ConfigMap with a suppression whose reason is too short: a medium finding (invalid-suppression). */
export const SHORT_REASON_CONFIGMAP = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: settings',
  '  namespace: shop',
  '  annotations:',
  '    ignore.kubeharden.io/pss-privileged: "ok"',
  'data: {mode: fast}',
  '',
].join('\n');
