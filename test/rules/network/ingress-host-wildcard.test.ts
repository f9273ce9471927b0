import { ingressHostWildcard } from '../../../src/rules/network/ingress-host-wildcard';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'ingress-host-wildcard';

const yaml = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  tls: [{hosts: ["*.example.com"], secretName: wildcard}]
  rules:
  - host: "*.example.com"
  - host: shop.example.com
  - host: ""
  - http:
      paths: []
`;

test('finds wildcard, empty and missing hosts, with path and line', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.rules[0].host', lineOf(yaml, 'host: "*.example.com"')],
    ['spec.rules[2].host', lineOf(yaml, 'host: ""')],
    ['spec.rules[3].host', lineOf(yaml, '- http:')],
  ]);
  expect(findings[0].message).toContain('wildcard host "*.example.com"');
  expect(findings[2].message).toContain('rule 3 has no host');
});

test('passes exact hosts', () => {
  const ok = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: shop.example.com
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(ingressHostWildcard, { kind: 'Ingress', spec: { rules: [{ host: '*.a' }, { host: 'b' }] } });
});
