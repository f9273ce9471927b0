/**
 * The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml) run the
 * commands they declare: the composite steps' `run:` scripts are executed with bash, with
 * their `env:` evaluated from the action's inputs as the runner evaluates it, GITHUB_OUTPUT
 * and GITHUB_PATH files, and `kubeharden` on PATH being this repository's bin/kubeharden
 * (on lib/: it needs a build, `npm run demo`). The hook's entry is run on the file names its
 * `files` pattern selects, as pre-commit passes them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { tempTree } from './helpers';
import { assertValidSarif } from './sarif-check';
import { CLEAN_MANIFESTS } from '../fixtures/clean-manifests';

const ROOT = path.resolve(__dirname, '..', '..');
const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));

/** A directory holding `kubeharden` (this repository's bin) and, when asked, a recording `npm`. */
function binDir(fakeNpmLog?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-path-'));
  fs.symlinkSync(path.join(ROOT, 'bin', 'kubeharden'), path.join(dir, 'kubeharden'));
  if (fakeNpmLog) {
    // records its arguments, one a line, instead of installing from the registry
    fs.writeFileSync(path.join(dir, 'npm'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${fakeNpmLog}'\n`, { mode: 0o755 });
  }
  return dir;
}

/** The value the runner gives `${{ inputs.NAME }}`: the one passed, else the input's default. */
function evaluate(expression: string, given: { [input: string]: string }): string {
  const m = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(String(expression));
  if (!m) throw new Error(`action.yml: step env value ${expression} is not \${{ inputs.NAME }}`);
  const spec = action.inputs[m[1]];
  if (!spec) throw new Error(`action.yml: step env names an undeclared input ${m[1]}`);
  return given[m[1]] ?? String(spec.default ?? '');
}

/** What one composite step did. */
interface StepRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** GITHUB_OUTPUT's name=value lines. */
  readonly outputs: { [name: string]: string };
  /** GITHUB_PATH's lines. */
  readonly addedPath: string[];
}

/** Runs the `run:` script of the step with this id or name, with bash, as a composite step runs. */
function runStep(step: string, given: { [input: string]: string }, cwd: string, extraPath?: string): StepRun {
  const s = action.runs.steps.find((x: any) => x.id === step || x.name === step);
  if (!s) throw new Error(`action.yml has no step ${step}`);
  expect(s.shell).toBe('bash');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-runner-'));
  const outputFile = path.join(tmp, 'output');
  const pathFile = path.join(tmp, 'path');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(pathFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: `${extraPath ?? binDir()}${path.delimiter}${process.env.PATH}`,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    GITHUB_OUTPUT: outputFile,
    GITHUB_PATH: pathFile,
    RUNNER_TEMP: tmp,
  };
  for (const [name, value] of Object.entries(s.env ?? {})) env[name] = evaluate(String(value), given);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', s.run], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  const outputs: { [name: string]: string } = {};
  for (const line of fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean)) {
    const eq = line.indexOf('=');
    outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const addedPath = fs.readFileSync(pathFile, 'utf8').split('\n').filter(Boolean);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, addedPath };
}

/** Manifests that pass the hardened profile. */
const CLEAN = { 'k8s/web.yaml': CLEAN_MANIFESTS };

/** The same pod on the namespace's default ServiceAccount: one low finding (default-service-account). */
const LOW_ONLY = { 'k8s/web.yaml': CLEAN['k8s/web.yaml'].replace('  serviceAccountName: web\n', '') };

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'cli', 'main.js'))) {
    throw new Error('lib/cli/main.js is missing: the pipeline test runs the compiled CLI. Run `npm run demo` (which builds) first.');
  }
});

