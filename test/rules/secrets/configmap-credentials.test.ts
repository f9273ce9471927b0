import { configMapCredentials } from '../../../src/rules/secrets/configmap-credentials';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'configmap-credentials';
const SECRETS = ['s3cr3t-db-pa55-0815', 'eyJhbGciOiJIUzI1NiJ9.tokenvalue', 'bGljZW5zZS1ibG9i'];

const yaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data:
  DB_PASSWORD: ${SECRETS[0]}
  log.level: debug
  oauth.clientSecret: "${SECRETS[1]}"
  PASSWORD_FILE: /etc/app/password
  EMPTY_TOKEN: ""
binaryData:
  license-key: ${SECRETS[2]}
`;

test('finds credential-looking keys, with path and line, and never prints values', () => {
  const { report, findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['data.DB_PASSWORD', lineOf(yaml, 'DB_PASSWORD')],
    ['data["oauth.clientSecret"]', lineOf(yaml, 'oauth.clientSecret')],
    ['binaryData.license-key', lineOf(yaml, 'license-key')],
  ]);
  expect(findings[0].message).toBe('ConfigMap key "DB_PASSWORD" in data looks like a credential; move it into a Secret');
  const text = JSON.stringify(report);
  for (const s of SECRETS) expect(text).not.toContain(s);
});

test('the option secretNamePatterns adds key names', () => {
  const { findings } = check(yaml, RULE, { secretNamePatterns: ['^log\\.level$'] });
  expect(findings.map((f) => f.path)).toContain('data["log.level"]');
});

test('passes ordinary configuration', () => {
  const ok = `apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data:
  LOG_LEVEL: info
  TOKEN_URL: https://auth.example.com/token
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input or options', () => {
  const base = { kind: 'ConfigMap', data: { PASSWORD: 'x', a: 'b' }, binaryData: { TOKEN: 'eA==' } };
  expectTotal(configMapCredentials, base);
  for (const secretNamePatterns of [null, 3, [{}, '[']]) expectTotal(configMapCredentials, base, { secretNamePatterns });
});
