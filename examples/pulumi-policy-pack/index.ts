/**
 * The kubeharden policy pack: every rule of the hardened profile as a Pulumi policy.
 *
 * Configuration comes from the environment so that one pack serves several stages:
 * KUBEHARDEN_PROFILE (baseline | restricted | hardened), KUBEHARDEN_PSS_VERSION (v1.N or
 * latest) and KUBEHARDEN_ENFORCEMENT (advisory | mandatory | remediate). Per-policy
 * levels and options go in a `--policy-pack-config` file (see README.md).
 */
import { EnforcementLevel, PolicyPack } from '@pulumi/policy';
// Resolves once kubeharden is built (the package's `./pulumi` export) or installed.
// eslint-disable-next-line import/no-unresolved
import { kubehardenPolicies } from 'kubeharden/pulumi';

const profile = (process.env.KUBEHARDEN_PROFILE ?? 'hardened') as 'baseline' | 'restricted' | 'hardened';
const enforcementLevel = (process.env.KUBEHARDEN_ENFORCEMENT ?? 'mandatory') as EnforcementLevel;

export const policies = kubehardenPolicies({
  profile,
  pssVersion: process.env.KUBEHARDEN_PSS_VERSION ?? 'latest',
  // Workloads of these namespaces are managed by the platform team's own pack.
  excludeNamespaces: ['kube-system'],
  enforcementLevels: {
    // Resource figures are advice here: teams tune them after load tests.
    'cpu-limits': 'advisory',
    'memory-requests': 'advisory',
  },
});

export const pack = new PolicyPack('kubeharden', {
  description: 'kubeharden: Pod Security Standards and Kubernetes hardening, the same verdicts as `kubeharden check`.',
  enforcementLevel,
  policies,
});