describe('action.yml', () => {
  test('is a composite action with the documented inputs, and no run script expands an expression itself', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['config', 'fail-on', 'paths', 'profile', 'sarif', 'upload-sarif', 'version']);
    for (const s of action.runs.steps) {
      // inputs reach scripts through env only: `${{ }}` inside a script would be pasted into its text
      if (s.run !== undefined) expect({ step: s.name, expands: /\$\{\{/.test(s.run) }).toEqual({ step: s.name, expands: false });
    }
    const upload = action.runs.steps.find((s: any) => String(s.uses ?? '').startsWith('github/codeql-action/upload-sarif@'));
    expect(upload).toBeDefined();
    expect(upload.if).toMatch(/!cancelled\(\)/);
    expect(upload.if).toContain("inputs.upload-sarif == 'true'");
    expect(upload.with.sarif_file).toBe('${{ steps.check.outputs.sarif }}');
    expect(action.outputs['exit-code'].value).toBe('${{ steps.check.outputs.exit-code }}');
  });

  test('the install step installs the requested version from npm and puts its bin on PATH', () => {
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-npm-')), 'args');
    const r = runStep('Install kubeharden', { version: '1.2.3' }, ROOT, binDir(log));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const args = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(args[0]).toBe('install');
    expect(args).toContain('kubeharden@1.2.3');
    const prefix = args[args.indexOf('--prefix') + 1];
    expect(r.addedPath).toEqual([path.join(prefix, 'node_modules', '.bin')]);

    const latest = runStep('Install kubeharden', {}, ROOT, binDir(log));
    expect(latest.code).toBe(0);
    expect(fs.readFileSync(log, 'utf8').split('\n')).toContain('kubeharden@latest');
  });

  test('examples/insecure: exit 1, the findings in the log and in a valid SARIF log', () => {
    const sarif = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-sarif-')), 'kubeharden.sarif');
    const r = runStep('check', { paths: 'examples/insecure', sarif }, ROOT);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pss-privileged');
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif': sarif });
    const log = assertValidSarif(fs.readFileSync(sarif, 'utf8'));
    const results = log.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((x: any) => x.ruleId)).toContain('pss-privileged');
    for (const x of results) expect(x.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^examples\/insecure\/[\w-]+\.yaml$/);
  });

  test('a clean manifest: exit 0 and an empty SARIF log; paths default to the working directory', () => {
    const dir = tempTree(CLEAN);
    const r = runStep('check', { sarif: 'out/kubeharden.sarif' }, dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('no findings');
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ 'exit-code': '0', 'sarif': 'out/kubeharden.sarif' });
    expect(assertValidSarif(fs.readFileSync(path.join(dir, 'out', 'kubeharden.sarif'), 'utf8')).runs[0].results).toEqual([]);
  });

  test('profile, fail-on and config reach the command; several paths; no SARIF unless asked', () => {
    const dir = tempTree({ ...LOW_ONLY, 'more/web.yaml': CLEAN['k8s/web.yaml'], 'ci/kubeharden.yaml': 'failOn: medium\n' });
    const plain = runStep('check', { paths: 'k8s' }, dir);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('default-service-account');
    expect(plain.outputs).toEqual({ 'exit-code': '1' });

    expect(runStep('check', { 'paths': 'k8s', 'fail-on': 'medium' }, dir).code).toBe(0);
    expect(runStep('check', { paths: 'k8s', config: 'ci/kubeharden.yaml' }, dir).code).toBe(0);
    expect(runStep('check', { paths: 'k8s', profile: 'restricted' }, dir).stdout).toContain('no findings');
    const both = runStep('check', { 'paths': 'k8s\nmore', 'fail-on': 'medium' }, dir);
    expect(both.code).toBe(0);
    expect(both.stdout).toContain('in 2 files');

    const usage = runStep('check', { paths: 'k8s', profile: 'strictest' }, dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('invalid value "strictest" for --profile');
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const hook = hooks.find((h: any) => h.id === 'kubeharden');

  /** pre-commit's run: the entry, then the staged files its `files` pattern matches (re.search). */
  function runHook(files: string[], cwd: string) {
    const selected = files.filter((f) => new RegExp(hook.files).test(f));
    const [cmd, ...args] = String(hook.entry).split(/\s+/);
    const env = { PATH: `${binDir()}${path.delimiter}${process.env.PATH}`, HOME: process.env.HOME, NO_COLOR: '1' };
    return { selected, ...spawnSync(cmd, [...args, ...selected], { cwd, env, encoding: 'utf8', timeout: 60_000 }) };
  }

  test('a node hook whose entry is kubeharden check, on YAML and JSON files', () => {
    expect(hook).toMatchObject({ language: 'node', entry: 'kubeharden check' });
    const pattern = new RegExp(hook.files);
    expect(['a.yaml', 'k8s/b.yml', 'c.json'].every((f) => pattern.test(f))).toBe(true);
    expect(['README.md', 'src/a.ts', 'a.yaml.bak', 'jsonnet/a.jsonnet'].some((f) => pattern.test(f))).toBe(false);
  });

  test('findings in staged manifests fail the commit; clean ones pass; files outside the pattern are not passed', () => {
    const insecure = runHook(['examples/insecure/workloads.yaml', 'examples/insecure/access.yaml', 'README.md', 'src/index.ts'], ROOT);
    expect(insecure.selected).toEqual(['examples/insecure/workloads.yaml', 'examples/insecure/access.yaml']);
    expect(insecure.status).toBe(1);
    expect(insecure.stdout).toContain('pss-privileged');

    const dir = tempTree({ ...CLEAN, 'notes.md': '# notes\n' });
    const clean = runHook(['k8s/web.yaml', 'notes.md'], dir);
    expect(clean.stdout).toContain('no findings');
    expect(clean.status).toBe(0);
  });

  test('a JSON or YAML file that is not a manifest is an input error: the files pattern must be narrowed to the manifests', () => {
    const dir = tempTree({ ...CLEAN, 'package.json': '{"name": "shop", "version": "1.0.0"}\n' });
    const r = runHook(['k8s/web.yaml', 'package.json'], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('package.json:1:1: not a Kubernetes object');
  });
});
