/*
 * Hardened: Ingress rules name an exact host.
 *
 * Checked field (kind Ingress):
 *   spec.rules[*].host
 *
 * A finding for each rule whose host is missing, empty, or contains `*`
 * (`*.example.com`). Such a rule answers requests for any (sub)domain that resolves
 * to the ingress controller.
 *
 * Why: a wildcard or hostless rule captures traffic meant for other applications
 * on the same controller, serves the backend under names nobody reviewed, and in
 * multi-tenant clusters lets one team's Ingress shadow another's.
 */
import { indexPath, keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';

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
  rationale: 'A rule with no host or a wildcard host routes requests for any matching name to the backend, so it can capture traffic intended for other applications and exposes the service under names nobody chose.',
  remediation: 'Set `host` on every rule to the exact DNS name the application is served under (one rule per name).',
  kinds: ['Ingress'],
}, (object) => {
  const out: RuleFinding[] = [];
  const rules = arr(prop(prop(object, 'spec'), 'rules'));
  for (let i = 0; i < rules.length; i++) {
    const host = prop(rules[i], 'host');
    const path = keyPath(indexPath('spec.rules', i), 'host');
    if (typeof host !== 'string' || host.trim() === '') {
      out.push({ path, message: `rule ${i} has no host and matches every host name; set host to the exact DNS name` });
    } else if (host.includes('*')) {
      out.push({ path, message: `rule ${i} uses the wildcard host "${host}"; set host to the exact DNS name` });
    }
  }
  return out;
});
