/**
 * `kubeharden fix`: the rules' fixes written back into the manifests, run in-process with
 * the CLI's main. Every rewrite is judged by what it means (kubeharden's own decoder on
 * the output, the engine on the decoded objects) and by what it keeps (comments, quoting,
 * separators, untouched bytes).
 */
import * as fs from 'fs';
import * as path from 'path';
import { applyDiff, runCli, SUPPRESSED_POD, tempTree } from './helpers';
import { Engine } from '../../src/engine/engine';
import { decodeManifestStream } from '../../src/engine/input/decode';
import { fixOf } from '../../src/engine/rule';

const ROOT = path.resolve(__dirname, '..', '..');
const INSECURE = path.join(ROOT, 'examples', 'insecure');
const DIGEST = 'sha256:0000000000000000000000000000000000000000000000000000000000000000';

/** The objects kubeharden decodes from a text. */
function objectsOf(text: string): any[] {
  const docs = decodeManifestStream(Buffer.from(text, 'utf8'));
  expect(docs.flatMap((d) => d.errors)).toEqual([]);
  return docs.flatMap((d) => d.objects.map((o) => o.value));
}

/** A copy of examples/insecure in a fresh directory. */
function insecureCopy(): string {
  const dir = tempTree({});
  fs.cpSync(INSECURE, path.join(dir, 'insecure'), { recursive: true });
  return path.join(dir, 'insecure');
}

function filesOf(dir: string): { [name: string]: string } {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((n) => [n, fs.readFileSync(path.join(dir, n), 'utf8')]));
}

