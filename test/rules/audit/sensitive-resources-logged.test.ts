import { auditSensitiveResourcesLogged } from '../../../src/rules/audit/sensitive-resources-logged';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';

const ID = 'audit-sensitive-resources-logged';
const policy = (rules: string, apiVersion = 'audit.k8s.io/v1') => `apiVersion: ${apiVersion}
kind: Policy
omitStages: [RequestReceived]
rules:
${rules}`;

test('a catch-all at RequestResponse is the first rule for secrets and tokens', () => {
  const yaml = policy(`- level: None
  users: [system:kube-proxy]
- level: RequestResponse
`);
  const f = findingsOf(yaml, ID);
  expect(f).toMatchObject([{ path: 'rules[1]', line: lineOf(yaml, 'level: RequestResponse') }]);
  expect(f[0].message).toContain('secrets, configmaps, tokenreviews.authentication.k8s.io, serviceaccounts/token');
});

test('a Metadata rule for sensitive resources before the broad rule protects them', () => {
  const yaml = policy(`- level: Metadata
  resources:
  - group: ""
    resources: [secrets, configmaps, serviceaccounts/token]
  - group: authentication.k8s.io
    resources: [tokenreviews]
- level: RequestResponse
  resources:
  - group: ""
  - group: authentication.k8s.io
- level: Metadata
`, 'audit.k8s.io/v1beta1');
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('a conditional Metadata rule does not shadow the leaking rule behind it', () => {
  const yaml = policy(`- level: Metadata
  resources:
  - group: ""
    resources: [secrets]
  namespaces: [kube-system]
- level: Request
  resources:
  - group: ""
    resources: ["*"]
- level: Metadata
`);
  const f = findingsOf(yaml, ID);
  expect(f).toMatchObject([{ path: 'rules[1]', line: lineOf(yaml, 'level: Request') }]);
  expect(f[0].message).toContain('secrets, configmaps');
  expect(f[0].message).not.toContain('serviceaccounts/token');
});

test('a leaking rule restricted to some verbs or users is reported; serviceaccounts/token at Request is not', () => {
  const yaml = policy(`- level: Request
  verbs: [create, update]
  resources:
  - group: ""
    resources: [secrets, serviceaccounts/token]
- level: RequestResponse
  userGroups: [system:masters]
  resources:
  - group: ""
    resources: [pods/*, "*/token"]
- level: Metadata
`);
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['rules[0]', 'rules[1]']);
  expect(f[0].message).toContain('requests for secrets,');
  expect(f[1].message).toContain('serviceaccounts/token');
});

test('rules for other groups, other resources or non-resource URLs do not match', () => {
  const yaml = policy(`- level: RequestResponse
  resources:
  - group: apps
  - group: ""
    resources: [pods, services]
- level: RequestResponse
  nonResourceURLs: ["/api*"]
- level: Metadata
`);
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(auditSensitiveResourcesLogged, 'audit.k8s.io/v1');
});
