/**
 * Documentation that runs. Every fenced block of README.md and docs/*.md is accounted for
 * in COVERAGE: run by a test of this file, mapped to the test that runs it (which must
 * exist and read the block), or not runnable here, with the reason and what is checked
 * instead. A block that is in no entry, or an entry that matches no block, fails the test.
 *
 * TypeScript blocks and the `@example`s of the public API's JSDoc (src/constructs,
 * src/engine, src/pulumi) are compiled in one strict program against the built package
 * (`kubeharden` linked to this repository, resolved through its `exports`); fragments get
 * the imports they use and declarations of the names they take as given (`chart`, `web`…).
 * Complete programs are run with node in a temporary directory. Shell lines run with bash,
 * with `npx kubeharden` being this repository's bin. Needs lib/ (`npm run demo`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { assertValidSarif } from '../cli/sarif-check';
import { CLEAN_MANIFESTS as CLEAN } from '../fixtures/clean-manifests';
import { blockId, FencedBlock, fencedBlocks, JsdocExample, jsdocExamples, ROOT } from './snippets/markdown';
import { exportedNames, fragmentModule, FragmentModule, ImportSource, SnippetDiagnostic, SnippetProject } from './snippets/project';
import { kubeharden, removeTemporaryDirectories, runShell, shimPath, workTree } from './snippets/shell';

const DOC_FILES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const BLOCKS = DOC_FILES.flatMap((f) => fencedBlocks(f));
const EXAMPLES = ['src/constructs', 'src/engine', 'src/pulumi'].flatMap((d) => jsdocExamples(d));

/** How a block is covered. */
type Coverage =
  | { readonly lang: string; readonly how: 'here' }
  | { readonly lang: string; readonly how: 'mapped'; readonly test: string; readonly reads: string }
  | { readonly lang: string; readonly how: 'not-runnable'; readonly reason: string };

/**
 * Every block, by `file § heading #n` (n-th block under that heading). `mapped`: `test`
 * runs it and contains `reads` (the marker or heading it finds the block by).
 * `not-runnable`: a test below still checks what it can.
 */
const COVERAGE: { [id: string]: Coverage } = {
  'README.md § (top) #1': {
    lang: 'sh',
    how: 'mapped',
    test: '.ci/run',
    reads: 'npm run demo',
  },
  'README.md § The command line #1': { lang: 'sh', how: 'here' },
  'README.md § kubeharden fix #1': { lang: 'sh', how: 'mapped', test: 'test/cli/fix.test.ts', reads: '<!-- kubeharden:fix-example -->' },
  'README.md § In pipelines #1': { lang: 'yaml', how: 'here' },
  'README.md § In pipelines #2': { lang: 'yaml', how: 'here' },
  'README.md § Secure-by-default cdk8s constructs #1': { lang: 'ts', how: 'here' },
  'README.md § The cdk8s CLI validation plugin #1': {
    lang: 'yaml', how: 'mapped', test: 'test/integration/cdk8s-cli.test.ts', reads: '<!-- kubeharden:cdk8s-validation:${form} -->',
  },
  'README.md § The cdk8s CLI validation plugin #2': {
    lang: 'yaml', how: 'mapped', test: 'test/integration/cdk8s-cli.test.ts', reads: '<!-- kubeharden:cdk8s-validation:${form} -->',
  },
  'README.md § From Python #1': { lang: 'python', how: 'mapped', test: 'test/python/checks.py', reads: '\\n### From Python\\n' },
  'README.md § From Python #2': { lang: 'python', how: 'mapped', test: 'test/python/checks.py', reads: '\\n### From Python\\n' },
  'README.md § Pulumi CrossGuard #1': {
    lang: 'ts',
    how: 'not-runnable',
    reason: 'new PolicyPack() serves the Pulumi engine over gRPC and needs `pulumi preview`; it is type-checked here, and '
      + 'test/pulumi/grpc-pack.test.ts drives examples/pulumi-policy-pack (the same call) as the Pulumi CLI does',
  },
  'README.md § Suppressions #1': { lang: 'yaml', how: 'here' },
  'README.md § The library #1': { lang: 'ts', how: 'here' },
  'README.md § Configuration #1': { lang: 'yaml', how: 'here' },
  'docs/benchmarks.md § How to run #1': {
    lang: 'sh',
    how: 'not-runnable',
    reason: '`npm ci` reinstalls the tree under the running tests and `npm run bench` takes minutes; the scripts it names are checked',
  },
  'docs/admission.md § Install, then roll out: warn, then deny #1': {
    lang: 'sh', how: 'mapped', test: 'test/cluster/admission.test.ts', reads: '<!-- kubeharden:admission-rollout -->',
  },
  'docs/admission.md § Install, then roll out: warn, then deny #2': { lang: 'ts', how: 'here' },
  'docs/admission.md § Fixing at admission: `--mutate` #1': {
    lang: 'sh', how: 'mapped', test: 'test/cluster/admission-mutate.test.ts', reads: '<!-- kubeharden:admission-mutate -->',
  },
  'docs/report-format.md § Example #1': { lang: 'json', how: 'here' },
  'docs/report-format.md § Text (`--format text`) #1': { lang: '', how: 'here' },
  'docs/report-format.md § SARIF (`--format sarif`) #1': { lang: 'yaml', how: 'here' },
};

