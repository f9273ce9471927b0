// The validation plugin in the real cdk8s CLI: `cdk8s synth` (cdk8s-cli from devDependencies,
// offline) runs a cdk8s app with the cdk8s.yaml `validations:` blocks that README.md
// documents, loading kubeharden from its build in lib/ (`npm run demo` makes it).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { load } from 'js-yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const CDK8S = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const APP = path.join(__dirname, 'fixtures', 'cdk8s-app', 'main.js');
const SEVERITIES = ['critical', 'high', 'medium', 'low'];

interface ValidationEntry { package: string; version: string; class: string; properties?: { [key: string]: unknown } }
interface ReportJson {
  reports: Array<{
    title: string;
    summary: { status: string; plugin: string; version: string; metadata: { [key: string]: string } };
    violations: Array<{
      ruleName: string;
      violatingConstructs: Array<{ constructPath?: string; manifestPath: string; resourceName: string; locations: string[] }>;
    }>;
  }>;
}

/** The yaml block that follows `<!-- kubeharden:cdk8s-validation:<form> -->` in README.md, and its one entry. */
function readmeBlock(form: string): { text: string; entry: ValidationEntry } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const marker = `<!-- kubeharden:cdk8s-validation:${form} -->`;
  const at = readme.indexOf(marker);
  const block = at < 0 ? null : /^\s*```yaml\n([\s\S]*?)\n```/.exec(readme.slice(at + marker.length));
  if (!block) throw new Error(`README.md: no \`\`\`yaml block after ${marker} (section "The cdk8s CLI validation plugin")`);
  const parsed = load(block[1]) as { validations?: ValidationEntry[] };
  expect(parsed.validations).toHaveLength(1);
  return { text: block[1], entry: parsed.validations![0] };
}

/** The src/ files the plugin loads whose build in lib/ is missing or older than the source. */
function staleBuild(dir = path.join(ROOT, 'src'), rel = ''): string[] {
  const stale: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const sub = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (rel === '' && (e.name === 'cli' || e.name === 'pulumi')) continue; // outside the jsii library
      stale.push(...staleBuild(path.join(dir, e.name), sub));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      const built = path.join(ROOT, 'lib', sub.replace(/\.ts$/, '.js'));
      if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(path.join(dir, e.name)).mtimeMs) stale.push(`src/${sub}`);
    }
  }
  return stale;
}

let tmp: string;

/** A cdk8s app directory: the fixture app, cdk8s.yaml from a README block, node_modules linked to this repository. */
function makeApp(name: string, validations: string, entry: ValidationEntry, privileged: boolean): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.copyFileSync(APP, path.join(dir, 'main.js'));
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'cdk8s'), path.join(dir, 'node_modules', 'cdk8s'));
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'constructs'), path.join(dir, 'node_modules', 'constructs'));
  // what `npm install --save-dev <path to this repository>` makes
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'kubeharden'));
  if (entry.package.startsWith('./')) {
    const local = path.join(dir, entry.package);
    if (!fs.existsSync(local)) {
      fs.mkdirSync(path.dirname(local), { recursive: true });
      fs.symlinkSync(ROOT, local);
    }
  }
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `app: node main.js${privileged ? ' --privileged' : ''}\n${validations}\n`);
  return dir;
}

/** Runs `cdk8s synth` in an app directory, offline, and reads the JSON reports it writes. */
function synth(dir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CDK8S_') && !k.toLowerCase().startsWith('npm_config_')) env[k] = v;
  Object.assign(env, {
    HOME: path.join(tmp, 'home'), // the default plugins directory and the upgrade-check cache live here
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    // should cdk8s-cli try to install a plugin, npm fails at once instead of reaching a registry
    npm_config_offline: 'true',
    npm_config_registry: 'http://127.0.0.1:9/',
  });
  const reportFile = path.join(dir, `reports-${fs.readdirSync(dir).length}.json`);
  const res = spawnSync(process.execPath, [CDK8S, 'synth', '--no-check-upgrade', '--validation-reports-output-file', reportFile, ...args], {
    cwd: dir, env, encoding: 'utf8', timeout: 40_000,
  });
  // eslint-disable-next-line no-control-regex
  const stdout = res.stdout.replace(/\x1b\[[0-9;]*m/g, '');
  const reports = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ReportJson).reports : undefined;
  return { status: res.status, stdout, stderr: res.stderr, reports, error: res.error };
}

