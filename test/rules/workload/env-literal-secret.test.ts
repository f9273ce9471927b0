import { looksLikeCredentialName } from '../../../src/rules/secrets/credential-names';
import { credentialFormatOf } from '../../../src/rules/secrets/credential-values';
import { envLiteralSecret } from '../../../src/rules/workload/env-literal-secret';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'env-literal-secret';

// Values that must never reach a report.
const SECRETS = ['hunter2-Pa55w0rd-7f3a', 'ghp_0123456789abcdefTOKENVALUE', 'AKIAEXAMPLESECRETKEY42', 'sk_live_custom_pattern_value_9'];

const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
      - name: api
        image: api:1
        env:
        - name: DB_PASSWORD
          value: ${SECRETS[0]}
        - name: LOG_LEVEL
          value: debug
        - name: githubToken
          value: "${SECRETS[1]}"
        - name: API_KEY_FROM_SECRET
          valueFrom:
            secretKeyRef: {name: api, key: key}
        - name: PASSWORD_FILE
          value: /run/secrets/password
        - name: EMPTY_SECRET
          value: ""
        - name: DERIVED_TOKEN
          value: $(BASE_TOKEN)
        - name: PWD
          value: /app
      initContainers:
      - name: init
        image: init:1
        env:
        - {name: AWS_SECRET_ACCESS_KEY, value: ${SECRETS[2]}}
        - {name: STRIPE, value: ${SECRETS[3]}}
