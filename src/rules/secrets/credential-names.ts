/**
 * Names that look like credentials: environment variable names (workload rule
 * `env-literal-secret`) and ConfigMap keys (secrets rule `configmap-credentials`).
 *
 * A name is split into words at `_`, `-`, `.`, `/` and lower-to-upper case changes
 * (`dbPassword` → `DB`, `PASSWORD`). It looks like a credential when
 *   - one of its words ends with a distinctive word PASSWORD, PASSWD, PASSPHRASE,
 *     SECRET, TOKEN, CREDENTIAL, APIKEY, PRIVATEKEY or ACCESSKEY, optionally followed
 *     by S or KEY (`DBPASSWORD`, `clientSecret`, `SECRETKEY`, `CREDENTIALS`; not
 *     `TOKENIZER` or `SECRETARY`), or
 *   - one of its words is exactly KEY, PASS, PWD, CREDS, AUTHKEY,
 * unless its last word says it names or locates a credential rather than holding
 * one (FILE, PATH, DIR, NAME, REF, LOCATION, URI, URL, PATTERN, or one of them with an
 * S: `SECRET_NAMES`, `secretNamePatterns`), or the whole name
 * is `PWD`/`OLDPWD` (the shell's working directory).
 *
 * Users add patterns (case-insensitive regular expressions, matched anywhere in the name)
 * with the rule option `secretNamePatterns`.
 */
import { portablePatternProblem } from '../../engine/patterns';
import { upperAscii } from '../../engine/values';
import { str, strList } from '../cel';

const DISTINCTIVE = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|APIKEY|PRIVATEKEY|ACCESSKEY)(S|KEY|KEYS)?$/;
const WORDS = new Set(['KEY', 'KEYS', 'PASS', 'PWD', 'CREDS', 'AUTHKEY']);
const REFERENCE_SUFFIXES = new Set(['FILE', 'PATH', 'DIR', 'NAME', 'REF', 'LOCATION', 'URI', 'URL', 'PATTERN'].flatMap((w) => [w, `${w}S`]));
const SHELL_NAMES = new Set(['PWD', 'OLDPWD']);

/** The words of a name, upper-cased. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toUpperCase());
}

/** Verdicts of the built-in vocabulary by name (names repeat across objects: DB_HOST, LOG_LEVEL, …). */
const VERDICTS = new Map<string, boolean>();
const MAX_VERDICTS = 10_000;

/** Whether a name looks like it holds a credential by the built-in vocabulary. */
export function looksLikeCredentialName(name: string): boolean {
  const known = VERDICTS.get(name);
  if (known !== undefined) return known;
  const verdict = judgeName(name);
  if (VERDICTS.size >= MAX_VERDICTS) VERDICTS.clear();
  VERDICTS.set(name, verdict);
  return verdict;
}

function judgeName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0) return false;
  // ASCII upper case, as the policies' upperAscii() (the names are ASCII at the API server)
  if (SHELL_NAMES.has(upperAscii(name))) return false;
  if (words.length > 1 && REFERENCE_SUFFIXES.has(words[words.length - 1])) return false;
  return words.some((w) => WORDS.has(w) || DISTINCTIVE.test(w));
}

/**
 * The patterns of the rule option `secretNamePatterns`, as the check uses them and the
 * admission parameters carry them: its strings that JavaScript and RE2 read alike (the
 * options validator refuses the others, so nothing is dropped from validated options).
 */
export function credentialNamePatterns(option: unknown): string[] {
  if (!Array.isArray(option)) return [];
  return option.filter((p): p is string => typeof p === 'string' && portablePatternProblem(p) === undefined);
}

/** A matcher for credential-looking names, built-in vocabulary plus the rule's extra patterns. */
export function credentialNameMatcher(options: { [key: string]: any } | undefined): (name: string) => boolean {
  const key = options ?? NO_OPTIONS;
  const known = MATCHERS.get(key);
  if (known !== undefined) return known;
  const extra = credentialNamePatterns(options?.secretNamePatterns).map((p) => new RegExp(p, 'i'));
  const matcher = extra.length === 0
    ? looksLikeCredentialName
    : (name: string) => looksLikeCredentialName(name) || extra.some((re) => re.test(name));
  MATCHERS.set(key, matcher);
  return matcher;
}

/** Matchers by rule options object (a rule's options are the same object for a whole run). */
const MATCHERS = new WeakMap<object, (name: string) => boolean>();
const NO_OPTIONS = {};

/**
 * CEL (for admission): whether the CEL string `name` looks like a credential, by the
 * built-in vocabulary (as looksLikeCredentialName, over the same words: CEL's `findAll`
 * finds the runs `wordsOf` keeps) or by one of the patterns of the CEL list(string)
 * `patterns` (the rule option, read case-insensitively as the check reads it).
 */
export function credentialNameCel(name: string, patterns: string): string {
  const words = `${name}.findAll('[A-Z]+[a-z0-9]*|[a-z0-9]+').map(w, w.upperAscii())`;
  const vocabulary = [
    'size(ws) > 0',
    `!(${name}.upperAscii() in ${strList([...SHELL_NAMES])})`,
    `!(size(ws) > 1 && ws[size(ws) - 1] in ${strList([...REFERENCE_SUFFIXES])})`,
    `ws.exists(w, w in ${strList([...WORDS])} || w.matches(${str(DISTINCTIVE.source)}))`,
  ].join(' && ');
  return `([${words}].map(ws, ${vocabulary})[0] || ${patterns}.exists(p, ${name}.matches('(?i)' + p)))`;
}
