import { auditExecNotLogged } from '../../../src/rules/audit/exec-not-logged';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';

const ID = 'audit-exec-not-logged';
const policy = (rules: string) => `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
${rules}`;

test('a None rule that is first to match exec is reported', () => {
  const yaml = policy(`- level: Metadata
  resources:
  - group: ""
    resources: [pods/log]
- level: None
  resources:
  - group: ""
    resources: ["pods/*"]
- level: Metadata
`);
  const f = findingsOf(yaml, ID);
  expect(f).toMatchObject([{ path: 'rules[1]', line: lineOf(yaml, 'level: None') }]);
  expect(f[0].message).toContain('pods/exec, pods/attach, pods/portforward');
});

test('a None rule restricted to users or to get still drops some exec requests', () => {
  const yaml = policy(`- level: None
  userGroups: [system:nodes]
- level: None
  verbs: [get, list, watch]
- level: Metadata
`);
  expect(findingsOf(yaml, ID).map((f) => f.path)).toEqual(['rules[0]', 'rules[1]']);
});

test('exec logged before the None rule, and None rules that cannot match exec, are fine', () => {
  const yaml = policy(`- level: None
  verbs: [watch]
- level: None
  resources:
  - group: ""
    resources: [events, pods]
- level: None
  nonResourceURLs: [/healthz*]
- level: Metadata
  resources:
  - group: ""
    resources: ["*/exec", pods/attach, pods/portforward]
- level: None
- level: Metadata
`);
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(auditExecNotLogged, 'audit.k8s.io/v1');
});
