/*
 * Hardened: Ingresses terminate TLS for every host they serve.
 *
 * Checked fields (kind Ingress, networking.k8s.io/v1 and the older betas):
 *   spec.tls
 *   spec.rules[*].host
 *
 * A finding at spec.tls when it is missing or empty. Otherwise a finding for each
 * rule whose host no tls entry covers. A tls entry covers a host when one of its
 * `hosts` equals it (ASCII case-insensitively, white space trimmed) or is a wildcard `*.example.com` matching
 * exactly one more label (`a.example.com`, not `a.b.example.com`); an entry without
 * hosts covers every host (the controller's default certificate). Rules without a
 * host are the concern of ingress-host-wildcard and are skipped here.
 *
 * A default backend (spec.defaultBackend, spec.backend in the betas) is skipped for
 * the same reason: TLS is configured per list of hosts, and a default backend has
 * no host, so no tls entry can name it; it serves whatever host the request carries,
 * which ingress-host-wildcard reports. An Ingress with only a default backend and no
 * spec.tls still gets the spec.tls finding.
 *
 * Why: without TLS, credentials, session cookies and data cross the network in
 * clear text between clients and the ingress controller.
 */
import { RuleAdmission } from '../../engine/admission';
import { indexPath, keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, lowerAscii, prop, str, trimWhiteSpace } from '../../engine/values';
import { listOf, str as celString } from '../cel';

/** Whether a tls host (possibly `*.domain`) covers a rule host. */
function covers(tlsHost: string, host: string): boolean {
  const t = lowerAscii(trimWhiteSpace(tlsHost));
  const h = lowerAscii(trimWhiteSpace(host));
  if (t === h) return true;
  if (!t.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && !h.slice(0, dot).includes('*') && h.slice(dot) === t.slice(1);
}

/** CEL: the tls host `th` covers the rule host `r.host` (covers). */
const COVERS_CEL = "[th.trim().lowerAscii()].map(t, [r.host.trim().lowerAscii()].map(h, t == h || (t.startsWith('*.') && h.indexOf('.') > 0"
  + " && !h.substring(0, h.indexOf('.')).contains('*') && h.substring(h.indexOf('.')) == t.substring(1)))[0])[0]";

/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => {
    const tls = listOf('object', 'spec', 'tls');
    const uncovered = `${listOf('object', 'spec', 'rules')}.filter(r, has(r.host) && r.host.trim() != '' && !${tls}.exists(e, e.hosts.exists(th, ${COVERS_CEL})))`
      + `.map(r, ${celString('host "')} + r.host + ${celString('" is not listed in any spec.tls[].hosts entry and is served without TLS')})`;
    return `(size(${tls}) == 0 ? [${celString('the Ingress has no spec.tls: add a tls entry with a certificate Secret for its hosts')}]`
      + ` : ${tls}.exists(e, !has(e.hosts) || size(e.hosts) == 0) ? [] : ${uncovered})`;
  },
};

export const ingressTls = defineRule({
  id: 'ingress-tls',
  title: 'Ingresses serve every host over TLS',
  severity: Severity.MEDIUM,
  category: 'network',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/encryption',
    'polaris:tlsSettingsMissing',
  ],
  rationale: 'An Ingress without TLS serves its hosts over plain HTTP: passwords, tokens and cookies can be read and modified by anyone on the path between the client and the cluster.',
  remediation: 'Add a `spec.tls` entry listing every host of the Ingress with the Secret holding its certificate (for example issued by cert-manager), and redirect HTTP to HTTPS at the controller.',
  kinds: ['Ingress'],
}, (object) => {
  const spec = prop(object, 'spec');
  const tls = arr(prop(spec, 'tls'));
  if (tls.length === 0) {
    return [{ path: 'spec.tls', message: 'the Ingress has no spec.tls: add a tls entry with a certificate Secret for its hosts' }];
  }
  const entries = tls.map((t) => prop(t, 'hosts'));
  if (entries.some((h) => !Array.isArray(h) || h.length === 0)) return [];
  const tlsHosts = entries.flat().filter((h): h is string => typeof h === 'string');
  const out: RuleFinding[] = [];
  const rules = arr(prop(spec, 'rules'));
  for (let i = 0; i < rules.length; i++) {
    const host = str(prop(rules[i], 'host'));
    if (host === undefined || trimWhiteSpace(host) === '') continue;
    if (tlsHosts.some((t) => covers(t, host))) continue;
    out.push({
      path: keyPath(indexPath('spec.rules', i), 'host'),
      message: `host "${host}" is not listed in any spec.tls[].hosts entry and is served without TLS; add it to a tls entry`,
    });
  }
  return out;
}, undefined, admission);
