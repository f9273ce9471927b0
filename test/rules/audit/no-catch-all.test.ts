import { auditNoCatchAll } from '../../../src/rules/audit/no-catch-all';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';

const ID = 'audit-no-catch-all';

test('a policy whose rules all have selectors is reported at rules', () => {
  const yaml = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  resources:
  - group: ""
- level: RequestResponse
  verbs: [create]
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules', line: lineOf(yaml, 'rules:') }]);
});

test('a catch-all at None is reported at that rule', () => {
  const yaml = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  resources: [{group: ""}]
- level: None
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules[1]', line: 6 }]);
});

test('a final Metadata catch-all is fine; other kinds named Policy are ignored', () => {
  const yaml = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: None
  users: [system:kube-proxy]
- level: Metadata
  omitStages: [RequestReceived]
---
apiVersion: example.com/v1
kind: Policy
spec: {}
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(auditNoCatchAll, 'audit.k8s.io/v1');
});
