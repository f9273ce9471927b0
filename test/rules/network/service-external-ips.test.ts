import { serviceExternalIps } from '../../../src/rules/network/service-external-ips';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'service-external-ips';

test('finds externalIPs, with path and line', () => {
  const yaml = `apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  ports: [{port: 53, protocol: UDP}]
  externalIPs:
  - 8.8.8.8
  - 1.1.1.1
`;
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.externalIPs', lineOf(yaml, 'externalIPs:')]]);
  expect(findings[0].message).toContain('CVE-2020-8554');
  expect(findings[0].message).toContain('2 addresses');
  expect(findings[0].severity).toBe('high');
});

test('passes Services without externalIPs or with an empty list', () => {
  const ok = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  externalIPs: []
  ports: [{port: 80}]
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(serviceExternalIps, { kind: 'Service', spec: { externalIPs: ['1.2.3.4'] } });
});
