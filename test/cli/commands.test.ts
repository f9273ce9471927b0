import { runCli } from './helpers';
import { parseArgs, UsageError } from '../../src/cli/args';
import { TOOL } from '../../src/engine/engine';
import { suggestions } from '../../src/engine/suggest';
import { Rules } from '../../src/rules/catalog';

describe('rules', () => {
  test('text lists every rule by category with severity, profiles and title', async () => {
    const r = await runCli(['rules']);
    expect(r.code).toBe(0);
    for (const m of Rules.metadata()) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${m.id} +${m.severity} +${m.profiles.join(',')} +`, 'm'));
      expect(r.stdout).toMatch(new RegExp(`^${m.category}$`, 'm'));
    }
    expect(r.stdout).toContain(`${Rules.all().length} rule`);
  });

  test('json is an array of every rule with its complete metadata', async () => {
    const r = await runCli(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout);
    expect(Array.isArray(rules)).toBe(true);
    expect(rules.map((x: any) => x.id)).toEqual(Rules.metadata().map((m) => m.id));
    for (const rule of rules) {
      expect(Object.keys(rule)).toEqual(['id', 'title', 'severity', 'category', 'profiles', 'controls', 'rationale', 'remediation', 'kinds', 'pss', 'options', 'fixable', 'fix']);
      const m = Rules.find(rule.id)!.metadata;
      expect(rule).toMatchObject({
        title: m.title,
        severity: m.severity,
        category: m.category,
        profiles: m.profiles,
        controls: m.controls,
        rationale: m.rationale,
        remediation: m.remediation,
        kinds: m.kinds,
        options: m.options ?? [],
        fixable: m.fix !== undefined,
        fix: m.fix ?? null,
      });
      if (m.pss) {
        expect(rule.pss).toMatchObject({ checkId: m.pss.checkId, level: m.pss.level });
        expect(rule.pss.versions.length).toBe(m.pss.versions.length);
      } else {
        expect(rule.pss).toBeNull();
      }
    }
    expect(rules.filter((x: any) => x.fixable).length).toBeGreaterThanOrEqual(15);
    expect(rules.find((x: any) => x.id === 'pss-restricted-volumes')).toMatchObject({ fixable: false, fix: null });
    const privileged = rules.find((x: any) => x.id === 'pss-privileged');
    expect(privileged.controls).toContain('pss:privileged');
    expect(privileged.pss.checkId).toBe('privileged');
  });

  test('rules takes no argument', async () => {
    const r = await runCli(['rules', 'pss-privileged']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "explain pss-privileged"?');
  });

  test('an invalid format', async () => {
    const r = await runCli(['rules', '--format', 'sarif']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected text, json');
  });
});

describe('explain', () => {
  test('shows everything about a rule', async () => {
    const m = Rules.find('pss-privileged')!.metadata;
    const r = await runCli(['explain', 'pss-privileged']);
    expect(r.code).toBe(0);
    for (const text of [m.id, m.title, m.severity, m.category, m.rationale, m.remediation, ...m.controls, ...m.kinds, ...m.profiles]) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stdout).toContain('check privileged, level baseline');
    expect(r.stdout).toContain('ignore.kubeharden.io/pss-privileged');
  });

  test('every rule can be explained, in text and json', async () => {
    for (const m of Rules.metadata()) {
      const text = await runCli(['explain', m.id]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(m.remediation);
      const json = JSON.parse((await runCli(['explain', m.id, '--format', 'json'])).stdout);
      expect(json.id).toBe(m.id);
      expect(json.controls).toEqual(m.controls);
    }
  });

  test('an unknown id exits 2 and suggests close ids', async () => {
    const r = await runCli(['explain', 'pss-privilegd']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown rule "pss-privilegd"; did you mean pss-privileged?');
  });

  test('a partial id suggests the rules that contain it', async () => {
    const r = await runCli(['explain', 'privileged']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pss-privileged');
  });

  test('an id nothing resembles still points at the rule list', async () => {
    const r = await runCli(['explain', 'zzzzzzzzzzzz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown rule "zzzzzzzzzzzz" (`kubeharden rules` lists every rule)');
  });

  test('no id, or two', async () => {
    expect((await runCli(['explain'])).code).toBe(2);
    expect((await runCli(['explain', 'a', 'b'])).code).toBe(2);
  });
});

describe('help and version', () => {
  test('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${TOOL.version}\n`, stderr: '' });
  });

  test.each([['--help'], ['-h'], ['help']])('%s prints the main help', async (flag) => {
    const r = await runCli([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: kubeharden <command>');
    for (const c of ['check', 'rules', 'explain']) expect(r.stdout).toContain(c);
  });

  test.each(['check', 'rules', 'explain'])('%s --help, and help %s', async (command) => {
    const a = await runCli([command, '--help']);
    const b = await runCli(['help', command]);
    const c = await runCli([command, '-h', '--format', 'nonsense']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain(`Usage: kubeharden ${command}`);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
  });

  test('check --help documents every flag', async () => {
    const r = await runCli(['check', '--help']);
    for (const flag of ['--profile', '--pss-version', '--format', '--fail-on', '--output', 'NO_COLOR']) expect(r.stdout).toContain(flag);
  });

  test('no command prints help to stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: kubeharden');
  });

  test('help for an unknown topic, and an option before the command', async () => {
    expect((await runCli(['help', 'chekc'])).stderr).toContain('did you mean "check"?');
    const r = await runCli(['--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('options go after the command');
  });
});

describe('argument parsing', () => {
  const specs = [
    { name: 'format', short: 'f', takesValue: true, values: ['text', 'json'] },
    { name: 'output', short: 'o', takesValue: true },
    { name: 'help', short: 'h', takesValue: false },
  ];

  test('long, long=value, short, short+value, positionals, -- and -', () => {
    const p = parseArgs(['a', '--format', 'json', '-o', 'x', 'b', '-', '--', '--help'], specs, 't');
    expect(Object.fromEntries(p.flags)).toEqual({ format: 'json', output: 'x' });
    expect(p.positionals).toEqual(['a', 'b', '-', '--help']);
    expect(Object.fromEntries(parseArgs(['--format=text', '-ojson.out', '-h'], specs, 't').flags))
      .toEqual({ format: 'text', output: 'json.out', help: true });
  });

  test('the last occurrence wins', () => {
    expect(parseArgs(['-f', 'text', '--format', 'json'], specs, 't').flags.get('format')).toBe('json');
  });

  test.each([
    [['--nope'], 'unknown option --nope'],
    [['--formt', 'json'], 'did you mean --format?'],
    [['-x'], 'unknown option -x'],
    [['--format'], 'option --format needs a value (text, json)'],
    [['--format', '--help'], 'option --format needs a value'],
    [['--help=yes'], 'does not take a value'],
    [['-f', 'jsno'], 'invalid value "jsno" for -f: expected text, json; did you mean json?'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseArgs(argv, specs, 't')).toThrow(UsageError);
    expect(() => parseArgs(argv, specs, 't')).toThrow(message);
  });

  test('suggestions rank by edit distance and match substrings', () => {
    expect(suggestions('chek', ['check', 'rules', 'explain'])).toEqual(['check']);
    expect(suggestions('host-namespaces', ['pss-host-namespaces', 'pss-host-ports', 'rbac-wildcard'])).toEqual(['pss-host-namespaces']);
    expect(suggestions('', ['a'])).toEqual([]);
    expect(suggestions('xyz', ['check'])).toEqual([]);
  });
});
