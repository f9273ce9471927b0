/**
 * The help texts' examples must work as written: every example command line of every
 * `--help` text is parsed out of the text and run with the CLI's main, in-process, in a
 * temporary directory of fixtures (what an upstream command such as `helm template` would
 * pipe in is a fixture on standard input). None may be a usage error; the configuration
 * example of `check --help` must be a valid configuration, naming real rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import { privilegedDeployment, runCli, SUPPRESSED_POD, tempTree } from './helpers';
import { COMMANDS, helpText } from '../../src/cli/help';
import { Rules } from '../../src/rules/catalog';

const TOPICS: Array<string | undefined> = [undefined, ...COMMANDS];
const MANIFESTS = `${privilegedDeployment('web', 'shop')}---\n${SUPPRESSED_POD}`;

/** The words of a command line, as a POSIX shell splits them (quotes, no expansions); a `#` starts a comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '\'' || c === '"') {
      quote = c;
      word = word ?? '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new Error(`unclosed quote in ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}

interface Example {
  readonly topic: string;
  readonly line: string;
  /** The arguments after `kubeharden`. */
  readonly argv: string[];
  /** Whether a command pipes into it. */
  readonly piped: boolean;
}

/** The example command lines of a help text: indented lines that run `kubeharden`, alone or at the end of a pipe. */
function examplesOf(topic: string | undefined): Example[] {
  const out: Example[] = [];
  for (const raw of helpText(topic).split('\n')) {
    const m = /^ {2}((?:[^|#]*\|\s*)?)kubeharden(\s.*)?$/.exec(raw);
    if (!m) continue;
    out.push({ topic: topic ?? '(main)', line: raw.trim(), argv: shellWords(m[2] ?? ''), piped: m[1] !== '' });
  }
  return out;
}

/** A fresh directory with the paths the examples name. */
function workspace(): string {
  return tempTree({
    'manifests/web.yaml': MANIFESTS,
    'manifests/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: {mode: fast}\n',
  });
}

/** Runs `kubeharden <argv>` with the working directory at `dir` (configuration lookup and relative paths). */
async function runIn(dir: string, argv: string[], stdin?: string) {
  const previous = process.cwd();
  process.chdir(dir);
  try {
    return await runCli(argv, { cwd: dir, ...(stdin !== undefined ? { stdin } : {}) });
  } finally {
    process.chdir(previous);
  }
}

const ALL = TOPICS.flatMap(examplesOf);

test('the help texts have examples, check --help several', () => {
  expect(examplesOf('check').length).toBeGreaterThanOrEqual(4);
  for (const topic of [undefined, 'check', 'rules', 'explain']) expect(examplesOf(topic).length).toBeGreaterThan(0);
});

test.each(ALL.map((e) => [e.topic, e.line, e] as const))('%s: %s', async (_topic, line, example) => {
  expect(line).not.toMatch(/[<>]|\.\.\./); // an example, not a usage pattern
  const dir = workspace();
  const readsStdin = example.piped || example.argv.includes('-');
  const r = await runIn(dir, example.argv, readsStdin ? MANIFESTS : undefined);
  // never a usage error, an invalid configuration or an internal error
  expect({ line, stderr: r.stderr }).toEqual({ line, stderr: expect.not.stringMatching(/for usage|invalid configuration|internal error|unknown (rule|option|command)/) });
  if (r.code === 2) {
    // only an input error the report documents (none of these fixtures has one)
    expect({ line, report: r.stdout }).toEqual({ line, report: expect.stringMatching(/error/) });
  } else {
    expect({ line, code: [0, 1].includes(r.code) }).toEqual({ line, code: true });
  }
});

test('the examples name real rules: every rule id in an example is in the catalog', () => {
  const ids = new Set(Rules.metadata().map((m) => m.id));
  const explained = ALL.filter((e) => e.argv[0] === 'explain').map((e) => e.argv[1]);
  expect(explained.length).toBeGreaterThan(0);
  for (const id of explained) expect({ id, known: ids.has(id) }).toEqual({ id, known: true });
});

test('the configuration example of check --help is a valid configuration of real rules', async () => {
  const text = helpText('check');
  const start = text.indexOf('Configuration (kubeharden.config.yaml):\n');
  expect(start).toBeGreaterThan(0);
  const block = text.slice(start).split('\n').slice(1);
  const yaml = block.slice(0, block.indexOf('')).map((l) => l.replace(/^ {2}/, '')).join('\n');
  const ids = new Set(Rules.metadata().map((m) => m.id));
  const named = [...yaml.matchAll(/^ {2}([a-z0-9-]+):/gm)].map((m) => m[1]);
  expect(named.length).toBeGreaterThanOrEqual(2);
  for (const id of named) expect({ id, known: ids.has(id) }).toEqual({ id, known: true });
  const dir = workspace();
  fs.writeFileSync(path.join(dir, 'kubeharden.config.yaml'), `${yaml}\n`);
  const r = await runIn(dir, ['check', 'manifests/', '--format', 'json']);
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  expect(JSON.parse(r.stdout).errors).toEqual([]);
});
