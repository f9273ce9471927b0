import { serviceLoadBalancer } from '../../../src/rules/network/service-load-balancer';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'service-load-balancer';

const svc = (type: string, extra = '') => `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: ${type}
${extra}  ports: [{port: 443}]
`;

test('finds type LoadBalancer, with path and line', () => {
  const yaml = svc('LoadBalancer');
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.type', lineOf(yaml, 'type: LoadBalancer')]]);
  expect(findings[0].message).toContain('open to any source');
  const restricted = check(svc('LoadBalancer', '  loadBalancerSourceRanges: [10.0.0.0/8]\n'), RULE).findings;
  expect(restricted).toHaveLength(1);
  expect(restricted[0].message).not.toContain('open to any source');
});

test('passes ClusterIP Services, and is suppressible with a reason', () => {
  expect(check(svc('ClusterIP'), RULE).findings).toEqual([]);
  const suppressed = svc('LoadBalancer').replace('metadata: {name: web}', 'metadata:\n  name: ingress\n  annotations: {ignore.kubeharden.io/service-load-balancer: "the ingress controller is the public entry point"}');
  const { findings } = check(suppressed, RULE);
  expect(findings).toHaveLength(1);
  expect(findings[0].suppressed).toBe(true);
});

test('never throws on wrong-typed input', () => {
  expectTotal(serviceLoadBalancer, { kind: 'Service', spec: { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'] } });
});