/** Blocks covered by a rule rather than by name: the benchmark runs docs/benchmarks.md records, newest first. */
const BENCHMARK_OUTPUT: Coverage = {
  lang: '',
  how: 'not-runnable',
  reason: 'a measurement of `npm run bench` on a given machine and commit (minutes long); the newest is checked to have '
    + 'the layout bench/run.js prints, each to be consistent with its own summary line',
};
const isBenchmarkOutput = (b: FencedBlock) => b.file === 'docs/benchmarks.md' && b.lang === '' && b.text.startsWith('kubeharden benchmark — ');

function coverageOf(b: FencedBlock): Coverage | undefined {
  return COVERAGE[blockId(b)] ?? (isBenchmarkOutput(b) ? BENCHMARK_OUTPUT : undefined);
}

/** The block named `id`; throws, naming the ids there are, when there is none. */
function block(id: string): FencedBlock {
  const b = BLOCKS.find((x) => blockId(x) === id);
  if (!b) throw new Error(`no block ${id}; the blocks are:\n${BLOCKS.map(blockId).join('\n')}`);
  return b;
}

/** The src/ files of the jsii library whose lib/ build is missing or older than the source. */
function staleLib(dir = path.join(ROOT, 'src'), rel = ''): string[] {
  const stale: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const sub = path.join(rel, e.name);
    if (e.isDirectory()) {
      stale.push(...staleLib(path.join(dir, e.name), sub));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      const built = path.join(ROOT, 'lib', sub.replace(/\.ts$/, '.js'));
      if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(path.join(dir, e.name)).mtimeMs) stale.push(`src/${sub}`);
    }
  }
  return stale;
}

/** What standard error may hold after a check: nothing, or the summary of a report written with --output. */
const WRITTEN = /^(kubeharden: \w+ report written to \S+: [^\n]*\n)?$/;


beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'cli', 'main.js')) || !fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
    throw new Error('lib/ is missing: the documentation snippets run against the built package. Run `npm run demo` first.');
  }
});

afterAll(() => removeTemporaryDirectories());

