/*
 * Pod Security Standards, baseline: probe and lifecycle hosts (pod-security-admission check
 * `hostProbesAndHostLifecycle`).
 *
 * The host field of probes and lifecycle handlers must not be set: it lets the kubelet send
 * requests to any address it can reach (a server-side request forgery from the node).
 *
 * Restricted fields (for spec.containers[*], spec.initContainers[*], spec.ephemeralContainers[*]):
 *   livenessProbe.httpGet.host, readinessProbe.httpGet.host, startupProbe.httpGet.host
 *   livenessProbe.tcpSocket.host, readinessProbe.tcpSocket.host, startupProbe.tcpSocket.host
 *   lifecycle.postStart.httpGet.host, lifecycle.preStop.httpGet.host
 *   lifecycle.postStart.tcpSocket.host, lifecycle.preStop.tcpSocket.host
 *     (tcpSocket is not a supported lifecycle handler; it is checked for backward compatibility)
 *
 * Allowed values: "" (empty), undefined/null
 *
 * Versions: 1.34+ (the check does not exist before 1.34).
 */
import { containerLabel, pathOf, quote } from './helpers';
import { containersOf } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { containerMessages, nonEmpty, str } from '../cel';

/** Handler locations, as key paths below a container. */
const HANDLERS: string[][] = [
  ['livenessProbe'], ['readinessProbe'], ['startupProbe'],
  ['lifecycle', 'postStart'], ['lifecycle', 'preStop'],
];
const ACTIONS = ['httpGet', 'tcpSocket'];

export const hostProbesAndHostLifecycle = definePssRule({
  id: 'pss-host-probes-and-host-lifecycle',
  checkId: 'hostProbesAndHostLifecycle',
  level: Profile.BASELINE,
  title: 'Probes and lifecycle handlers must not set a host',
  severity: Severity.MEDIUM,
  category: 'pod-security',
  controls: ['nsa:network-separation'],
  rationale: 'A probe or lifecycle handler with a host makes the kubelet connect to an arbitrary address from the node, which can reach services the pod itself must not reach.',
  remediation: 'Remove `host` from the httpGet and tcpSocket actions of probes and lifecycle handlers: they then target the pod IP.',
  versions: [{
    minimumVersion: '1.34',
    check: (pod) => {
      const out: RuleFinding[] = [];
      for (const c of containersOf(pod)) {
        for (const where of HANDLERS) {
          let handler: any = c.container;
          for (const k of where) handler = prop(handler, k);
          if (handler === undefined) continue; // no such handler: nothing below it to read
          for (const action of ACTIONS) {
            const host = prop(prop(handler, action), 'host');
            if (typeof host !== 'string' || host === '') continue;
            const field = [...where, action, 'host'].join('.');
            out.push({
              path: pathOf(c.path, ...where, action, 'host'),
              message: `${containerLabel(c)} must not set ${field} (${quote(host)}): remove the host so the kubelet targets the pod IP`,
            });
          }
        }
      }
      return out;
    },
  }],
  admission: {
    violations: ({ pssMinor }) => (pssMinor < 34 ? undefined : containerMessages(
      (c) => `(${HANDLERS.flatMap((where) => ACTIONS.map((action) => nonEmpty(c, ...where, action, 'host'))).join(' || ')})`,
      () => str('must not set a host in its probes or lifecycle handlers (httpGet.host, tcpSocket.host)'))),
  },
});
