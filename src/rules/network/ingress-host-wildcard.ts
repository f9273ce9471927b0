/*
 * Hardened: Ingress rules name an exact host, and no default backend catches the rest.
 *
 * Checked fields (kind Ingress):
 *   spec.rules[*].host
 *   spec.defaultBackend   (networking.k8s.io/v1)
 *   spec.backend          (extensions/v1beta1, networking.k8s.io/v1beta1)
 *
 * A finding for each rule whose host is missing, empty, or contains `*`
 * (`*.example.com`). Such a rule answers requests for any (sub)domain that resolves
 * to the ingress controller.
 *
 * One more finding, at spec.defaultBackend (spec.backend for the beta API versions),
 * when the Ingress has a default backend (any object there; its contents are not
 * validated). The API defines it as the backend for requests that match no rule, and
 * a default backend has no host: it receives requests for any host name, the same
 * exposure as a rule without host. The field is chosen by apiVersion, as each version
 * defines only one of them (v1 dropped `backend` for `defaultBackend`); for another or
 * a missing apiVersion, defaultBackend is looked at first, then backend, and at most
 * one finding is made.
 *
 * A default backend next to rules is reported as well, whatever hosts the rules
 * name: by the API it still takes every request that no rule matches, including
 * requests for host names no rule lists. Controllers differ here: Kong makes it a
 * catch-all route, for any host; ingress-nginx makes it the controller-wide catch-all only for an Ingress without
 * rules, and otherwise uses it for the unmatched paths of that Ingress's own hosts.
 * A manifest is judged by the API semantics, not by one controller's reading. A
 * rule without host and a default backend are two findings.
 *
 * Why: a wildcard or hostless rule, or a default backend, captures traffic meant for
 * other applications on the same controller, serves the backend under names nobody
 * reviewed, and in multi-tenant clusters lets one team's Ingress shadow another's.
 */
import { indexPath, keyPath } from '../../engine/json-path';
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, isObject, prop, str } from '../../engine/values';
import { concat, listOf, messageIf, str as celString, unless } from '../cel';

/** Default-backend fields of an IngressSpec, by apiVersion (unknown: both, in this order). */
const BACKEND_FIELDS: { [apiVersion: string]: readonly string[] } = {
  'networking.k8s.io/v1': ['defaultBackend'],
  'networking.k8s.io/v1beta1': ['backend'],
  'extensions/v1beta1': ['backend'],
};
const ANY_BACKEND_FIELD: readonly string[] = ['defaultBackend', 'backend'];

/** ` (service "web")` or ` (resource StorageBucket "assets")` when the backend names one. */
function describeBackend(backend: unknown): string {
  const service = prop(backend, 'service');
  const serviceName = str(prop(service, 'name')) ?? str(prop(backend, 'serviceName'));
  if (serviceName !== undefined && serviceName !== '') return ` (service "${serviceName}")`;
  const resource = prop(backend, 'resource');
  const kind = str(prop(resource, 'kind'));
  const name = str(prop(resource, 'name'));
  if (kind !== undefined && kind !== '' && name !== undefined && name !== '') return ` (resource ${kind} "${name}")`;
  return '';
}


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => unless('!has(object.spec)', concat(
    `${listOf('object.spec', 'rules')}.filter(r, !has(r.host) || r.host == '' || r.host.contains('*'))`
      + `.map(r, ${celString('a rule has no host or a wildcard host')})`,
    messageIf('has(object.spec.defaultBackend)', celString('the default backend serves requests for any host name')),
  )),
};

export const ingressHostWildcard = defineRule({
  id: 'ingress-host-wildcard',
  title: 'Ingress rules name an exact host',
  severity: Severity.MEDIUM,
  category: 'network',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/network-policies',
    'kyverno:restrict-ingress-wildcard',
  ],
  rationale: 'A rule with no host or a wildcard host routes requests for any matching name to the backend, and a default backend (`spec.defaultBackend`, `spec.backend` in the beta APIs) receives every request that matches no rule, for any host name. Either can capture traffic intended for other applications and exposes the service under names nobody chose.',
  remediation: 'Set `host` on every rule to the exact DNS name the application is served under (one rule per name), and replace a default backend with such rules; leave the handling of unmatched requests to the ingress controller\'s own default backend.',
  kinds: ['Ingress'],
}, (object) => {
  const out: RuleFinding[] = [];
  const spec = prop(object, 'spec');
  const rules = arr(prop(spec, 'rules'));
  for (let i = 0; i < rules.length; i++) {
    const host = prop(rules[i], 'host');
    const path = keyPath(indexPath('spec.rules', i), 'host');
    if (typeof host !== 'string' || host.trim() === '') {
      out.push({ path, message: `rule ${i} has no host and matches every host name; set host to the exact DNS name` });
    } else if (host.includes('*')) {
      out.push({ path, message: `rule ${i} uses the wildcard host "${host}"; set host to the exact DNS name` });
    }
  }
  const apiVersion = str(prop(object, 'apiVersion'));
  const fields = (apiVersion !== undefined && Object.prototype.hasOwnProperty.call(BACKEND_FIELDS, apiVersion))
    ? BACKEND_FIELDS[apiVersion]
    : ANY_BACKEND_FIELD;
  for (const field of fields) {
    const backend = prop(spec, field);
    if (!isObject(backend)) continue;
    const path = keyPath('spec', field);
    const receives = rules.length === 0 ? 'the Ingress has no rules, so it receives every request' : 'it receives every request that no rule matches';
    out.push({
      path,
      message: `the default backend ${path}${describeBackend(backend)} serves requests for any host name: ${receives}; route the application through rules with exact hosts instead`,
    });
    break;
  }
  return out;
}, undefined, admission);
