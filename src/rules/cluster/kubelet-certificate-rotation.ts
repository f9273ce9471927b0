/*
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1): kubelet certificates rotate.
 *
 * Fields, both false by default in the config file:
 *   rotateCertificates   the kubelet renews its client certificate through CSRs
 *                        before it expires (--rotate-certificates);
 *   serverTLSBootstrap   the kubelet requests its serving certificate from the
 *                        cluster CA (signer kubernetes.io/kubelet-serving) and renews
 *                        it, instead of a self-signed certificate that clients cannot
 *                        verify and that never rotates.
 * Reported: each field that is not `true` (at the field, where it is or belongs), and
 * featureGates.RotateKubeletServerCertificate set to false, which stops server
 * certificate rotation even with serverTLSBootstrap.
 */
import { isConfig } from './config-kinds';
import { removeAt, setAt } from '../../engine/fix-paths';
import { keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { pathFix } from '../fixes';

/**
 * The fix: client certificate rotation on, and the feature gate that turns server
 * certificate rotation off removed. `serverTLSBootstrap` is left to the operator: its
 * certificate signing requests need an approver in the cluster, without which the kubelet
 * has no serving certificate at all.
 */
const fix = pathFix('sets `rotateCertificates: true` and removes a `RotateKubeletServerCertificate: false` feature gate (serverTLSBootstrap needs a CSR approver, so it is left as it is)', (object, segments) => {
  const last = segments[segments.length - 1];
  if (last === 'rotateCertificates') return setAt(object, segments, true);
  if (last === 'RotateKubeletServerCertificate') return removeAt(object, segments);
  return 'serverTLSBootstrap needs a certificate signing request approver in the cluster: set it when one runs';
});

export const kubeletCertificateRotation = defineRule({
  id: 'kubelet-certificate-rotation',
  title: 'The kubelet rotates its client and serving certificates',
  severity: Severity.MEDIUM,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:4.2.10', 'cis:4.2.11', 'nsa:authentication-and-authorization/authentication', 'checkov:CKV_K8S_149'],
  rationale: 'Without rotation a kubelet keeps long-lived certificates: a stolen client certificate stays valid until it expires, an expired one takes the node down, and a self-signed serving certificate lets the API server talk to an impostor kubelet unnoticed.',
  remediation: 'Set `rotateCertificates: true` and `serverTLSBootstrap: true`, and approve kubelet-serving CSRs (for example with an approver that checks node names and IPs).',
  kinds: ['KubeletConfiguration'],
}, (object) => {
  if (!isConfig(object, 'KubeletConfiguration', 'kubelet.config.k8s.io')) return [];
  const out: RuleFinding[] = [];
  if (prop(object, 'rotateCertificates') !== true) {
    out.push({ path: 'rotateCertificates', message: 'client certificate rotation is off (the default is false): set rotateCertificates to true' });
  }
  if (prop(object, 'serverTLSBootstrap') !== true) {
    out.push({ path: 'serverTLSBootstrap', message: 'the serving certificate is self-signed and never rotates (the default is false): set serverTLSBootstrap to true' });
  }
  if (prop(prop(object, 'featureGates'), 'RotateKubeletServerCertificate') === false) {
    out.push({ path: keyPath('featureGates', 'RotateKubeletServerCertificate'), message: 'the RotateKubeletServerCertificate feature gate is off: remove it or set it to true' });
  }
  return out;
}, fix);
