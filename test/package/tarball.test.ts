/**
 * The published package as users get it: `npm pack` of the built repository, installed in a
 * fresh project with nothing but its peers (cdk8s and constructs, at the newest versions its
 * peerDependencies allow, from the npm registry), and used from there: the CLI through npx,
 * the library in a cdk8s synth, `kubeharden/pulumi` and `kubeharden/cli` from CommonJS and
 * ESM, and TypeScript's view of the subpaths under `moduleResolution: node` (node10, which
 * ignores `exports`) and `node16`. The tarball's size is measured here, and README's figures
 * are compared with the measured ones.
 *
 * Needs a build (`npm run demo`) and the npm registry (or an npm cache holding the peers):
 * `npm run test:package`.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
/** How far README's rounded figures may be from the measured ones. */
const TOLERANCE = 0.04;

/** One file of `npm pack --json`. */
interface PackedFile {
  readonly path: string;
  readonly size: number;
}
/** What `npm pack --json` says of the tarball. */
interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: PackedFile[];
}

/** The environment of child processes: without the variables npm sets for the script running this test. */
function childEnv(extra: { [name: string]: string } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/i.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  delete env.FORCE_COLOR;
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: childEnv(), timeout, maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command that must succeed; its output is in the error when it does not. */
function mustRun(cmd: string, args: string[], cwd: string, timeout?: number): string {
  const r = run(cmd, args, cwd, timeout);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** Runs a Node script in the consumer project (so that it resolves modules as the project does). */
function node(dir: string, file: string, text: string, args: string[] = []): SpawnSyncReturns<string> {
  fs.writeFileSync(path.join(dir, file), text);
  return run(process.execPath, [file, ...args], dir);
}

/** The README sentence that states the tarball's size, whitespace-normalized. */
const SIZE_SENTENCE = /The published tarball \(`npm pack --dry-run` after the build\) is ([\d.]+) MB packed, ([\d.]+) MB unpacked, (\d+) files; `lib\/pulumi` is (\d+) KB of it/;

/** How npm and README write sizes: decimal units. */
const mb = (bytes: number, digits: number) => (bytes / 1e6).toFixed(digits);
const kb = (bytes: number) => Math.round(bytes / 1e3).toString();

const PRIVILEGED_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: debug, namespace: shop}',
  'spec:',
  '  containers:',
  '  - name: shell',
  '    image: registry.example.com/tools/shell:1.0',
  '    securityContext: {privileged: true}',
  '',
].join('\n');

/** A pod that passes the restricted profile (the hardened profile also wants its ServiceAccount and NetworkPolicy). */
const RESTRICTED_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: web, namespace: shop}',
  'spec:',
  '  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}',
  '  containers:',
  '  - name: web',
  '    image: registry.example.com/shop/web:2.3.0',
  '    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}',
  '',
].join('\n');

const IMAGE = 'registry.example.com/shop/web:2.3.0@sha256:5c1f0cbbd1e0a3bd8f2d3b1c4f3a8e2b9d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f';

let work: string;
let app: string;
let packed: Packed;

function requireBuild(): void {
  for (const rel of ['lib/index.js', 'lib/cli/main.js', 'lib/pulumi/index.js', '.jsii']) {
    if (!fs.existsSync(path.join(ROOT, rel))) {
      throw new Error(`${rel} is missing: the package test packs the built library. Run \`npm run demo\` (which builds) first.`);
    }
  }
}