describe('inventory', () => {
  test('every block of README.md and docs/*.md is run, mapped to the test that runs it, or marked not runnable', () => {
    const unaccounted = BLOCKS.filter((b) => !coverageOf(b)).map((b) => `${b.file}:${b.line}: ${blockId(b)} (\`\`\`${b.lang})`);
    expect(unaccounted).toEqual([]);
    const wrongLang = BLOCKS.filter((b) => coverageOf(b) && coverageOf(b)!.lang !== b.lang)
      .map((b) => `${b.file}:${b.line}: ${blockId(b)} is \`\`\`${b.lang}, COVERAGE says ${coverageOf(b)!.lang}`);
    expect(wrongLang).toEqual([]);
    const stale = Object.keys(COVERAGE).filter((id) => !BLOCKS.some((b) => blockId(b) === id));
    expect(stale).toEqual([]);
  });

  test('each mapped block is read by the test it is mapped to', () => {
    for (const [id, c] of Object.entries(COVERAGE)) {
      if (c.how !== 'mapped') continue;
      const file = path.join(ROOT, c.test);
      expect({ id, test: c.test, exists: fs.existsSync(file) }).toEqual({ id, test: c.test, exists: true });
      expect({ id, test: c.test, reads: fs.readFileSync(file, 'utf8').includes(c.reads) }).toEqual({ id, test: c.test, reads: true });
    }
    // the marker the cdk8s-cli test reads is the one above each block
    expect(block('README.md § The cdk8s CLI validation plugin #1').marker).toBe('<!-- kubeharden:cdk8s-validation:published -->');
    expect(block('README.md § The cdk8s CLI validation plugin #2').marker).toBe('<!-- kubeharden:cdk8s-validation:local -->');
    expect(block('README.md § kubeharden fix #1').marker).toBe('<!-- kubeharden:fix-example -->');
  });
});

describe('shell', () => {
  test('README.md § The command line: every line runs, on copies of examples/insecure, with the exit code of its input', () => {
    const b = block('README.md § The command line #1');
    const dir = workTree({}, { manifests: 'examples/insecure', k8s: 'examples/insecure' });
    const env = { PATH: shimPath(path.join(ROOT, 'examples', 'insecure', 'workloads.yaml')) };
    const lines = b.text.split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const [i, line] of lines.entries()) {
      const r = runShell(line, dir, env);
      // examples/insecure has critical findings: every check fails with 1; listing and explaining rules succeed
      const expected = /\bkubeharden (rules|explain)\b/.test(line) ? 0 : 1;
      const at = `${b.file}:${b.line + 1 + i}`;
      // standard error holds at most the summary of a report written to a file
      expect({ at, status: r.status, stderr: r.stderr }).toEqual({ at, status: expected, stderr: expect.stringMatching(WRITTEN) });
      if (expected === 1 && !line.includes('--output')) expect(r.stdout).toMatch(/critical/);
    }
    assertValidSarif(fs.readFileSync(path.join(dir, 'kubeharden.sarif'), 'utf8'), 'the SARIF log of README.md § The command line');
  });

  test('README.md § (top): the commands are package scripts, and .ci/run runs them on a fresh clone', () => {
    const b = block('README.md § (top) #1');
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    for (const command of b.text.split('\n').flatMap((l) => l.split('&&')).map((c) => c.trim()).filter(Boolean)) {
      const run = /^npm (?:run )?([\w:-]+)$/.exec(command);
      expect({ command, npm: !!run }).toEqual({ command, npm: true });
      if (run![1] !== 'ci') expect({ command, script: run![1] in scripts }).toEqual({ command, script: true });
      expect({ command, inCi: new RegExp(`^${command.replace(/\s+/g, '\\s+')}\\b`, 'm').test(ci) }).toEqual({ command, inCi: true });
    }
  });

  test('docs/benchmarks.md § How to run: the scripts it runs exist, and bench is bench/run.js', () => {
    const b = block('docs/benchmarks.md § How to run #1');
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;
    for (const line of b.text.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean)) {
      const run = /^npm (?:run )?([\w:-]+)$/.exec(line);
      expect({ line, npm: !!run }).toEqual({ line, npm: true });
      if (run![1] !== 'ci') expect({ line, script: run![1] in scripts }).toEqual({ line, script: true });
    }
    expect(b.text).toContain('# = node bench/run.js');
    expect(tasks.bench.steps).toEqual([{ exec: 'node bench/run.js' }]);
    expect(fs.existsSync(path.join(ROOT, 'bench', 'run.js'))).toBe(true);
  });
});

