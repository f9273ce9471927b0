/*
 * RBAC: no create on pods or workload controllers.
 *
 * Reported: a PolicyRule that grants create on any of
 *   pods, replicationcontrollers                          (core group)
 *   deployments, daemonsets, statefulsets, replicasets    (apps)
 *   jobs, cronjobs                                        (batch)
 * including through apiGroups "*", resources "*" and verbs "*". Whoever creates a pod,
 * directly or through a controller, runs code as any service account of the
 * namespace, mounts any of its Secrets and, where admission allows, the host.
 *
 * resourceNames: a create has no object name when it is authorized, so a rule with
 * resourceNames never grants it and is not reported.
 */
import { defineGrantRule } from './grant-rule';
import { RequestTarget, targetName } from './policy-rules';
import { Severity } from '../../engine/types';

const WORKLOADS: Array<[string, string]> = [
  ['', 'pods'], ['', 'replicationcontrollers'],
  ['apps', 'deployments'], ['apps', 'daemonsets'], ['apps', 'statefulsets'], ['apps', 'replicasets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'],
];
const TARGETS: RequestTarget[] = WORKLOADS.map(([group, resource]) => ({ group, resource, verbs: ['create'], createsNewObject: true }));

export const rbacCreateWorkloads = defineGrantRule({
  id: 'rbac-create-workloads',
  title: 'Roles do not grant create on pods or workload controllers',
  severity: Severity.HIGH,
  controls: ['cis:5.1.4', 'nsa:authentication-and-authorization/rbac', 'kube-linter:access-to-create-pods', 'trivy:KSV-0048'],
  rationale: 'Creating a pod, or a controller that creates pods, lets the subject run any image as any service account of the namespace and mount its Secrets: it holds every permission of every service account there.',
  remediation: 'Remove create on pods and workload controllers from roles bound to people and to workloads; leave it to deployment pipelines and controllers, and rely on Pod Security Admission at restricted for those that keep it.',
  targets: TARGETS,
  message: (grants) => `rule grants create on ${grants.map((g) => targetName(g.target)).join(', ')} through "${grants[0].resourceEntry}": remove create, or bind this role only to a deployment pipeline`,
});