beforeAll(() => {
  requireBuild();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-package-'));
  const out = mustRun('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT);
  packed = JSON.parse(out)[0];

  app = path.join(work, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  const peers = Object.entries(PKG.peerDependencies as { [name: string]: string }).map(([name, range]) => `${name}@${range}`);
  mustRun('npm', ['install', ...NPM_FLAGS, path.join(work, packed.filename), ...peers], app, 600_000);
}, 660_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the compiled library with its typings, the bin, the jsii assembly, README and LICENSE', () => {
  const names = packed.files.map((f) => f.path);
  const own = names.filter((n) => !n.startsWith('node_modules/'));
  expect(own.filter((n) => !n.startsWith('lib/')).sort()).toEqual(['.jsii', 'LICENSE', 'README.md', 'bin/kubeharden', 'package.json']);

  // every compiled file of lib/ and nothing else from it (no sources, maps or build info)
  const built: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.(js|d\.ts)$/.test(e.name)) built.push(rel);
    }
  };
  walk('lib');
  expect(own.filter((n) => n.startsWith('lib/')).sort()).toEqual(built.sort());

  // the bundled dependencies travel inside the tarball
  for (const dep of PKG.bundledDependencies as string[]) expect(names).toContain(`node_modules/${dep}/package.json`);

  const installed = path.join(app, 'node_modules', 'kubeharden');
  const assembly = JSON.parse(fs.readFileSync(path.join(installed, '.jsii'), 'utf8'));
  expect(assembly.name).toBe('kubeharden');
  expect(Object.keys(assembly.types)).toEqual(expect.arrayContaining(['kubeharden.HardenedDeployment', 'kubeharden.Guard', 'kubeharden.Engine']));
  expect(fs.statSync(path.join(installed, 'bin', 'kubeharden')).mode & 0o111).not.toBe(0); // eslint-disable-line no-bitwise
});

test('README states the measured size of the tarball', () => {
  const pulumi = packed.files.filter((f) => f.path.startsWith('lib/pulumi/')).reduce((sum, f) => sum + f.size, 0);
  const measured = [packed.size, packed.unpackedSize, packed.entryCount, pulumi];
  const sentence = `The published tarball (\`npm pack --dry-run\` after the build) is ${mb(packed.size, 2)} MB packed, `
    + `${mb(packed.unpackedSize, 1)} MB unpacked, ${packed.entryCount} files; \`lib/pulumi\` is ${kb(pulumi)} KB of it`;

  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  const m = SIZE_SENTENCE.exec(readme);
  if (!m) throw new Error(`README.md has no sentence on the tarball's size; measured: "${sentence}"`);
  const stated = [Number(m[1]) * 1e6, Number(m[2]) * 1e6, Number(m[3]), Number(m[4]) * 1e3];
  const drifted = stated.some((s, i) => Math.abs(s - measured[i]) > TOLERANCE * measured[i]);
  if (drifted) {
    throw new Error(`README.md's tarball figures are more than ${TOLERANCE * 100}% off the measured ones; write:\n"${sentence}"`);
  }
});

test('npx kubeharden check in the consumer project: findings exit 1, a clean pod exits 0', () => {
  fs.writeFileSync(path.join(app, 'privileged.yaml'), PRIVILEGED_POD);
  fs.writeFileSync(path.join(app, 'restricted.yaml'), RESTRICTED_POD);

  const version = run('npx', ['--no', '--', 'kubeharden', '--version'], app);
  expect(version.status).toBe(0);
  expect(version.stdout.trim()).toBe(PKG.version);

  const findings = run('npx', ['--no', '--', 'kubeharden', 'check', '--profile', 'baseline', 'privileged.yaml'], app);
  expect(findings.stderr).toBe('');
  expect(findings.status).toBe(1);
  expect(findings.stdout).toContain('pss-privileged');
  expect(findings.stdout).toContain('privileged.yaml:');

  const clean = run('npx', ['--no', '--', 'kubeharden', 'check', '--profile', 'restricted', 'restricted.yaml'], app);
  expect(clean.stdout).toContain('no findings');
  expect(clean.status).toBe(0);
});

test('a cdk8s app with HardenedDeployment and Guard synthesizes manifests the CLI passes; Guard fails a privileged pod', () => {
  const synth = node(app, 'synth.js', `
    const { App, Chart, ApiObject } = require('cdk8s');
    const { Guard, HardenedDeployment, HardenedNamespace } = require('kubeharden');
    const app = new App({ outdir: process.argv[2] });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    Guard.of(chart);
    new HardenedNamespace(chart, 'ns', { name: 'shop' });
    new HardenedDeployment(chart, 'web', { image: ${JSON.stringify(IMAGE)} });
    if (process.argv[3] === 'privileged') {
      new ApiObject(chart, 'debug', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' },
        spec: { containers: [{ name: 'shell', image: ${JSON.stringify(IMAGE)}, securityContext: { privileged: true } }] },
      });
    }
    app.synth();
  `, ['dist']);
  expect(synth.stderr).toBe('');
  expect(synth.status).toBe(0);
  const manifest = fs.readFileSync(path.join(app, 'dist', 'shop.k8s.yaml'), 'utf8');
  expect(manifest).toContain('kind: Deployment');
  expect(manifest).toContain('kind: NetworkPolicy');

  const check = run('npx', ['--no', '--', 'kubeharden', 'check', 'dist'], app);
  expect(check.stdout).toContain('no findings');
  expect(check.status).toBe(0);

  const guarded = run(process.execPath, ['synth.js', 'dist-privileged', 'privileged'], app);
  expect(guarded.status).not.toBe(0);
  expect(guarded.stderr).toContain('pss-privileged');
  expect(fs.existsSync(path.join(app, 'dist-privileged', 'shop.k8s.yaml'))).toBe(false);
});