describe('docs/benchmarks.md: the recorded runs', () => {
  const runs = BLOCKS.filter(isBenchmarkOutput);
  const source = fs.readFileSync(path.join(ROOT, 'bench', 'run.js'), 'utf8');

  test('the newest run has the rows and summary keys bench/run.js prints, in its order', () => {
    expect(runs.length).toBeGreaterThan(0);
    const labels = [...source.matchAll(/^\s*\['([^']+)', /gm)].map((m) => m[1]);
    expect(labels.length).toBeGreaterThan(5);
    const rows = runs[0].text.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.slice(2, 46).trimEnd());
    expect(rows).toEqual(labels);
    const summaryKeys = [.../JSON\.stringify\(\{([\s\S]*?)\}\)\)/.exec(source)![1].matchAll(/^\s*(\w+):/gm)].map((m) => m[1]);
    const summary = JSON.parse(runs[0].text.trim().split('\n').pop()!);
    expect(Object.keys(summary)).toEqual(summaryKeys);
  });

  test('each run agrees with its own summary line', () => {
    for (const run of runs) {
      const summary = JSON.parse(run.text.trim().split('\n').pop()!);
      const row = (label: string) => run.text.split('\n').find((l) => l.startsWith(`  ${label}`))!.slice(46).trim().split(/\s+/)[0];
      const at = `${run.file}:${run.line}`;
      expect({ at, floor: Number(row('floor:').replace(/,/g, '')) }).toEqual({ at, floor: Math.round(summary.floorMs) });
      expect({ at, check: Number(row('engine: read').replace(/,/g, '')) }).toEqual({ at, check: Math.round(summary.checkMs) });
      expect({ at, ratio: Math.abs(Number(row('ratio engine')) - summary.ratio) <= 0.005 }).toEqual({ at, ratio: true });
      expect(Math.abs(summary.checkMs / summary.floorMs - summary.ratio)).toBeLessThan(0.002);
    }
  });
});

describe('report samples: docs/report-format.md', () => {
  // the manifests the example describes: web.yaml, a Deployment with a privileged container
  // (line 13) and a Pod whose privileged container is suppressed (line 27); broken.yaml malformed
  const manifests = {
    'manifests/web.yaml': [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  namespace: shop', 'spec:', '  template:', '    spec:',
      '      containers:', '      - name: app',
      '        image: registry.example.com/app@sha256:0000000000000000000000000000000000000000000000000000000000000000',
      '        securityContext:', '          privileged: true',
      '---',
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: cni-agent', '  namespace: kube-system', '  annotations:',
      '    ignore.kubeharden.io/pss-privileged: "the CNI agent programs host networking"',
      'spec:', '  containers:', '  - name: agent',
      '    image: registry.example.com/cni@sha256:0000000000000000000000000000000000000000000000000000000000000000',
      '    securityContext:', '      privileged: true', '',
    ].join('\n'),
    // a quoted scalar continued at column 0: go-yaml reads it, kubeharden refuses it (line 5)
    'manifests/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "settings\noverrides"\n',
  };

  test('§ Example: the JSON report is exactly what the documented command writes, with exit code 2', () => {
    const b = block('docs/report-format.md § Example #1');
    const dir = workTree(manifests);
    const r = kubeharden(['check', '--profile', 'baseline', '--format', 'json', 'manifests'], dir);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(b.text));
  });

  test('§ Text: the text report is exactly what the same command writes with --format text', () => {
    const b = block('docs/report-format.md § Text (`--format text`) #1');
    const dir = workTree(manifests);
    const r = kubeharden(['check', '--profile', 'baseline', 'manifests'], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(b.text);
  });

  test('§ SARIF: the workflow step writes a valid SARIF log, and uploads it with the action version action.yml uses', () => {
    const b = block('docs/report-format.md § SARIF (`--format sarif`) #1');
    const steps = parse(b.text) as Array<{ run?: string; uses?: string; with?: { sarif_file?: string } }>;
    const run = steps.find((s) => s.run)!;
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    const dir = workTree({}, { manifests: 'examples/insecure' });
    const r = runShell(run.run!, dir, { PATH: shimPath('/dev/null') });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 1, stderr: expect.stringMatching(WRITTEN) });
    const log = assertValidSarif(fs.readFileSync(path.join(dir, upload.with!.sarif_file!), 'utf8'));
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    const ours = action.runs.steps.find((s: any) => String(s.uses ?? '').startsWith('github/codeql-action/upload-sarif@'));
    expect(upload.uses).toBe(ours.uses);
  });
});

