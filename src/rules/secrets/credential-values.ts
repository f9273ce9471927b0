/**
 * Values that are credentials by their content, whatever they are called: environment
 * values (workload rule `env-literal-secret`).
 *
 * Recognised formats (each a distinctive prefix and shape, so that ordinary values such
 * as URLs, hostnames, certificates or public keys never match):
 *   - a private key block: `-----BEGIN <...> PRIVATE KEY-----` (PKCS#8, RSA, EC, DSA,
 *     OPENSSH, ENCRYPTED) and `-----BEGIN PGP PRIVATE KEY BLOCK-----`; certificates and
 *     public keys do not match;
 *   - an AWS access key id: `AKIA` (long-term) or `ASIA` (temporary) and 16 upper-case
 *     letters or digits;
 *   - a GitHub token: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and 36 or more letters or
 *     digits, or a fine-grained `github_pat_` token;
 *   - a Slack token: `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-` and 10 or more characters;
 *   - a Google API key: `AIza` and 35 letters, digits, `_` or `-`;
 *   - a JSON Web Token: `eyJ<header>.eyJ<payload>.<signature>` (base64url JSON objects);
 *   - a Stripe live secret or restricted key: `sk_live_` or `rk_live_` and 16 or more
 *     letters or digits (test-mode keys, `sk_test_`, are not live credentials).
 * A token must not be glued to letters or digits before it (`xAKIA...` is not a key id).
 *
 * Every pattern runs in time linear in the value: bounded repetitions, or a single run of
 * token characters that starts after a character that cannot be part of the token.
 *
 * The answer names the format only: callers never copy the value into a finding.
 */
import { str as celString } from '../cel';

interface CredentialFormat {
  /** What the value is, for messages: `a private key`. */
  readonly what: string;
  /** The characters that may not come right before the token (a class body), if any. */
  readonly notAfter?: string;
  /** The token. */
  readonly token: string;
  /** The characters that may not come right after the token (a class body), if any. */
  readonly notBefore?: string;
  /** Text every token holds (one of them): a cheap test before the pattern, at admission. */
  readonly hints: readonly string[];
}

const FORMATS: readonly CredentialFormat[] = [
  { what: 'a private key', hints: ['-----BEGIN '], token: '-----BEGIN [A-Z0-9 ]{0,64}PRIVATE KEY( BLOCK)?-----' },
  { what: 'an AWS access key id', hints: ['AKIA', 'ASIA'], notAfter: 'A-Za-z0-9', token: '(?:AKIA|ASIA)[A-Z0-9]{16}', notBefore: 'A-Za-z0-9' },
  { what: 'a GitHub token', hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'], notAfter: 'A-Za-z0-9_', token: '(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})' },
  { what: 'a Slack token', hints: ['xox'], notAfter: 'A-Za-z0-9', token: 'xox[baprs]-[A-Za-z0-9-]{10,}' },
  { what: 'a Google API key', hints: ['AIza'], notAfter: 'A-Za-z0-9_-', token: 'AIza[0-9A-Za-z_-]{35}', notBefore: '0-9A-Za-z_-' },
  { what: 'a JSON Web Token', hints: ['eyJ'], notAfter: 'A-Za-z0-9_-', token: 'eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*' },
  { what: 'a Stripe live key', hints: ['k_live_'], notAfter: 'A-Za-z0-9_', token: '[sr]k_live_[0-9A-Za-z]{16,}' },
];

/** The format as a JavaScript pattern: the neighbours as lookbehind and lookahead. */
function javaScriptPattern(f: CredentialFormat): RegExp {
  return new RegExp(`${f.notAfter ? `(?<![${f.notAfter}])` : ''}${f.token}${f.notBefore ? `(?![${f.notBefore}])` : ''}`);
}

/**
 * The format as an RE2 pattern (CEL's `matches`, which finds a match anywhere in the
 * value), for the admission policies: RE2 has no lookaround, so a neighbour is matched
 * as the start or end of the value or a character outside the class. Whether a match
 * exists is the same as for the JavaScript pattern.
 */
function re2Pattern(f: CredentialFormat): string {
  return `${f.notAfter ? `(?:^|[^${f.notAfter}])` : ''}${f.token}${f.notBefore ? `(?:[^${f.notBefore}]|$)` : ''}`;
}

const PATTERNS: readonly { readonly what: string; readonly pattern: RegExp }[] = FORMATS.map((f) => ({
  what: f.what,
  pattern: javaScriptPattern(f),
}));

/**
 * CEL (for admission): whether the CEL string `value` is a credential by its content. Each
 * pattern runs only on a value that holds one of its format's hints (`contains` costs far
 * less than `matches`, and most values hold none), so that pods with many variables stay
 * within the API server's cost budget.
 */
export function credentialValueCel(value: string): string {
  return `(${FORMATS.map((f) => `((${f.hints.map((h) => `${value}.contains(${celString(h)})`).join(' || ')}) && ${value}.matches(${celString(re2Pattern(f))}))`).join(' || ')})`;
}

/**
 * What credential the value is by its content (`a private key`, `an AWS access key id`,
 * ...), or undefined when it matches no known format.
 */
export function credentialFormatOf(value: string): string | undefined {
  for (const f of PATTERNS) {
    if (f.pattern.test(value)) return f.what;
  }
  return undefined;
}