/** A script that loads both subpaths and runs them, printing what it saw as JSON. */
const SUBPATHS_CJS = `
  const fs = require('fs');
  let policyInstalled = true;
  try { require.resolve('@pulumi/policy'); } catch { policyInstalled = false; }
  const { kubehardenPolicies } = require('kubeharden/pulumi');
  const { main } = require('kubeharden/cli');
  (async () => {
    const policies = kubehardenPolicies({ profile: 'hardened' });
    const privileged = policies.find((p) => p.name === 'pss-privileged');
    const violations = [];
    const validations = [].concat(privileged.validateResource);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' },
      spec: { containers: [{ name: 'shell', image: 'shell', securityContext: { privileged: true } }] } };
    for (const validate of validations) {
      await validate({
        type: 'kubernetes:core/v1:Pod', props: pod, urn: 'urn:pulumi:dev::shop::kubernetes:core/v1:Pod::debug', name: 'debug',
        opts: {}, stackTags: new Map(), isType: () => false, asType: () => undefined, getConfig: () => ({}),
        notApplicable: () => { throw new Error('not applicable'); },
      }, (message) => violations.push(message));
    }
    let stdout = '';
    const code = await main(['check', '--profile', 'baseline', '--format', 'json', 'privileged.yaml'],
      { stdout: { write: (t) => { stdout += t; } }, stderr: { write: () => undefined }, env: {} });
    const loaded = Object.keys(require.cache).filter((f) => f.includes('@pulumi'));
    console.log(JSON.stringify({ policyInstalled, count: policies.length, violations, code,
      rules: JSON.parse(stdout).findings.map((f) => f.ruleId), loaded }));
  })().catch((e) => { console.error(e && e.message); process.exit(3); });
`;

const SUBPATHS_ESM = `
  import { kubehardenPolicies } from 'kubeharden/pulumi';
  import { main, EXIT_FINDINGS } from 'kubeharden/cli';
  import { Engine } from 'kubeharden';
  const report = new Engine({ profile: 'baseline' }).checkText(${JSON.stringify(PRIVILEGED_POD)}, 'pod.yaml');
  console.log(JSON.stringify({ policies: kubehardenPolicies().length, main: typeof main, EXIT_FINDINGS,
    rules: report.findings.map((f) => f.ruleId) }));
`;

/**
 * TypeScript that uses the subpaths (`pulumi`: kubeharden/pulumi too; `pack`: and @pulumi/policy's
 * PolicyPack); the @ts-expect-error lines fail if an import resolves to `any`.
 */
function typeCheckSource(uses: 'cli' | 'pulumi' | 'pack'): string {
  return [
    "import { main, EXIT_FINDINGS, CliIo } from 'kubeharden/cli';",
    "import { Engine, Profile } from 'kubeharden';",
    ...(uses !== 'cli' ? [
      "import { kubehardenPolicies, KubehardenPolicy } from 'kubeharden/pulumi';",
      "export const policies: KubehardenPolicy[] = kubehardenPolicies({ profile: 'restricted' });",
      '// @ts-expect-error not a profile',
      "kubehardenPolicies({ profile: 'strictest' });",
    ] : []),
    ...(uses === 'pack' ? [
      "import { PolicyPack } from '@pulumi/policy';",
      'export const packArgs: ConstructorParameters<typeof PolicyPack>[1] = { policies };',
    ] : []),
    'const io: CliIo = { stdout: { write: () => undefined }, stderr: { write: () => undefined } };',
    "export const code: Promise<number> = main(['check', 'k8s/'], io);",
    'export const findings: number = EXIT_FINDINGS;',
    'export const engine = new Engine({ profile: Profile.BASELINE });',
    '// @ts-expect-error argv is strings',
    'main([1], io);',
    '',
  ].join('\n');
}

