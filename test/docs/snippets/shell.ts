/**
 * Running documented shell commands as written: bash runs the line, with `npx kubeharden`
 * and `kubeharden` being this repository's bin (on lib/: it needs a build), and the tools
 * upstream of a pipe (`helm template`, `kustomize build`) stand-ins that print a fixture.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './markdown';

export const BIN = path.join(ROOT, 'bin', 'kubeharden');

const made: string[] = [];

/** A fresh temporary directory, removed by removeTemporaryDirectories. */
function temporary(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the directories workTree and shimPath made. */
export function removeTemporaryDirectories(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh temporary directory holding `files` (paths relative to it) and copies of repository folders. */
export function workTree(files: { [relativePath: string]: string }, copies: { [relativePath: string]: string } = {}): string {
  const dir = temporary('kubeharden-docs-');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  for (const [rel, from] of Object.entries(copies)) fs.cpSync(path.join(ROOT, from), path.join(dir, rel), { recursive: true });
  return dir;
}

/**
 * A PATH whose `npx` runs only `npx kubeharden …` (this repository's bin), whose
 * `kubeharden` is that bin, and whose `helm` and `kustomize` print `rendered` (a file).
 */
export function shimPath(rendered: string): string {
  const dir = temporary('kubeharden-shims-');
  const node = process.execPath;
  const script = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  script('npx', `if [ "$1" = kubeharden ]; then shift; exec '${node}' '${BIN}' "$@"; fi\necho "npx: only kubeharden is provided here" >&2\nexit 127`);
  script('kubeharden', `exec '${node}' '${BIN}' "$@"`);
  script('helm', `cat '${rendered}'`);
  script('kustomize', `cat '${rendered}'`);
  return `${dir}${path.delimiter}${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`;
}

/** Runs a command line with bash (no profile, `pipefail`), as a user's shell would. */
export function runShell(line: string, cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync('bash', ['--noprofile', '--norc', '-o', 'pipefail', '-c', line], {
    cwd, env: { HOME: process.env.HOME, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 60_000,
  });
}

/** Runs `kubeharden <args>` (this repository's bin) in a directory. */
export function kubeharden(args: string[], cwd: string, input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd, input, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000,
  });
}
