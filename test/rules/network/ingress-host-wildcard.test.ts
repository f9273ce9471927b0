import { Profile } from '../../../src';
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

test('finds a v1 spec.defaultBackend with a service, at its path and line', () => {
  const dflt = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
`;
  const { findings } = check(dflt, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.defaultBackend', lineOf(dflt, 'defaultBackend:')]]);
  expect(findings[0].message).toBe('the default backend spec.defaultBackend (service "web") serves requests for any host name: '
    + 'the Ingress has no rules, so it receives every request; route the application through rules with exact hosts instead');
  expect(findings[0].severity).toBe('medium');
});

test('finds a v1 spec.defaultBackend with a resource backend', () => {
  const resource = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: assets}
spec:
  defaultBackend:
    resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: static-assets}
`;
  const { findings } = check(resource, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.defaultBackend', lineOf(resource, 'defaultBackend:')]]);
  expect(findings[0].message).toContain('spec.defaultBackend (resource StorageBucket "static-assets") serves requests for any host name');
});

test.each(['extensions/v1beta1', 'networking.k8s.io/v1beta1'])('finds spec.backend of %s', (apiVersion) => {
  const beta = `apiVersion: ${apiVersion}
kind: Ingress
metadata: {name: web}
spec:
  backend: {serviceName: web, servicePort: 80}
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, backend: {serviceName: shop, servicePort: 80}}]}
`;
  const { findings } = check(beta, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.backend', lineOf(beta, 'backend: {serviceName: web')]]);
  expect(findings[0].message).toBe('the default backend spec.backend (service "web") serves requests for any host name: '
    + 'it receives every request that no rule matches; route the application through rules with exact hosts instead');
});

test('reports a default backend next to rules once, and leaves the rule findings unchanged', () => {
  const both = yaml.replace('spec:\n', 'spec:\n  defaultBackend: {service: {name: fallback, port: {name: http}}}\n');
  const before = check(yaml, RULE).findings;
  const { findings } = check(both, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.defaultBackend', lineOf(both, 'defaultBackend:')],
    ['spec.rules[0].host', lineOf(both, 'host: "*.example.com"')],
    ['spec.rules[2].host', lineOf(both, 'host: ""')],
    ['spec.rules[3].host', lineOf(both, '- http:')],
  ]);
  // the rule findings keep their messages; only the line numbers move by the inserted line
  expect(findings.slice(1).map((f) => [f.path, f.message, f.line])).toEqual(before.map((f) => [f.path, f.message, f.line + 1]));
  expect(findings[0].message).toContain('(service "fallback") serves requests for any host name: it receives every request that no rule matches');

  const exact = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  defaultBackend: {service: {name: fallback, port: {number: 80}}}
  rules:
  - host: shop.example.com
`;
  expect(check(exact, RULE).findings.map((f) => f.path)).toEqual(['spec.defaultBackend']);
});

test('reads only the field of the apiVersion, and both (once) without a known apiVersion', () => {
  const v1WithBetaField = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  backend: {serviceName: web, servicePort: 80}
  rules:
  - host: shop.example.com
`;
  expect(check(v1WithBetaField, RULE).findings).toEqual([]);
  const betaWithV1Field = v1WithBetaField.replace('networking.k8s.io/v1\n', 'extensions/v1beta1\n')
    .replace('backend: {serviceName: web, servicePort: 80}', 'defaultBackend: {service: {name: web, port: {number: 80}}}');
  expect(check(betaWithV1Field, RULE).findings).toEqual([]);

  const rule = ingressHostWildcard;
  const ctx = { profile: Profile.HARDENED, pssVersion: '1.35', pssMinor: 35, options: {}, knownRuleIds: [RULE] };
  const both = { kind: 'Ingress', spec: { defaultBackend: { service: { name: 'a' } }, backend: { serviceName: 'b' } } };
  expect(rule.check(both, ctx).map((f) => f.path)).toEqual(['spec.defaultBackend']);
  expect(rule.check({ ...both, apiVersion: 'example.com/v9' }, ctx).map((f) => f.path)).toEqual(['spec.defaultBackend']);
  expect(rule.check({ kind: 'Ingress', spec: { backend: { serviceName: 'b' } } }, ctx).map((f) => f.path)).toEqual(['spec.backend']);
});

test('passes an Ingress without a default backend, or with a null one', () => {
  const none = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  defaultBackend: null
  rules:
  - host: shop.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`;
  expect(check(none, RULE).findings).toEqual([]);
  expect(check(none.replace('  defaultBackend: null\n', ''), RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(ingressHostWildcard, { kind: 'Ingress', spec: { rules: [{ host: '*.a' }, { host: 'b' }] } });
  expectTotal(ingressHostWildcard, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } }, resource: { kind: 'B', name: 'x' } }, rules: [{ host: 'a' }] },
  });
  expectTotal(ingressHostWildcard, { apiVersion: 'extensions/v1beta1', kind: 'Ingress', spec: { backend: { serviceName: 'web', servicePort: 80 } } });
});