describe('YAML blocks of README.md', () => {
  test('§ In pipelines #1: the workflow step\'s inputs are the action\'s, and its check step runs them (exit 0 on clean manifests)', () => {
    const b = block('README.md § In pipelines #1');
    const steps = parse(b.text) as Array<{ uses?: string; with?: { [input: string]: unknown } }>;
    const step = steps.find((s) => s.uses?.startsWith('kubeharden/kubeharden@'))!;
    const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    const given: { [input: string]: string } = {};
    for (const [k, v] of Object.entries(step.with ?? {})) {
      expect({ input: k, declared: k in action.inputs }).toEqual({ input: k, declared: true });
      given[k] = String(v);
    }
    const paths = given.paths.split(/\s+/).filter(Boolean);
    const dir = workTree(Object.fromEntries(paths.map((p, i) => [`${p.replace(/\/$/, '')}/app-${i}.yaml`, CLEAN.replace(/web/g, `web${i}`)])));
    const check = action.runs.steps.find((s: any) => s.id === 'check');
    const out = path.join(dir, '.github-output');
    fs.writeFileSync(out, '');
    const env: NodeJS.ProcessEnv = { PATH: shimPath('/dev/null'), GITHUB_OUTPUT: out };
    for (const [name, expr] of Object.entries(check.env as { [k: string]: string })) {
      const input = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(expr)![1];
      env[name] = given[input] ?? String(action.inputs[input].default ?? '');
    }
    const r = runShell(`set -e\n${check.run}`, dir, env);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain(`in ${paths.length} files`);
    expect(fs.readFileSync(out, 'utf8')).toContain(`sarif=${given.sarif}`);
    expect(assertValidSarif(fs.readFileSync(path.join(dir, given.sarif), 'utf8')).runs[0].results).toEqual([]);
  });

  test('§ In pipelines #2: the pre-commit hook as configured passes clean manifests and fails insecure ones', () => {
    const b = block('README.md § In pipelines #2');
    const [repo] = parse(b.text) as Array<{ hooks: Array<{ id: string; files: string; args: string[] }> }>;
    const config = repo.hooks[0];
    const hook = (parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as any[]).find((h) => h.id === config.id);
    expect(hook).toBeDefined();
    // pre-commit passes the staged files the configuration's `files` selects (it replaces the hook's)
    const run = (dir: string, staged: string[]) => {
      const selected = staged.filter((f) => new RegExp(config.files).test(f));
      return runShell([hook.entry, ...config.args, ...selected].join(' '), dir, { PATH: shimPath('/dev/null') });
    };
    const clean = workTree({ 'k8s/web.yaml': CLEAN, 'package.json': '{"name": "shop"}\n' });
    const ok = run(clean, ['k8s/web.yaml', 'package.json']);
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
    expect(ok.stdout).toContain('profile restricted');
    const insecure = workTree({ 'package.json': '{"name": "shop"}\n' }, { k8s: 'examples/insecure' });
    expect(run(insecure, ['k8s/workloads.yaml', 'package.json']).status).toBe(1);
  });

  test('§ Suppressions: the annotation suppresses the finding, with its reason', () => {
    const b = block('README.md § Suppressions #1');
    const fragment = parse(b.text);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'backup', namespace: 'ops', ...fragment.metadata },
      spec: { containers: [{ name: 'c', image: 'registry.example.com/backup:1.0' }], volumes: [{ name: 'spool', hostPath: { path: '/var/spool/backup' } }] },
    };
    const ruleId = Object.keys(fragment.metadata.annotations)[0].replace('ignore.kubeharden.io/', '');
    const r = kubeharden(['check', '--profile', 'baseline', '--format', 'json', '-'], ROOT, JSON.stringify(pod));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const findings = JSON.parse(r.stdout).findings.filter((f: any) => f.ruleId === ruleId);
    expect(findings.map((f: any) => [f.suppressed, f.suppressionReason])).toEqual([[true, Object.values(fragment.metadata.annotations)[0]]]);
  });

  test('§ Configuration: kubeharden check runs with it (no exit 2), and its rules take effect', () => {
    const b = block('README.md § Configuration #1');
    const pod = (name: string, image: string) => [
      'apiVersion: v1', 'kind: Pod', `metadata: {name: ${name}, namespace: shop}`, 'spec:', '  containers:', `  - {name: c, image: "${image}"}`, '',
    ].join('\n');
    const dir = workTree({
      'kubeharden.config.yaml': b.text,
      'k8s/pods.yaml': `${pod('outside', 'docker.io/library/nginx:1.25')}---\n${pod('inside', 'registry.example.com/shop/web:1.0')}`,
    });
    const r = kubeharden(['check', '--format', 'json', 'k8s'], dir);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 1, stderr: '' });
    const report = JSON.parse(r.stdout);
    expect(report.profile).toBe('hardened');
    const ids = report.findings.map((f: any) => `${f.ruleId} ${f.severity} ${f.object.name}`);
    expect(ids).toContain('allowed-registries critical outside');
    expect(ids.filter((i: string) => i.startsWith('allowed-registries ') && i.endsWith(' inside'))).toEqual([]);
    expect(ids.filter((i: string) => i.startsWith('image-digest '))).toEqual([]);
  });

  test('§ From Python: the blocks appear verbatim in test/python/app.py, which test/python/run.sh synthesizes and checks', () => {
    const app = fs.readFileSync(path.join(ROOT, 'test', 'python', 'app.py'), 'utf8');
    for (const id of ['README.md § From Python #1', 'README.md § From Python #2']) {
      const b = block(id);
      expect({ id, verbatim: app.includes(b.text) }).toEqual({ id, verbatim: true });
    }
    expect(fs.readFileSync(path.join(ROOT, 'test', 'python', 'run.sh'), 'utf8')).toMatch(/checks\.py" readme "\$root\/README\.md" "\$here\/app\.py"/);
  });
});

