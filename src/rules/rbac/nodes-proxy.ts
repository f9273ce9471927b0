/*
 * RBAC: no access to nodes/proxy.
 *
 * Reported: a ClusterRole rule that grants any verb on nodes/proxy in the core group
 * (resources "nodes/proxy", "*" or "* /proxy" without the space; verbs "*" or any of
 * get, list, watch, create, update, patch, delete). nodes/proxy forwards to the kubelet
 * API: get alone reaches /exec, /run and /pods over WebSocket, bypassing API-server
 * admission and audit. Nodes are cluster-scoped, so only a ClusterRole can grant it;
 * a Role is not checked. A grant narrowed to named nodes is still reported.
 */
import { defineGrantRule, verbList } from './grant-rule';
import { narrowing } from './policy-rules';
import { Severity } from '../../engine/types';

export const rbacNodesProxy = defineGrantRule({
  id: 'rbac-nodes-proxy',
  title: 'ClusterRoles do not grant nodes/proxy',
  severity: Severity.HIGH,
  controls: ['cis:5.1.10', 'nsa:authentication-and-authorization/rbac', 'kyverno:restrict-clusterrole-nodesproxy', 'trivy:KSV-0047'],
  rationale: 'nodes/proxy gives direct access to the kubelet API: running commands in any pod on the node, without admission control and without API-server audit events.',
  remediation: 'Remove nodes/proxy from the ClusterRole. Monitoring agents should read /metrics through nodes/metrics, and pod data through the API server.',
  clusterScoped: true,
  targets: [{ group: '', resource: 'nodes', subresource: 'proxy', verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
  message: (grants) => `rule grants ${verbList(grants)} on nodes/proxy through "${grants[0].resourceEntry}"${narrowing(grants[0])}: remove it (use nodes/metrics for monitoring)`,
});
