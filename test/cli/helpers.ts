import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
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

/** Runs `kubeharden <argv>` in-process. */
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
