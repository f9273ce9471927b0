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

test.each([
  ['no data or stringData', ''],
  ['empty mappings', 'data: {}\nstringData: {}\n'],
  ['only empty values', 'data:\n  password: ""\n  token: \'\'\nstringData:\n  api-key: ""\n'],
  ['null values (stored as empty)', 'data: {password: null}\nstringData: {token: ~}\n'],
  ['null fields', 'data: null\nstringData: null\n'],
])('passes a Secret that holds no credential: %s', (_what, fields) => {
  const ok = `apiVersion: v1\nkind: Secret\nmetadata: {name: placeholder}\ntype: Opaque\n${fields}`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('reports the fields with a non-empty value, counting only those keys', () => {
  const mixed = `apiVersion: v1
kind: Secret
metadata: {name: mixed}
data:
  empty: ""
  password: ${SECRETS[0]}
  blank: null
stringData:
  unset: ""
`;
  const { report, findings } = check(mixed, RULE);
  expect(findings.map((f) => [f.path, f.message])).toEqual([
    ['data', 'the Secret commits 1 value in data; replace it with a SealedSecret or ExternalSecret and rotate the credential'],
  ]);
  expect(JSON.stringify(report)).not.toContain(SECRETS[0]);
  const spaces = check('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: " "}\n', RULE).findings;
  expect(spaces.map((f) => f.path)).toEqual(['stringData']);
});

test('never throws on wrong-typed input', () => {
  expectTotal(secretInManifest, { kind: 'Secret', data: { a: 'b' }, stringData: { c: 'd' } });
});
