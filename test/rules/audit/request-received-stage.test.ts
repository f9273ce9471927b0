import { auditRequestReceivedStage } from '../../../src/rules/audit/request-received-stage';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';

const ID = 'audit-request-received-stage';

test('logging rules that keep RequestReceived are reported when the policy does not omit it', () => {
  const yaml = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [ResponseStarted]
rules:
- level: None
  users: [system:kube-proxy]
- level: Metadata
  resources: [{group: ""}]
  omitStages: [RequestReceived]
- level: Request
  verbs: [create]
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules[2]', line: lineOf(yaml, 'level: Request') }]);
});

test('policy-level omitStages covers every rule', () => {
  const yaml = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(auditRequestReceivedStage, 'audit.k8s.io/v1');
});
