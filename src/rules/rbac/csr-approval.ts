/*
 * RBAC: no approval of CertificateSigningRequests.
 *
 * Approving a CSR takes two permissions (certificates.k8s.io):
 *   update (or patch) on certificatesigningrequests/approval, and
 *   approve on signers, for the signer named in the CSR.
 * Permissions add up across every role bound to a subject, so each half is reported
 * where it is granted, in a ClusterRole (CSRs and signers are cluster-scoped):
 *   - update/patch on certificatesigningrequests/approval (resources
 *     "certificatesigningrequests/approval", "*" or "* /approval" without the space);
 *   - approve on signers, unless narrowed by resourceNames to signers outside
 *     kubernetes.io. Signer resourceNames accept "<domain>/*" for a whole domain, so
 *     "kubernetes.io/*" and every "kubernetes.io/..." signer is reported: those issue
 *     API-server client certificates (kubernetes.io/kube-apiserver-client) and kubelet
 *     certificates. A custom signer (example.com/my-signer) is not.
 */
import { effectiveRulesCel, grantCel } from './grant-rule';
import { grantOf, policyRulesOf } from './policy-rules';
import { indexPath, keyPath } from '../../engine/json-path';
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { str } from '../cel';

const GROUP = 'certificates.k8s.io';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: ({ kind }) => {
    const approval = grantCel({ group: GROUP, resource: 'certificatesigningrequests', subresource: 'approval', verbs: ['update', 'patch'] }, true, kind);
    const approve = grantCel({ group: GROUP, resource: 'signers', verbs: ['approve'] }, true, kind);
    const risky = "(!has(r.resourceNames) || size(r.resourceNames) == 0 || r.resourceNames.exists(n, n.startsWith('kubernetes.io/')))";
    return `${effectiveRulesCel(kind)}.filter(r, (${approval}) || ((${approve}) && ${risky}))`
      + `.map(r, ${str('a rule grants the approval of certificate signing requests')})`;
  },
};

export const rbacCsrApproval = defineRule({
  id: 'rbac-csr-approval',
  title: 'ClusterRoles do not grant approval of certificate signing requests',
  severity: Severity.HIGH,
  category: 'rbac',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.1.11', 'nsa:authentication-and-authorization/rbac', 'checkov:CKV_K8S_156', 'kyverno:restrict-clusterrole-csr'],
  rationale: 'Whoever can approve a CSR for a kubernetes.io signer can issue themselves a client certificate for any user or group, system:masters included, and keep it for its whole validity: certificates cannot be revoked.',
  remediation: 'Remove update/patch on certificatesigningrequests/approval and approve on signers; if a controller approves CSRs, narrow approve with resourceNames to its own signer name.',
  kinds: ['ClusterRole'],
}, (object, context) => {
  const out: RuleFinding[] = [];
  for (const entry of policyRulesOf(object, true, context)) {
    const approval = grantOf(entry, { group: GROUP, resource: 'certificatesigningrequests', subresource: 'approval', verbs: ['update', 'patch'] });
    if (approval) {
      out.push({ path: approval.resourcePath, message: `rule grants ${approval.verbs.join(', ')} on certificatesigningrequests/approval through "${approval.resourceEntry}": remove it; together with approve on signers it lets the holder approve any CSR` });
    }
    const approve = grantOf(entry, { group: GROUP, resource: 'signers', verbs: ['approve'] });
    if (!approve) continue;
    const risky = approve.resourceNames.length === 0
      ? ['every signer']
      : approve.resourceNames.filter((n) => n.startsWith('kubernetes.io/'));
    if (risky.length === 0) continue;
    out.push({
      path: approve.resourceNames.length === 0 ? approve.verbPath : indexPath(keyPath(entry.path, 'resourceNames'), approve.resourceNames.indexOf(risky[0])),
      message: `rule grants approve on ${risky.join(', ')}: remove it, or narrow resourceNames to your own signer (not kubernetes.io)`,
    });
  }
  return out;
}, undefined, admission);
