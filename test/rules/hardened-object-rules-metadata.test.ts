import { NAMESPACE_RULES } from '../../src/rules/namespace';
import { NETWORK_RULES } from '../../src/rules/network';
import { SECRETS_RULES } from '../../src/rules/secrets';
import { WORKLOAD_RULES } from '../../src/rules/workload';

const LISTS = { workload: WORKLOAD_RULES, network: NETWORK_RULES, secrets: SECRETS_RULES, namespace: NAMESPACE_RULES };
const CONTROL = /^(cis:5(\.\d+)+|nsa:[a-z-]+\/[a-z-]+|kube-linter:[a-z-]+|polaris:[A-Za-z]+|kyverno:[a-z-]+|checkov:CKV2?_K8S_\d+|trivy:KSV-\d{4})$/;

test.each(Object.entries(LISTS))('%s rules carry complete hardened-profile metadata', (category, rules) => {
  expect(rules.length).toBeGreaterThan(0);
  const ids = rules.map((r) => r.metadata.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const { metadata: m } of rules) {
    expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(m.category).toBe(category);
    expect(m.profiles).toEqual(['hardened']);
    expect(m.kinds.length).toBeGreaterThan(0);
    expect(m.title.length).toBeGreaterThan(10);
    expect(m.rationale.length).toBeGreaterThan(40);
    expect(m.remediation.length).toBeGreaterThan(40);
    expect(m.controls.length).toBeGreaterThan(0);
    for (const c of m.controls) expect([m.id, c, CONTROL.test(c)]).toEqual([m.id, c, true]);
  }
});