/** The violation headings the CLI prints, in order: `<rule> [<severity>] (<n> occurrences)`. */
function printedViolations(stdout: string): Array<{ rule: string; severity: string }> {
  return [...stdout.matchAll(/^(\S+) \[(critical|high|medium|low)\] \(\d+ occurrences\)$/gm)].map((m) => ({ rule: m[1], severity: m[2] }));
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    throw new Error('lib/ is missing: this test loads the built package; run `npm run demo` (or `npx projen compile`) first');
  }
  // a warning, not a failure: file times say little after a clone or a checkout (a source
  // file touched after the build would fail a build that is in fact current)
  const stale = staleBuild();
  if (stale.length > 0) {
    process.stderr.write(`cdk8s-cli test: lib/ may be older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}: `
      + 'run `npm run demo` (or `npx projen compile`) if you changed them\n');
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-cdk8s-cli-'));
  fs.mkdirSync(path.join(tmp, 'home'));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('cdk8s synth with the validation plugin, as README.md documents it', () => {
  let privilegedLocal: ReturnType<typeof synth>;

  test('the local form: a path to the build, an exact version', () => {
    const { entry } = readmeBlock('local');
    expect(entry.class).toBe('KubehardenValidation');
    expect(entry.package).toMatch(/^\.\//); // cdk8s-cli reads a relative path only when it starts with ./
  });

  test('the local form: the hardened app passes', () => {
    const { text, entry } = readmeBlock('local');
    const dir = makeApp('local-clean', text, entry, false);
    const run = synth(dir);
    expect(run.error).toBeUndefined();
    expect(run.stderr).not.toMatch(/Validation failed/);
    expect(run.status).toBe(0);
    expect(run.reports).toHaveLength(1);
    const [report] = run.reports!;
    expect(report.summary).toEqual({
      status: 'success',
      plugin: path.resolve(dir, entry.package), // cdk8s-cli loaded the local path, not an npm package
      version: entry.version,
      metadata: expect.objectContaining({ profile: 'hardened', findings: '0', errors: '0' }),
    });
    expect(Number(report.summary.metadata.objects)).toBeGreaterThan(3);
    expect(report.violations).toEqual([]);
    expect(printedViolations(run.stdout)).toEqual([]);
  });

  test('the local form: a privileged raw ApiObject fails, most severe rule first', () => {
    const { text, entry } = readmeBlock('local');
    const dir = makeApp('local-privileged', text, entry, true);
    const run = privilegedLocal = synth(dir);
    expect(run.status).toBe(2); // cdk8s-cli's exit code for a failed validation
    expect(run.stderr).toMatch(/Validation failed/);
    const [report] = run.reports!;
    expect(report.summary.status).toBe('failure');
    expect(report.summary.metadata.findings).toBe(String(report.violations.flatMap((v) => v.violatingConstructs.flatMap((c) => c.locations)).length));

    // every violation is the raw Pod's, located by construct path, manifest, JSON path and line
    const manifest = fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf8').split('\n');
    for (const v of report.violations) {
      for (const c of v.violatingConstructs) {
        expect(c).toEqual(expect.objectContaining({ constructPath: 'shop/debug', resourceName: 'debug', manifestPath: 'dist/shop.k8s.yaml' }));
      }
    }
    const first = report.violations[0];
    expect(first.ruleName).toBe('pss-privileged [critical]');
    const location = /^spec\.containers\[0\]\.securityContext\.privileged \(line (\d+)\): /.exec(first.violatingConstructs[0].locations[0]);
    expect(location).not.toBeNull();
    expect(manifest[Number(location![1]) - 1]).toMatch(/^\s*privileged: true$/);

    // the CLI prints the violations in the report's order: by severity, most severe first
    const printed = printedViolations(run.stdout);
    expect(printed.map((p) => `${p.rule} [${p.severity}]`)).toEqual(report.violations.map((v) => v.ruleName));
    const ranks = printed.map((p) => SEVERITIES.indexOf(p.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks).size).toBeGreaterThanOrEqual(3);
    expect(printed.map((p) => p.rule)).toEqual(expect.arrayContaining(['pss-privileged', 'pss-run-as-non-root', 'read-only-root-filesystem', 'image-digest']));
  });

  test('the published form: cdk8s-cli accepts it and loads the plugin from its plugins directory', () => {
    // The package is not installed from npm here: the plugins directory is given the package
    // where cdk8s-cli's own `npm install` would put it (<dir>/<package>/<version>/node_modules/<package>),
    // and cdk8s-cli finds it there instead of installing.
    const { text, entry } = readmeBlock('published');
    expect(entry).toEqual(expect.objectContaining({ package: 'kubeharden', class: 'KubehardenValidation' }));
    const plugins = path.join(tmp, 'plugins');
    const installed = path.join(plugins, entry.package, entry.version, 'node_modules', entry.package);
    fs.mkdirSync(path.dirname(installed), { recursive: true });
    fs.symlinkSync(ROOT, installed);

    const dir = makeApp('published-privileged', text, entry, true);
    const run = synth(dir, '--plugins-dir', plugins);
    expect(run.stdout).not.toMatch(/Installing validation plugin/);
    expect(run.status).toBe(2);
    const [report] = run.reports!;
    expect(report.title).toBe(`Validation Report (kubeharden@${entry.version})`);
    expect(report.summary).toEqual(expect.objectContaining({ status: 'failure', plugin: 'kubeharden', version: entry.version }));
    expect(privilegedLocal?.reports).toHaveLength(1); // the local form's run, above
    expect(report.violations).toEqual(privilegedLocal.reports![0].violations);
  });

  test('cdk8s-cli refuses a version range, which is why both forms name an exact version', () => {
    const { text, entry } = readmeBlock('published');
    const ranged = text.replace(/^(\s*version:\s*)(\S+)\s*$/m, '$1^$2');
    expect(ranged).not.toBe(text);
    const dir = makeApp('published-range', ranged, entry, false);
    const run = synth(dir, '--plugins-dir', path.join(tmp, 'plugins'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Unsupported version spec for package kubeharden: ^${entry.version}. Cannot be a range.`);
  });
});
