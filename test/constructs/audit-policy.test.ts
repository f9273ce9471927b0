import { App, Chart, Testing } from 'cdk8s';
import { check, unsuppressed } from './util';
import { AuditLevel, AuditPolicy, AuditRulePosition } from '../../src/constructs';

function policyOf(chart: Chart): any {
  const [p] = Testing.synth(chart);
  return p;
}

describe('AuditPolicy', () => {
  test('secure defaults, zero findings', () => {
    const chart = new Chart(Testing.app(), 'audit', { namespace: 'ignored' });
    new AuditPolicy(chart, 'policy', { name: 'kubeharden' });
    const p = policyOf(chart);
    expect(p.apiVersion).toBe('audit.k8s.io/v1');
    expect(p.kind).toBe('Policy');
    expect(p.metadata).toEqual({ name: 'kubeharden' });
    expect(p.omitStages).toEqual(['RequestReceived']);
    const levels = p.rules.map((r: any) => r.level);
    expect(levels[0]).toBe('None');
    expect(p.rules[0].nonResourceURLs).toEqual(expect.arrayContaining(['/healthz*', '/livez*', '/readyz*']));
    const metadataSecrets = p.rules.findIndex((r: any) => r.level === 'Metadata' && JSON.stringify(r.resources ?? []).includes('secrets'));
    const exec = p.rules.findIndex((r: any) => JSON.stringify(r.resources ?? []).includes('pods/exec'));
    const rbac = p.rules.findIndex((r: any) => JSON.stringify(r.resources ?? []).includes('rbac.authorization.k8s.io'));
    const writes = p.rules.findIndex((r: any) => r.level === 'Request');
    expect(p.rules[metadataSecrets].resources).toEqual([
      { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
    ]);
    expect(p.rules[exec].level).toBe('RequestResponse');
    expect(p.rules[exec].resources[0].resources).toEqual(['pods/exec', 'pods/attach', 'pods/portforward']);
    expect(p.rules[rbac].level).toBe('RequestResponse');
    expect(p.rules[writes].verbs).toEqual(['create', 'update', 'patch', 'delete', 'deletecollection']);
    expect(metadataSecrets).toBeLessThan(writes);
    expect(p.rules[p.rules.length - 1]).toEqual({ level: 'Metadata' });
    expect(unsuppressed(check([p]))).toEqual([]);
  });

  test('addRule places rules after the defaults, or first', () => {
    const chart = new Chart(Testing.app(), 'audit');
    const audit = new AuditPolicy(chart, 'policy', {
      rules: [{ level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: 'apps', resources: ['deployments'] }], verbs: ['create', 'update', 'patch', 'delete'] }],
    });
    audit.addRule({ level: AuditLevel.NONE, nonResourceUrls: ['/metrics'] }, AuditRulePosition.FIRST);
    const p = policyOf(chart);
    expect(p.rules[0]).toEqual({ level: 'None', nonResourceURLs: ['/metrics'] });
    // before the default for other writes, which would otherwise match every such write first
    expect(p.rules.slice(-3)).toEqual([
      { level: 'RequestResponse', verbs: ['create', 'update', 'patch', 'delete'], resources: [{ group: 'apps', resources: ['deployments'] }] },
      { level: 'Request', verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
      { level: 'Metadata' },
    ]);
    expect(unsuppressed(check([p]))).toEqual([]);
  });

  test.each([
    ['secrets at RequestResponse, first', { level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['secrets'] }] }, /audit-sensitive-resources-logged/],
    ['every write at Request, first', { level: AuditLevel.REQUEST, verbs: ['create', 'update'] }, /audit-sensitive-resources-logged/],
    ['tokenreviews at Request, first', { level: AuditLevel.REQUEST, resources: [{ group: 'authentication.k8s.io' }] }, /audit-sensitive-resources-logged/],
    ['exec at None, first', { level: AuditLevel.NONE, resources: [{ group: '', resources: ['pods/exec'] }] }, /audit-exec-not-logged/],
  ])('refuses %s', (_what, rule, message) => {
    const audit = new AuditPolicy(new Chart(Testing.app(), 'audit'), 'policy');
    expect(() => audit.addRule(rule, AuditRulePosition.FIRST)).toThrow(message);
    // after the defaults, the same rule is harmless: the Metadata rule for secrets matches first
    if (rule.level !== AuditLevel.NONE) expect(() => audit.addRule(rule)).not.toThrow();
  });

  test('a refused rule leaves the policy unchanged', () => {
    const chart = new Chart(Testing.app(), 'audit');
    const audit = new AuditPolicy(chart, 'policy');
    const before = policyOf(chart).rules.length;
    expect(() => audit.addRule({ level: AuditLevel.REQUEST_RESPONSE }, AuditRulePosition.FIRST)).toThrow(/refused/);
    expect(policyOf(chart).rules.length).toBe(before);
  });

  test('refuses malformed rules', () => {
    const audit = new AuditPolicy(new Chart(new App(), 'audit'), 'policy');
    expect(() => audit.addRule({ level: 'Everything' as any })).toThrow(/unknown audit level/);
    expect(() => audit.addRule({ level: AuditLevel.NONE, resources: [{ group: '' }], nonResourceUrls: ['/x'] })).toThrow(/not both/);
  });
});