/** The comments of a YAML text (the examples hold no `#` inside a quoted value). */
function commentsOf(text: string): string[] {
  return text.split('\n').map((l) => /(?:^|\s)(#.*)$/.exec(l)?.[1]).filter((c): c is string => c !== undefined);
}


const FIXABLE = new Set(new Engine().rules.filter((r) => fixOf(r) !== undefined).map((r) => r.metadata.id));

describe('kubeharden fix on examples/insecure', () => {
  test('--write keeps every comment, leaves no fixable finding without a declined reason, and is idempotent', async () => {
    const dir = insecureCopy();
    const before = filesOf(dir);
    const r = await runCli(['fix', dir, '--write']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // findings without a fix remain (RBAC, the Secret, images)
    const after = filesOf(dir);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after['workloads.yaml']).not.toBe(before['workloads.yaml']);
    for (const name of Object.keys(before)) {
      const comments = commentsOf(before[name]);
      for (const c of comments) expect({ name, comment: c, kept: after[name].includes(c) }).toEqual({ name, comment: c, kept: true });
    }
    expect(commentsOf(before['workloads.yaml']).length).toBeGreaterThanOrEqual(4);
    // what is left: findings of fixable rules only where the fix declines, with its reason
    const objects = Object.values(after).flatMap(objectsOf);
    const engine = new Engine();
    const again = engine.fixObjects(objects);
    for (const o of again.objects) expect(o.changes).toEqual([]);
    const open = engine.checkObjects(objects).findings.filter((f) => !f.suppressed && FIXABLE.has(f.ruleId));
    expect(open.length).toBeGreaterThan(0); // resources without the option, runAsNonRoot at UID 0
    for (const f of open) {
      const declined = again.objects.flatMap((o) => o.declined).find((d) => d.ruleId === f.ruleId && d.path === f.path);
      expect({ rule: f.ruleId, path: f.path, reason: declined?.reason }).toEqual({ rule: f.ruleId, path: f.path, reason: expect.stringMatching(/\S{3}/) });
      expect(r.stdout).toContain(`${f.ruleId} ${f.path} — not fixed (${f.severity}): fix declined: ${declined!.reason}`);
    }
    // the changes are listed per object, with their lines in the rewritten file
    expect(r.stdout).toMatch(/workloads\.yaml:\d+ Deployment shop\/legacy-web: pss-privileged spec\.template\.spec\.containers\[0\]\.securityContext\.privileged — /);
    // a second run changes nothing, byte for byte
    const second = await runCli(['fix', dir, '--write']);
    expect(second.code).toBe(1);
    expect(filesOf(dir)).toEqual(after);
    expect(second.stdout).toMatch(/kubeharden fix: 0 changes in 0 objects, 0 files rewritten/);
    // and check agrees about what is left
    const check = await runCli(['check', dir, '--format', 'json']);
    const findings = JSON.parse(check.stdout).findings.filter((f: any) => !f.suppressed);
    expect(findings.filter((f: any) => FIXABLE.has(f.ruleId)).length).toBe(open.length);
  });

  test('only the fixed lines change: every other line of the file is kept, in order', async () => {
    const dir = insecureCopy();
    const before = fs.readFileSync(path.join(dir, 'workloads.yaml'), 'utf8');
    await runCli(['fix', dir, '--write']);
    const after = fs.readFileSync(path.join(dir, 'workloads.yaml'), 'utf8').split('\n');
    // the lines a fix does not touch appear in the output in the same order
    const touched = /hostNetwork|hostPort|privileged|capabilities|add:|allowPrivilegeEscalation|seccompProfile/;
    let k = 0;
    for (const line of before.split('\n').filter((l) => !touched.test(l))) {
      while (k < after.length && after[k] !== line) k++;
      expect({ line, found: k < after.length }).toEqual({ line, found: true });
      k++;
    }
  });

  test('--dry-run prints a unified diff that turns the file into the fixed one, and changes nothing', async () => {
    const dir = insecureCopy();
    const before = filesOf(dir);
    const r = await runCli(['fix', path.join(dir, 'workloads.yaml'), '--dry-run']);
    expect(r.code).toBe(1);
    expect(filesOf(dir)).toEqual(before);
    expect(r.stdout).toMatch(/^--- .*workloads\.yaml\n\+\+\+ .*workloads\.yaml\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(r.stdout).toContain('-          privileged: true\n+          privileged: false\n');
    // the changes go to standard error, next to the diff
    expect(r.stderr).toMatch(/pss-privileged .* — sets `securityContext\.privileged: false`/);
    // the diff is the rewrite: applied to the file, it gives what --write writes
    const patched = applyDiff(before['workloads.yaml'], r.stdout);
    await runCli(['fix', dir, '--write']);
    expect(patched).toBe(fs.readFileSync(path.join(dir, 'workloads.yaml'), 'utf8'));
  });
});

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  'spec:',
  '  containers:',
  '  - name: app',
  `    image: "registry.example.com/app@${DIGEST}"`,
  '    securityContext:',
  '      privileged: true   # the agent needs it',
  '',
].join('\n');

describe('what fix keeps', () => {
  test('a multi-document stream: separators, comments between documents, quoting and untouched documents stay', async () => {
    const stream = [
      '# leading comment',
      '---',
      POD.trimEnd(),
      '--- # the config',
      '# a comment before the ConfigMap',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: "settings", namespace: shop}',
      "data: {mode: 'fast', note: \"quoted\"}",
      '---',
      '',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: "second"',
      '  namespace: shop',
      'spec:',
      '  hostNetwork: true',
      '  containers: [{name: a, image: "x@' + DIGEST + '"}]',
      '',
    ].join('\n');
    const dir = tempTree({ 'all.yaml': stream });
    const file = path.join(dir, 'all.yaml');
    const r = await runCli(['fix', file, '--write']);
    expect(r.code).toBe(1);
    const out = fs.readFileSync(file, 'utf8');
    // separators and comments, every one, in order
    const keep = ['# leading comment', '---', '--- # the config', '# a comment before the ConfigMap', '---', '---'];
    let at = 0;
    for (const line of keep) {
      const i = out.split('\n').indexOf(line, at);
      expect({ line, found: i >= 0 }).toEqual({ line, found: true });
      at = i + 1;
    }
    expect(out).toContain('      privileged: false   # the agent needs it\n');
    expect(out).toContain(`    image: "registry.example.com/app@${DIGEST}"\n`);
    // the untouched document is byte for byte the same
    expect(out).toContain("metadata: {name: \"settings\", namespace: shop}\ndata: {mode: 'fast', note: \"quoted\"}\n");
    expect(out).toContain('  name: "second"\n');
    expect(out).toContain('  hostNetwork: false\n');
    // and the result means exactly the fixed objects
    const fixed = new Engine().fixObjects(objectsOf(stream)).objects.map((o) => o.fixed);
    expect(objectsOf(out)).toEqual(fixed);
  });

  test('a kind: List: each item is fixed in place, in block and flow style', async () => {
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: a, namespace: shop}',
      '  spec:',
      `    containers: [{name: c, image: "x@${DIGEST}", securityContext: {privileged: true}}]`,
      '- kind: ServiceAccount',
      '  apiVersion: v1',
      '  metadata: {name: robot, namespace: shop}',
      '# the last item',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata:',
      '    name: b',
      '    namespace: shop',
      '  spec:',
      '    hostPID: yes',
      '    containers:',
      '      - name: c',
      `        image: "y@${DIGEST}"`,
      '        ports:',
      '          - hostPort: 8080   # not needed',
      '            containerPort: 8080',
      '',
    ].join('\n');
    const dir = tempTree({ 'list.yaml': list });
    const file = path.join(dir, 'list.yaml');
    const r = await runCli(['fix', file, '--write']);
    expect(r.stdout).not.toMatch(/cannot rewrite/);
    const out = fs.readFileSync(file, 'utf8');
    expect(out).toContain('# the last item\n');
    expect(out).toContain('# not needed');
    expect(out).not.toContain('hostPort');
    expect(out).toContain('    hostPID: false\n');
    expect(out).toMatch(/securityContext: \{privileged: false, /);
    const fixed = new Engine().fixObjects(objectsOf(list)).objects.map((o) => o.fixed);
    expect(objectsOf(out)).toEqual(fixed);
    // the changes name the items' objects and their lines
    expect(r.stdout).toMatch(/list\.yaml:\d+ Pod shop\/b: pss-host-ports spec\.containers\[0\]\.ports\[0\]\.hostPort — removes/);
  });

  test('JSON stays JSON: the changed value is written again with its indentation', async () => {
    const json = `${JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'j', namespace: 'shop' },
      spec: { containers: [{ name: 'c', image: `x@${DIGEST}`, securityContext: { privileged: true } }] },
    }, null, 4)}\n`;
    const dir = tempTree({ 'pod.json': json });
    const file = path.join(dir, 'pod.json');
    const r = await runCli(['fix', file, '--write']);
    expect(r.stdout).not.toMatch(/cannot rewrite/);
    const out = fs.readFileSync(file, 'utf8');
    const value = JSON.parse(out);
    expect(value.spec.containers[0].securityContext.privileged).toBe(false);
    expect(out).toMatch(/^\{\n {4}"apiVersion": "v1",\n/);
    expect(out.endsWith('}\n')).toBe(true);
    expect(objectsOf(out)).toEqual(new Engine().fixObjects(objectsOf(json)).objects.map((o) => o.fixed));
  });

  test('standard input to standard output, the changes on standard error', async () => {
    const r = await runCli(['fix', '-', '--stdin-filename', 'chart/pod.yaml'], { stdin: POD });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('      privileged: false   # the agent needs it\n');
    expect(r.stdout.startsWith('apiVersion: v1\nkind: Pod\n')).toBe(true);
    expect(r.stderr).toMatch(/^chart\/pod\.yaml:11 Pod shop\/web: pss-privileged spec\.containers\[0\]\.securityContext\.privileged — /m);
    expect(objectsOf(r.stdout)).toEqual(new Engine().fixObjects(objectsOf(POD)).objects.map((o) => o.fixed));
    // without a path, standard input is read when it is not a terminal
    const bare = await runCli(['fix'], { stdin: POD });
    expect(bare.stdout).toBe(r.stdout);
  });

  test('--output writes the one input\'s result elsewhere; --write refuses standard input', async () => {
    const dir = tempTree({ 'pod.yaml': POD });
    const out = path.join(dir, 'fixed.yaml');
    const r = await runCli(['fix', path.join(dir, 'pod.yaml'), '--output', out]);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8')).toBe(POD);
    expect(fs.readFileSync(out, 'utf8')).toContain('privileged: false');
    const w = await runCli(['fix', '-', '--write'], { stdin: POD });
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/standard input is not a file/);
    const two = await runCli(['fix', dir, '--output', out]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/--output writes the result of one input/);
  });

  test('--rule limits the fixes to the rules named', async () => {
    const r = await runCli(['fix', '-', '--rule', 'pss-privileged'], { stdin: POD });
    const fixed = objectsOf(r.stdout)[0];
    expect(fixed.spec.containers[0].securityContext).toEqual({ privileged: false });
    expect(fixed.spec.securityContext).toBeUndefined();
    expect(r.stderr).toMatch(/pss-seccomp-profile-restricted .* not fixed \(\w+\): its fix was not selected \(--rule\)/);
    const two = await runCli(['fix', '-', '--rule', 'pss-privileged,automount-service-account-token'], { stdin: POD });
    expect(objectsOf(two.stdout)[0].spec.automountServiceAccountToken).toBe(false);
    const unknown = await runCli(['fix', '-', '--rule', 'pss-privilege'], { stdin: POD });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown rule "pss-privilege" for --rule; did you mean pss-privileged\?/);
    const noFix = await runCli(['fix', '-', '--rule', 'image-latest-tag'], { stdin: POD });
    expect(noFix.code).toBe(2);
    expect(noFix.stderr).toMatch(/rule image-latest-tag has no fix/);
  });

  test('a finding suppressed with a reason stays as it is', async () => {
    const pod = SUPPRESSED_POD;
    const r = await runCli(['fix', '-'], { stdin: pod });
    expect(r.stdout).toContain('    securityContext: {privileged: true');
    expect(objectsOf(r.stdout)[0].spec.containers[0].securityContext.privileged).toBe(true);
    expect(r.stderr).not.toMatch(/pss-privileged/);
  });

  test('a Helm template is left untouched and reported (exit 2); no input text is printed', async () => {
    const template = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: {{ .Release.Name }}',
      'spec:',
      '  containers:',
      '  - name: app',
      '    image: x',
      '    env: [{name: TOKEN, value: s3cr3t-t0ken-value}]',
      '    securityContext:',
      '      privileged: true',
      '',
    ].join('\n');
    const dir = tempTree({ 'templates/pod.yaml': template, 'pod.yaml': POD });
    for (const mode of [['--write'], ['--dry-run'], []]) {
      const r = await runCli(['fix', dir, ...mode]);
      expect(r.code).toBe(2);
      expect(fs.readFileSync(path.join(dir, 'templates/pod.yaml'), 'utf8')).toBe(template);
      const all = r.stdout + r.stderr;
      expect(all).toMatch(/templates\/pod\.yaml:4: cannot rewrite faithfully: the file does not decode as Kubernetes manifests .*Helm's \{\{ \}\}.*left untouched/);
      expect(all).not.toContain('s3cr3t');
      expect(all).not.toContain('Release');
    }
    // the other file was fixed all the same
    expect(fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8')).toContain('privileged: false');
  });

  test('a Secret never appears in any output when its document cannot be rewritten', async () => {
    // YAML 1.1 reads 0o17 as a string and kubectl's decoder as 15: an edit could change its meaning
    const stream = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: db, namespace: shop}',
      'stringData: {password: correct-horse-battery-staple}',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: web, namespace: shop}',
      'spec:',
      '  terminationGracePeriodSeconds: 0o17',
      '  containers:',
      '  - name: app',
      `    image: x@${DIGEST}`,
      '    env: [{name: DB_PASSWORD, value: correct-horse-battery-staple}]',
      '    securityContext: {privileged: true}',
      '',
    ].join('\n');
    const dir = tempTree({ 'app.yaml': stream });
    const file = path.join(dir, 'app.yaml');
    for (const argv of [['fix', file], ['fix', file, '--write'], ['fix', file, '--dry-run'], ['fix', file, '--dry-run', '--format', 'json'], ['fix', '-']]) {
      const r = await runCli(argv, argv.includes('-') ? { stdin: stream } : {});
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).not.toContain('correct-horse');
      if (argv.includes('json')) {
        expect(JSON.parse(r.stdout).files).toEqual([{ file, rewritten: false, line: 6, cannotRewrite: expect.stringMatching(/^the YAML library reads the document differently/) }]);
      } else {
        expect(r.stdout + r.stderr).toMatch(/:6: cannot rewrite faithfully: the YAML library reads the document differently from kubectl/);
      }
    }
    expect(fs.readFileSync(file, 'utf8')).toBe(stream);
  });

  test('control characters in names are printed as escapes', async () => {
    const pod = POD.replace('name: web', 'name: "we\\u001b[2Jb"');
    const r = await runCli(['fix', '-'], { stdin: pod });
    expect(r.stderr).toContain('Pod shop/we\\x1b[2Jb: pss-privileged');
    expect(r.stderr).not.toContain('\u001b');
  });

  test('--format json lists the changes, what is left and the files', async () => {
    const dir = tempTree({ 'pod.yaml': POD });
    const r = await runCli(['fix', dir, '--dry-run', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.files).toEqual([{ file: path.join(dir, 'pod.yaml'), rewritten: true }]);
    expect(doc.objects[0].object).toEqual({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web' });
    expect(doc.objects[0].changes.map((c: any) => c.ruleId)).toContain('pss-privileged');
    expect(doc.remaining.every((f: any) => typeof f.reason === 'string')).toBe(true);
    expect(doc.diffs[0].diff).toContain('+      privileged: false   # the agent needs it');
    expect(doc.summary.changes).toBe(doc.objects[0].changes.length);
    const bare = await runCli(['fix', dir, '--format', 'json']);
    expect(bare.code).toBe(2);
  });

  test('exit 0 when nothing is left, 2 for an empty input', async () => {
    const clean = await runCli(['fix', '-', '--profile', 'baseline'], { stdin: POD });
    expect(clean.code).toBe(0);
    expect(objectsOf(clean.stdout)[0].spec.containers[0].securityContext.privileged).toBe(false);
    const empty = await runCli(['fix', '-'], { stdin: '# nothing\n' });
    expect(empty.code).toBe(2);
    expect((await runCli(['fix', '-', '--allow-empty'], { stdin: '# nothing\n' })).code).toBe(0);
  });

  test('rule options from the configuration fill in what a fix cannot decide: resources, writable paths', async () => {
    const dir = tempTree({
      'pod.yaml': POD.replace('    securityContext:\n', '    volumeMounts:\n    - {name: data, mountPath: /data}\n    securityContext:\n')
        + '  volumes:\n  - name: data  # the data\n    emptyDir: {}\n',
      'kubeharden.config.yaml': [
        'rules:',
        '  memory-limits: {options: {default: 256Mi}}',
        '  memory-requests: {options: {default: 128Mi}}',
        '  cpu-requests: {options: {default: 100m}}',
        '  read-only-root-filesystem:',
        '    options: {writablePaths: [/tmp]}',
        '',
      ].join('\n'),
    });
    const file = path.join(dir, 'pod.yaml');
    const r = await runCli(['fix', file, '--write', '--config', path.join(dir, 'kubeharden.config.yaml')]);
    expect(r.stdout).not.toMatch(/cannot rewrite/);
    const out = fs.readFileSync(file, 'utf8');
    expect(out).toContain('  - name: data  # the data\n');
    const pod = objectsOf(out)[0];
    const c = pod.spec.containers[0];
    expect(c.resources.limits.memory).toBe('256Mi');
    // the request from its own option: its fix runs before the limit's, which would otherwise become the request
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(c.volumeMounts[0]).toEqual({ name: 'data', mountPath: '/data' });
    expect(c.volumeMounts.some((m: any) => m.mountPath === '/tmp')).toBe(true);
    expect(pod.spec.volumes[0]).toEqual({ name: 'data', emptyDir: {} });
    expect(pod.spec.volumes.length).toBe(2);
    expect(r.stdout).toMatch(/cpu-limits .* not fixed \(\w+\): fix declined: set the rule option `default`/);
  });

  test('--exclude-namespace leaves that namespace\'s objects as they are', async () => {
    const r = await runCli(['fix', '-', '--exclude-namespace', 'shop'], { stdin: POD });
    expect(r.stdout).toBe(POD);
  });
});

describe('README: kubeharden fix', () => {
  test('the shell example runs as written against a copy of examples/insecure', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const marker = '<!-- kubeharden:fix-example -->';
    const at = readme.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const block = /^\s*```sh\n([\s\S]*?)\n```/.exec(readme.slice(at + marker.length));
    expect(block).not.toBeNull();
    const commands = block![1].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l.startsWith('npx kubeharden '));
    expect(commands.length).toBeGreaterThanOrEqual(2);
    const dir = tempTree({});
    fs.cpSync(INSECURE, path.join(dir, 'examples', 'insecure'), { recursive: true });
    const before = filesOf(path.join(dir, 'examples', 'insecure'));
    const previous = process.cwd();
    process.chdir(dir);
    try {
      for (const line of commands) {
        const argv = line.split(/\s+/).slice(2);
        const r = await runCli(argv, { cwd: dir });
        expect({ line, code: r.code, stderr: r.stderr }).toEqual({ line, code: 1, stderr: expect.not.stringMatching(/usage|internal error|cannot rewrite/) });
      }
    } finally {
      process.chdir(previous);
    }
    // the example rewrites the files: the privileged container is fixed, the comments kept
    const after = filesOf(path.join(dir, 'examples', 'insecure'));
    expect(after['workloads.yaml']).toContain('privileged: false');
    for (const c of commentsOf(before['workloads.yaml'])) expect(after['workloads.yaml']).toContain(c);
  });
});

test('a flow mapping whose only entry the fix removes gets the new entry in its place (found by the property test)', async () => {
  const text = [
    'apiVersion: v1', 'kind: Pod', 'metadata: {name: web}', 'spec:', '  containers:', '  - name: c0', '    image: a',
    '    securityContext:', '      capabilities: {add: [\'SYS_ADMIN\']}', '',
  ].join('\n');
  const r = await runCli(['fix', '-', '--rule', 'pss-capabilities-restricted', '--profile', 'restricted'], { stdin: text });
  expect(r.stderr).not.toMatch(/internal error|cannot rewrite/);
  expect(r.stdout).toContain('      capabilities: {drop: [ALL]}\n');
});
