/*
 * RBAC: no pods/exec, pods/attach or pods/portforward.
 *
 * Reported: a PolicyRule that grants create or get on pods/exec, pods/attach or
 * pods/portforward in the core group, including through resources "*" and "* /exec"
 * (no space) and verbs "*". `create` is what kubectl uses; `get` is included because
 * until the AuthorizePodWebsocketUpgradeCreatePermission gate (Kubernetes 1.30 beta)
 * WebSocket exec/attach/portforward were authorized as get.
 *
 * A grant narrowed by resourceNames (to named pods) is still reported: it is still a
 * shell in those pods, with their service account and mounted Secrets.
 */
import { defineGrantRule, verbList } from './grant-rule';
import { narrowing, targetName } from './policy-rules';
import { Severity } from '../../engine/types';

const VERBS = ['create', 'get'];

export const rbacPodExec = defineGrantRule({
  id: 'rbac-pod-exec',
  title: 'Roles do not grant exec, attach or port-forward into pods',
  severity: Severity.HIGH,
  controls: ['nsa:authentication-and-authorization/rbac', 'polaris:clusterrolePodExecAttach', 'polaris:rolePodExecAttach', 'trivy:KSV-0053', 'trivy:KSV-0054'],
  rationale: 'exec and attach run commands in a container, with its service account token, mounted Secrets and network position; port-forward reaches ports that NetworkPolicies and Services keep private. Any of them bypasses what the manifest exposes.',
  remediation: 'Remove pods/exec, pods/attach and pods/portforward from the role; grant them only to a break-glass role bound on demand.',
  targets: ['exec', 'attach', 'portforward'].map((subresource) => ({ group: '', resource: 'pods', subresource, verbs: VERBS })),
  message: (grants) => `rule grants ${verbList(grants)} on ${grants.map((g) => targetName(g.target)).join(', ')} through "${grants[0].resourceEntry}"${narrowing(grants[0])}: remove this access`,
});