`;

test('finds literal values of secret-looking variables, with path and line', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.spec.containers[0].env[0].value', lineOf(yaml, SECRETS[0])],
    ['spec.template.spec.containers[0].env[2].value', lineOf(yaml, SECRETS[1])],
    ['spec.template.spec.initContainers[0].env[0].value', lineOf(yaml, SECRETS[2])],
  ]);
  expect(findings[0].message).toBe('container "api" sets "DB_PASSWORD" to a literal value; move it into a Secret and use valueFrom.secretKeyRef');
  expect(findings[0].severity).toBe('high');
});

test('the option secretNamePatterns adds names', () => {
  const { findings } = check(yaml, RULE, { secretNamePatterns: ['^stripe$'] });
  expect(findings.map((f) => f.path)).toContain('spec.template.spec.initContainers[0].env[1].value');
});

test('a pattern that JavaScript and RE2 read differently is refused, at its index, without echoing it', () => {
  const refused = ['(invalid', '(?<!x)KEY', '(a)\\1', 'caf\u00e9', 'A\\u0041', '[^]', '[[:alpha:]]', 'x{1001}', '(?i)key', 'a\nb', ''];
  for (const pattern of refused) {
    let message = '';
    try {
      check(yaml, RULE, { secretNamePatterns: ['^ok$', pattern] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('secretNamePatterns[1]: ');
    if (pattern.length > 2) expect(message).not.toContain(pattern);
  }
  // the common subset is taken
  for (const pattern of ['^stripe$', 'x{2,3}', '[a-z_]+\\.key', '\\bAPI\\b', '(?:ONE|TWO)S?$', '\\d{4}']) {
    expect(() => check(yaml, RULE, { secretNamePatterns: [pattern] })).not.toThrow();
  }
});

test('secret values appear nowhere in the report', () => {
  const { report } = check(yaml, RULE, { secretNamePatterns: ['^STRIPE$'] });
  expect(report.findings.filter((f) => f.ruleId === RULE)).toHaveLength(4);
  const text = JSON.stringify(report);
  for (const s of SECRETS) expect(text).not.toContain(s);
});

test('recognises credential-looking names', () => {
  for (const n of ['PASSWORD', 'db_password', 'DBPASSWORD', 'dbPassword', 'client-secret', 'clientSecret', 'SECRET_KEY_BASE', 'AUTH_TOKEN', 'API_KEY', 'apiKey', 'SSH_KEYS', 'PRIVATE_KEY', 'REDIS_PASS', 'AWS_ACCESS_KEY_ID', 'GOOGLE_CREDENTIALS', 'db.creds']) {
    expect([n, looksLikeCredentialName(n)]).toEqual([n, true]);
  }
  for (const n of ['PWD', 'OLDPWD', 'TOKENIZER_MODEL', 'SECRETARY', 'KEYCLOAK_URL', 'PASSWORD_FILE', 'TOKEN_PATH', 'SECRET_NAME', 'LOG_LEVEL', 'MONKEY', 'PASSENGER', '', '__']) {
    expect([n, looksLikeCredentialName(n)]).toEqual([n, false]);
  }
});

test('passes secretKeyRef references', () => {
  const ok = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: app:1
    env:
    - name: DB_PASSWORD
      valueFrom: {secretKeyRef: {name: db, key: password}}
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input or options', () => {
  const base = { kind: 'Pod', spec: { containers: [{ name: 'a', env: [{ name: 'TOKEN', value: 'v' }, { name: 'X', valueFrom: {} }] }] } };
  expectTotal(envLiteralSecret, base);
  for (const secretNamePatterns of [null, 1, 'x', [null, 2, '(', '']]) expectTotal(envLiteralSecret, base, { secretNamePatterns });
});

describe('values that are credentials by their content, whatever the name', () => {
  // Obviously fake values, assembled from parts so that no secret scanner mistakes this file for a leak.
  const join = (...parts: string[]) => parts.join('');
  const CREDENTIALS: [string, string][] = [
    ['a private key', join('-----BEGIN ', 'RSA PRIVATE KEY-----\\nFAKEFIXTUREFAKEFIXTURE\\n-----END RSA PRIVATE KEY-----')],
    ['a private key', join('-----BEGIN ', 'PRIVATE KEY-----FAKE')],
    ['a private key', join('-----BEGIN ', 'OPENSSH PRIVATE KEY-----')],
    ['a private key', join('-----BEGIN ', 'PGP PRIVATE KEY BLOCK-----')],
    ['an AWS access key id', join('AKIA', 'IOSFODNN7EXAMPLE')],
    ['an AWS access key id', join('id=', 'ASIA', 'FAKEFAKEFAKEFAKE', ';')],
    ['a GitHub token', join('ghp_', 'FAKE'.repeat(9))],
    ['a GitHub token', join('github_', 'pat_', '11FAKEFIXTURE0000000000_', 'fake'.repeat(14))],
    ['a Slack token', join('xoxb-', '000000000000-FAKEFIXTURE')],
    ['a Google API key', join('AIza', 'Sy', 'FAKE'.repeat(8), 'X')],
    ['a JSON Web Token', join('Bearer eyJhbGciOiJub25lIn0', '.', 'eyJzdWIiOiJmaXh0dXJlIn0', '.')],
    ['a JSON Web Token', join('eyJhbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiJmaXh0dXJlIn0', '.', 'ZmFrZS1zaWduYXR1cmU')],
    ['a Stripe live key', join('sk_', 'live_', 'FAKE'.repeat(6))],
  ];
  const NOT_CREDENTIALS = [
    '-----BEGIN CERTIFICATE-----\\nMIIFAKE\\n-----END CERTIFICATE-----',
    '-----BEGIN PUBLIC KEY-----',
    'AKIAFAKE',
    join('AKIA', 'IOSFODNN7EXAMPLE', 'XX'),
    join('x', 'AKIA', 'IOSFODNN7EXAMPLE'),
    'ghp_short',
    'xoxb',
    'eyJhbGciOiJub25lIn0',
    'eyJ.eyJ.',
    join('sk_', 'test_', 'FAKE'.repeat(6)),
    'https://api.example.com/v1',
    'postgres://db.internal:5432/app',
    '',
  ];
  const env = (values: string[]) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: app:1
    env:
${values.map((v, i) => `    - {name: SETTING_${i}, value: ${JSON.stringify(v)}}`).join('\n')}
`;

  test('are reported, naming the kind of credential and never the value', () => {
    const manifest = env(CREDENTIALS.map(([, v]) => v));
    const { report, findings } = check(manifest, RULE);
    expect(findings.map((f) => [f.path, f.message])).toEqual(CREDENTIALS.map(([what], i) => [
      `spec.containers[0].env[${i}].value`,
      `container "app" sets "SETTING_${i}" to a literal value that is ${what}; move it into a Secret and use valueFrom.secretKeyRef`,
    ]));
    const text = JSON.stringify(report);
    for (const [, v] of CREDENTIALS) expect(text).not.toContain(v);
    expect(text).not.toContain('FAKE');
  });

  test('ordinary values, certificates and public keys are not', () => {
    expect(check(env(NOT_CREDENTIALS), RULE).findings).toEqual([]);
    for (const v of NOT_CREDENTIALS) expect([v, credentialFormatOf(v)]).toEqual([v, undefined]);
  });

  test('a credential-looking name with a recognised value names the kind of credential', () => {
    const manifest = env([join('AKIA', 'IOSFODNN7EXAMPLE')]).replace('SETTING_0', 'AWS_ACCESS_KEY_ID');
    expect(check(manifest, RULE).findings.map((f) => f.message)).toEqual([
      'container "app" sets "AWS_ACCESS_KEY_ID" to a literal value that is an AWS access key id; move it into a Secret and use valueFrom.secretKeyRef',
    ]);
  });

  test('recognition takes time linear in the value', () => {
    const hostile = ['eyJ'.repeat(200_000), `${'eyJa.'.repeat(100_000)}x`, '-----BEGIN '.repeat(50_000), `ghp_${'a'.repeat(500_000)}`, 'xoxb-'.repeat(100_000)];
    const start = Date.now();
    for (const v of hostile) credentialFormatOf(v);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});