describe('TypeScript: README.md blocks and the public API\'s @examples', () => {
  let project: SnippetProject;
  let diagnostics: Map<string, SnippetDiagnostic[]>;
  /** Where each compiled module comes from: a doc or source file and the line of its first code line. */
  const origins = new Map<string, { file: string; line: number; module?: FragmentModule; example?: JsdocExample }>();

  /** The names fragments may take as given, and their types; per file where a name means something else. */
  const GIVEN: { [name: string]: string } = {
    app: 'App',
    chart: 'Chart',
    web: 'HardenedDeployment',
    api: 'HardenedDeployment',
    db: 'HardenedStatefulSet',
    credentials: 'SealedSecretRef',
    dbCredentials: 'SealedSecretRef',
    tls: 'SealedSecretRef',
    image: 'string',
    audit: 'AuditPolicy',
    policy: 'DefaultDenyNetworkPolicy',
    deny: 'DefaultDenyNetworkPolicy',
    role: 'LeastPrivilegeRole',
    report: 'Report',
    context: 'IValidationContext',
    logger: 'IValidationLogger',
    r: 'ValidationViolatingResource',
    pod: 'HardenedPodTemplate',
  };
  const GIVEN_IN: { [file: string]: { [name: string]: string } } = {
    'src/constructs/sealed-secret-ref.ts': { db: 'SealedSecretRef' },
    'src/constructs/validation-plugin.ts': { report: 'IValidationReport' },
  };
  const exampleName = (e: JsdocExample) => `example-${e.file.replace(/^src\//, '').replace(/\W+/g, '-')}-${e.line}.ts`;

  beforeAll(() => {
    project = new SnippetProject();
    const sources: ImportSource[] = [
      { from: 'kubeharden', names: exportedNames(project, 'kubeharden') },
      { from: 'kubeharden/pulumi', names: exportedNames(project, 'kubeharden/pulumi') },
      { from: 'cdk8s', names: ['App', 'Chart', 'ApiObject', 'Include', 'Testing'] },
      { from: 'cdk8s-plus-33', namespace: 'kplus' },
      { from: '@pulumi/policy', names: ['PolicyPack'] },
    ];
    // complete programs, as written
    for (const id of ['README.md § Secure-by-default cdk8s constructs #1', 'README.md § Pulumi CrossGuard #1']) {
      const b = block(id);
      const name = `readme-${b.line}.ts`;
      project.add(name, b.text);
      origins.set(name, { file: b.file, line: b.line + 1 });
    }
    // the library block takes `chart` as given: type-checked with it declared, run with a chart holding a privileged pod
    const lib = block('README.md § The library #1');
    const checked = fragmentModule(lib.text, sources, GIVEN);
    project.add('readme-library.ts', checked.text);
    origins.set('readme-library.ts', { file: lib.file, line: lib.line + 1, module: checked });
    const setup = "const chart = new Chart(new App(), 'shop', { namespace: 'shop' });\n"
      + "new ApiObject(chart, 'agent', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'agent' }, "
      + "spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0', securityContext: { privileged: true } }] } });";
    const runnable = fragmentModule(lib.text, sources, {}, { setup, call: true });
    project.add('readme-library-run.ts', runnable.text);
    origins.set('readme-library-run.ts', { file: lib.file, line: lib.line + 1, module: runnable });
    for (const e of EXAMPLES) {
      const m = fragmentModule(e.code, sources, { ...GIVEN, ...GIVEN_IN[e.file] });
      project.add(exampleName(e), m.text);
      origins.set(exampleName(e), { file: e.file, line: e.line + 1, module: m, example: e });
    }
    // the complete programs among the examples, run as written
    for (const e of EXAMPLES.filter((x) => /new App\(/.test(x.code))) {
      const m = fragmentModule(e.code, sources, {}, { call: true });
      project.add(exampleName(e).replace(/\.ts$/, '-run.ts'), m.text);
    }
    diagnostics = project.compile();
  }, 120_000);

  afterAll(() => project?.dispose());

  /** The diagnostics of a compiled module, located in the doc or source file it comes from. */
  function located(name: string): string[] {
    const o = origins.get(name)!;
    const srcLines = fs.readFileSync(path.join(ROOT, o.file), 'utf8').split('\n');
    return (diagnostics.get(name) ?? []).map((d) => {
      const k = d.line === 0 ? undefined : o.module ? o.module.origin(d.line) : d.line;
      if (k === undefined) return `${o.file}:${o.line}: ${d.message} (in the code the test adds: ${d.file}:${d.line}:${d.column})`;
      const line = o.line + k - 1;
      const prefix = o.example ? /^\s*\* ?/.exec(srcLines[line - 1])?.[0].length ?? 0 : 0;
      return `${o.file}:${line}:${d.column + prefix}: ${d.message}`;
    });
  }

  test('README.md § Secure-by-default cdk8s constructs: compiles, synthesizes, and the manifests pass kubeharden check', () => {
    const b = block('README.md § Secure-by-default cdk8s constructs #1');
    const name = `readme-${b.line}.ts`;
    expect(located(name)).toEqual([]);
    const r = project.run(name);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const written = fs.readdirSync(path.join(r.cwd, 'dist'));
    expect(written.length).toBeGreaterThan(0);
    const check = kubeharden(['check', '--profile', 'hardened', 'dist'], r.cwd);
    expect({ status: check.status, stdout: check.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('no findings') });
    // the objects the comments promise
    const kinds = fs.readFileSync(path.join(r.cwd, 'dist', written[0]), 'utf8').match(/^kind: \w+$/gm) ?? [];
    for (const kind of ['Namespace', 'Deployment', 'NetworkPolicy', 'ServiceAccount', 'Service']) expect(kinds).toContain(`kind: ${kind}`);
  });

  test('README.md § Pulumi CrossGuard: type-checks against kubeharden/pulumi and @pulumi/policy', () => {
    const b = block('README.md § Pulumi CrossGuard #1');
    expect(located(`readme-${b.line}.ts`)).toEqual([]);
    expect(fs.readFileSync(path.join(ROOT, 'test', 'pulumi', 'grpc-pack.test.ts'), 'utf8')).toContain('pulumi-policy-pack');
  });

  test('README.md § The library: compiles, and on a chart with a privileged pod prints the finding', () => {
    expect(located('readme-library.ts')).toEqual([]);
    expect(located('readme-library-run.ts')).toEqual([]);
    const r = project.run('readme-library-run.ts');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('pss-privileged Pod/agent spec.containers[0].securityContext.privileged: container "agent" must not set');
  });

  test('every @example of src/constructs, src/engine and src/pulumi type-checks against the built package', () => {
    expect(EXAMPLES.length).toBeGreaterThan(50);
    const problems = EXAMPLES.flatMap((e) => located(exampleName(e)));
    const stale = staleLib();
    if (problems.length > 0 && stale.length > 0) {
      throw new Error(`${problems.join('\n')}\n(lib/ is older than ${stale.slice(0, 3).join(', ')}: the examples compile against lib/; run \`npm run demo\`)`);
    }
    expect(problems).toEqual([]);
  });

  test('Guard\'s @example (a complete program) fails app.synth() as its comment says, on an included privileged pod', () => {
    const e = EXAMPLES.find((x) => x.symbol === 'Guard' && /new App\(/.test(x.code))!;
    expect(e).toBeDefined();
    const vendor = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n  - name: agent\n'
      + '    image: registry.example.com/agent:1.0\n    securityContext:\n      privileged: true\n';
    const r = project.run(exampleName(e).replace(/\.ts$/, '-run.ts'), { 'vendor/manifests.yaml': vendor });
    expect(r.status).toBe(1);
    const promised = /throws: (.*)$/m.exec(e.code)![1];
    const pattern = new RegExp(`${promised.split('...').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'm');
    expect(r.stderr).toMatch(pattern);
  });

  test('Hardening\'s @example (a complete program) synthesizes a cdk8s-plus Deployment that passes the restricted profile', () => {
    const e = EXAMPLES.find((x) => x.symbol === 'Hardening' && /new App\(/.test(x.code))!;
    expect(e).toBeDefined();
    const r = project.run(exampleName(e).replace(/\.ts$/, '-run.ts'));
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const check = kubeharden(['check', '--profile', 'restricted', 'dist'], r.cwd);
    expect({ status: check.status, stdout: check.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('no findings') });
    expect(check.stdout).toMatch(/1 object|[1-9]\d* objects/);
  });
});
