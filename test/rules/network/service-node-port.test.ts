import { serviceNodePort } from '../../../src/rules/network/service-node-port';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'service-node-port';

const svc = (type: string) => `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: ${type}
  selector: {app: web}
  ports: [{port: 80}]
`;

test('finds type NodePort, with path and line', () => {
  const yaml = svc('NodePort');
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.type', lineOf(yaml, 'type: NodePort')]]);
  expect(findings[0].severity).toBe('medium');
});

test('passes ClusterIP and LoadBalancer Services', () => {
  expect(check(svc('ClusterIP'), RULE).findings).toEqual([]);
  expect(check(svc('LoadBalancer'), RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(serviceNodePort, { kind: 'Service', spec: { type: 'NodePort', ports: [{ port: 80 }] } });
});
