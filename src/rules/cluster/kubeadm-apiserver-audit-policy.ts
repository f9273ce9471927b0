/*
 * kubeadm ClusterConfiguration (kubeadm.k8s.io/v1beta3, v1beta4): the API server has
 * an audit policy.
 *
 * Flag: apiServer.extraArgs `audit-policy-file`. Without it kube-apiserver writes no
 * audit events at all, whatever the other audit flags say; kubeadm does not set it.
 * Reported: the flag missing or empty, at apiServer.extraArgs (or its value). The
 * policy file must also be mounted into the API server pod (apiServer.extraVolumes),
 * and events need a backend (audit-log-path or audit-webhook-config-file).
 */
import { requiredFlag } from './config-kinds';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

export const kubeadmApiserverAuditPolicy = defineRule({
  id: 'kubeadm-apiserver-audit-policy',
  title: 'The API server has an audit policy',
  severity: Severity.MEDIUM,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:3.2.1', 'nsa:audit-logging'],
  rationale: 'Without an audit policy the API server records nothing: who read which Secret, who exec-ed into which pod, and who changed RBAC cannot be established after an incident.',
  remediation: 'Set apiServer.extraArgs `audit-policy-file` (and `audit-log-path`), mount the policy with apiServer.extraVolumes, and start from a policy that logs Secrets at Metadata and ends with a Metadata catch-all.',
  kinds: ['ClusterConfiguration'],
}, (object) => requiredFlag(object, 'audit-policy-file', 'audit-policy-file is not set, so the API server writes no audit events: set it (with audit-log-path) and mount the policy file'));