/** Type-checks the consumer's source with the repository's TypeScript, under one module resolution. */
function typeCheck(resolution: 'node' | 'node16', file: string): SpawnSyncReturns<string> {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: 'es2022',
    module: resolution === 'node' ? 'commonjs' : 'node16',
    moduleResolution: resolution,
    // node10 is deprecated from TypeScript 6.0 on, still what many projects on TypeScript 5 use
    ...(resolution === 'node' ? { ignoreDeprecations: '6.0' } : {}),
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  };
  const config = `tsconfig.${resolution}.json`;
  fs.writeFileSync(path.join(app, config), JSON.stringify({ compilerOptions, files: [file] }, null, 2));
  return run(process.execPath, [TSC, '-p', config], app);
}

test('kubeharden/pulumi and kubeharden/cli load with nothing but the peers: @pulumi/policy is not needed at run time', () => {
  const cjs = node(app, 'subpaths.js', SUBPATHS_CJS);
  expect(cjs.stderr).toBe('');
  expect(cjs.status).toBe(0);
  const seen = JSON.parse(cjs.stdout);
  expect(seen.policyInstalled).toBe(false);
  expect(seen.count).toBeGreaterThan(20);
  expect(seen.violations).toHaveLength(1);
  expect(seen.violations[0]).toContain('privileged');
  expect(seen.code).toBe(1);
  expect(seen.rules).toContain('pss-privileged');
  expect(seen.loaded).toEqual([]);

  const esm = node(app, 'subpaths.mjs', SUBPATHS_ESM);
  expect(esm.stderr).toBe('');
  expect(esm.status).toBe(0);
  const imported = JSON.parse(esm.stdout);
  expect(imported).toMatchObject({ policies: seen.count, main: 'function', EXIT_FINDINGS: 1 });
  expect(imported.rules).toContain('pss-privileged');
});

test('TypeScript resolves kubeharden/cli under moduleResolution node (node10) and node16', () => {
  fs.writeFileSync(path.join(app, 'cli-consumer.ts'), typeCheckSource('cli'));
  for (const resolution of ['node', 'node16'] as const) {
    const r = typeCheck(resolution, 'cli-consumer.ts');
    expect({ resolution, output: r.stdout + r.stderr }).toEqual({ resolution, output: '' });
    expect(r.status).toBe(0);
  }
});

test('with @pulumi/policy installed (as a policy pack has it), TypeScript resolves kubeharden/pulumi under node10 and node16', () => {
  fs.writeFileSync(path.join(app, 'pulumi-consumer.ts'), typeCheckSource('pulumi'));
  fs.writeFileSync(path.join(app, 'pack-consumer.ts'), typeCheckSource('pack'));
  // the typings of kubeharden/pulumi name @pulumi/policy's types: without it, they do not resolve
  const without = typeCheck('node16', 'pulumi-consumer.ts');
  expect(without.status).not.toBe(0);
  expect(without.stdout).toMatch(/^node_modules\/kubeharden\/lib\/pulumi\/\S+\.d\.ts\(\d+,\d+\): error TS2307: Cannot find module '@pulumi\/policy'/m);

  const range = PKG.devDependencies['@pulumi/policy'];
  mustRun('npm', ['install', ...NPM_FLAGS, `@pulumi/policy@${range}`], app, 600_000);
  for (const resolution of ['node', 'node16'] as const) {
    const r = typeCheck(resolution, 'pack-consumer.ts');
    // @pulumi/policy 1.21's own index.d.ts re-exports names its proxy.d.ts does not declare:
    // with skipLibCheck off, those errors are its own; every other line must be absent
    const ours = (r.stdout + r.stderr).split('\n').filter((l) => l !== '' && !l.startsWith('node_modules/@pulumi/'));
    expect({ resolution, errors: ours }).toEqual({ resolution, errors: [] });
  }

  // the adapter still loads no copy of @pulumi/policy or @pulumi/pulumi of its own
  const cjs = node(app, 'subpaths.js', SUBPATHS_CJS);
  expect(cjs.status).toBe(0);
  expect(JSON.parse(cjs.stdout)).toMatchObject({ policyInstalled: true, loaded: [] });
}, 660_000);
