/*
 * kubeadm ClusterConfiguration (kubeadm.k8s.io/v1beta3, v1beta4): the API server
 * refuses anonymous requests.
 *
 * Flag: apiServer.extraArgs `anonymous-auth` (v1beta3: a map entry; v1beta4: a
 * `{name, value}` list entry, last one wins). kube-apiserver defaults it to true and
 * kubeadm does not set it, so an unset flag means anonymous requests are accepted (as
 * system:anonymous, in group system:unauthenticated). Reported: the flag with any
 * value but "false", at its value, or its absence, at apiServer.extraArgs.
 * Not reported when `authentication-config` is set: anonymous authentication is then
 * configured in that file (kube-apiserver rejects both), which this check cannot read.
 */
import { apiServerArgsOf } from './config-kinds';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

export const kubeadmApiserverAnonymousAuth = defineRule({
  id: 'kubeadm-apiserver-anonymous-auth',
  title: 'The API server refuses anonymous requests',
  severity: Severity.MEDIUM,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:1.2.1', 'nsa:authentication-and-authorization/authentication', 'checkov:CKV_K8S_68'],
  rationale: 'Anonymous requests reach the API server as system:anonymous: any role bound to system:unauthenticated or system:anonymous, by mistake or by a vulnerable add-on, becomes reachable by anyone on the network.',
  remediation: 'Set apiServer.extraArgs `anonymous-auth: "false"` (v1beta4: `- {name: anonymous-auth, value: "false"}`); if load-balancer health checks need /livez or /readyz, use an AuthenticationConfiguration that allows anonymous access to those paths only.',
  kinds: ['ClusterConfiguration'],
}, (object) => {
  const a = apiServerArgsOf(object);
  if (!a || a.args.has('authentication-config')) return [];
  const flag = a.args.get('anonymous-auth');
  if (!flag) return [{ path: a.missingPath, message: 'anonymous-auth is not set and kube-apiserver defaults it to true: set anonymous-auth to "false"' }];
  if (flag.value.trim().toLowerCase() === 'false') return [];
  return [{ path: flag.path, message: `anonymous-auth is "${flag.value}": set it to "false"` }];
});
