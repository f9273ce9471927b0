import { secretInManifest } from '../../../src/rules/secrets/secret-in-manifest';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'secret-in-manifest';
const SECRETS = ['c3VwZXItc2VjcmV0LXZhbHVlLTQy', 'plain-text-pa55word-99'];

const yaml = `apiVersion: v1
kind: Secret
metadata: {name: db}
type: Opaque
data:
  password: ${SECRETS[0]}
stringData:
  api-token: ${SECRETS[1]}
`;

test('finds data and stringData, with path and line, and never prints values', () => {
  const { report, findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['data', lineOf(yaml, 'data:', 2)],
    ['stringData', lineOf(yaml, 'stringData:')],
  ]);
  expect(findings[0].message).toBe('the Secret commits 1 value in data; replace it with a SealedSecret or ExternalSecret and rotate the credential');
  expect(findings[0].severity).toBe('high');
  const text = JSON.stringify(report);
  for (const s of SECRETS) expect(text).not.toContain(s);
});

test('passes a Secret without values', () => {
  const ok = `apiVersion: v1
kind: Secret
metadata: {name: empty}
type: Opaque
data: {}
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(secretInManifest, { kind: 'Secret', data: { a: 'b' }, stringData: { c: 'd' } });
});
