import { ingressTls } from '../../../src/rules/network/ingress-tls';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'ingress-tls';

test('finds an Ingress without tls, where spec.tls belongs', () => {
  const yaml = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`;
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.tls', lineOf(yaml, 'spec:')]]);
  expect(findings[0].severity).toBe('medium');
});

const partial = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  tls:
  - hosts: [shop.example.com, "*.api.example.com"]
    secretName: web-tls
  rules:
  - host: shop.example.com
  - host: v1.api.example.com
  - host: admin.example.com
  - host: deep.v1.api.example.com
  - http: {}
`;

test('finds hosts that no tls entry covers, with path and line', () => {
  const { findings } = check(partial, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.rules[2].host', lineOf(partial, 'admin.example.com')],
    ['spec.rules[3].host', lineOf(partial, 'deep.v1.api.example.com')],
  ]);
  expect(findings[0].message).toContain('host "admin.example.com" is not listed in any spec.tls[].hosts entry');
});

test('passes when tls covers every host, or a tls entry without hosts covers all', () => {
  const ok = partial.replace('  - hosts: [shop.example.com, "*.api.example.com"]\n', '  - hosts: [shop.example.com, "*.api.example.com", ADMIN.example.com, deep.v1.api.example.com]\n');
  expect(check(ok, RULE).findings).toEqual([]);
  const catchAll = partial.replace('  - hosts: [shop.example.com, "*.api.example.com"]\n', '  - hosts: []\n');
  expect(check(catchAll, RULE).findings).toEqual([]);
});

test('judges a default backend by spec.tls alone: it has no host a tls entry could list', () => {
  const onlyDefault = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
`;
  expect(check(onlyDefault, RULE).findings.map((f) => f.path)).toEqual(['spec.tls']);
  const covered = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  defaultBackend: {service: {name: fallback, port: {number: 80}}}
  tls:
  - hosts: [shop.example.com]
    secretName: web-tls
  rules:
  - host: shop.example.com
`;
  expect(check(covered, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(ingressTls, { kind: 'Ingress', spec: { tls: [{ hosts: ['a.example.com'] }], rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }] } });
  expectTotal(ingressTls, { kind: 'Ingress', spec: { rules: [{ host: 'a' }] } });
});
