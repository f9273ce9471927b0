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

/** Applies a unified diff to a text (hunks in order, context and removed lines checked). */
export function applyDiff(before: string, diff: string): string {
  const lines = before === '' ? [] : before.split('\n');
  if (before.endsWith('\n')) lines.pop();
  const out: string[] = [];
  let at = 0;
  let endsWithNewline = before === '' || before.endsWith('\n');
  const body = diff.split('\n');
  for (let i = 2; i < body.length; i++) {
    const h = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(body[i]);
    if (!h) continue;
    const start = Number(h[1]) - (h[2] === '0' ? 0 : 1);
    while (at < start) out.push(lines[at++]);
    for (i++; i < body.length && /^[ +\-\\]/.test(body[i]); i++) {
      const l = body[i];
      if (l.startsWith('\\')) {
        // the line before has no line end: it is the last line of its side
        if (body[i - 1][0] !== '-') endsWithNewline = false;
        continue;
      }
      if (l[0] === '+') {
        out.push(l.slice(1));
        endsWithNewline = true;
      } else {
        if (lines[at] !== l.slice(1)) throw new Error(`the diff does not apply at line ${at + 1}`);
        if (l[0] === ' ') {
          out.push(lines[at]);
          endsWithNewline = true;
        }
        at++;
      }
    }
    i--;
  }
  if (at < lines.length) endsWithNewline = before.endsWith('\n'); // the last lines are the original's
  while (at < lines.length) out.push(lines[at++]);
  return out.length === 0 ? '' : out.join('\n') + (endsWithNewline ? '\n' : '');
}
