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

interface CredentialFormat {
  /** What the value is, for messages: `a private key`. */
  readonly what: string;
  readonly pattern: RegExp;
}

const FORMATS: readonly CredentialFormat[] = [
  { what: 'a private key', pattern: /-----BEGIN [A-Z0-9 ]{0,64}PRIVATE KEY( BLOCK)?-----/ },
  { what: 'an AWS access key id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/ },
  { what: 'a GitHub token', pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { what: 'a Slack token', pattern: /(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}/ },
  { what: 'a Google API key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/ },
  { what: 'a JSON Web Token', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/ },
  { what: 'a Stripe live key', pattern: /(?<![A-Za-z0-9_])[sr]k_live_[0-9A-Za-z]{16,}/ },
];

/**
 * What credential the value is by its content (`a private key`, `an AWS access key id`,
 * ...), or undefined when it matches no known format.
 */
export function credentialFormatOf(value: string): string | undefined {
  for (const f of FORMATS) {
    if (f.pattern.test(value)) return f.what;
  }
  return undefined;
}
