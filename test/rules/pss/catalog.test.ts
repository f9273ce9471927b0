import { Profile } from '../../../src/engine/types';
import { PSS_RULES } from '../../../src/rules/pss';

const CHECK_IDS = [
  'hostNamespaces', 'privileged', 'capabilities_baseline', 'hostPathVolumes', 'hostPorts', 'appArmorProfile',
  'seLinuxOptions', 'procMount', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess', 'hostProbesAndHostLifecycle',
  'allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
  'restrictedVolumes', 'procMount_restricted',
];

const kebab = (id: string) => id.replace(/_/g, '-').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

describe('PSS_RULES', () => {
  test('holds the 19 pod-security-admission checks, baseline first, then restricted', () => {
    expect(PSS_RULES.map((r) => r.metadata.pss!.checkId)).toEqual(CHECK_IDS);
    const levels = PSS_RULES.map((r) => r.metadata.pss!.level);
    expect(levels.lastIndexOf(Profile.BASELINE)).toBeLessThan(levels.indexOf(Profile.RESTRICTED));
  });

  test.each(PSS_RULES.map((r) => [r.metadata.id, r] as const))('%s has complete metadata', (_id, rule) => {
    const m = rule.metadata;
    expect(m.id).toBe(`pss-${kebab(m.pss!.checkId)}`);
    expect(m.controls[0]).toBe(`pss:${m.pss!.checkId}`);
    expect(m.category).toBe('pod-security');
    expect(['critical', 'high', 'medium', 'low']).toContain(m.severity);
    expect(m.title.length).toBeGreaterThan(10);
    expect(m.rationale.length).toBeGreaterThan(20);
    expect(m.remediation.length).toBeGreaterThan(20);
    expect(new Set(m.controls).size).toBe(m.controls.length);
    for (const c of m.controls) expect(c).toMatch(/^(pss|cis|nsa|kube-linter|polaris|kyverno|checkov|trivy):\S+$/);
  });
});
