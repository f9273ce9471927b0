import { looksLikeCredentialName } from '../../../src/rules/secrets/credential-names';
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
  const { findings } = check(yaml, RULE, { secretNamePatterns: ['^stripe$', '(invalid'] });
  expect(findings.map((f) => f.path)).toContain('spec.template.spec.initContainers[0].env[1].value');
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
