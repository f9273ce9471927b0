/*
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1): anonymous requests are refused.
 *
 * Field: authentication.anonymous.enabled. In the config file the default is false
 * (the v1beta1 defaulting sets it when unset), unlike the --anonymous-auth flag, whose
 * default is true. So an unset field is fine here and only an explicit `true` is
 * reported. A --anonymous-auth flag on the kubelet command line overrides the file and
 * is not visible to this check.
 */
import { isConfig } from './config-kinds';
import { keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { setValue } from '../fixes';

/** The fix: anonymous requests off. */
const fix = setValue('sets `authentication.anonymous.enabled: false`', false);

export const kubeletAnonymousAuth = defineRule({
  id: 'kubelet-anonymous-auth',
  title: 'The kubelet refuses anonymous requests',
  severity: Severity.CRITICAL,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:4.2.1', 'nsa:authentication-and-authorization/authentication', 'checkov:CKV_K8S_138'],
  rationale: 'With anonymous authentication the kubelet API on port 10250 accepts requests without credentials as system:anonymous; with a permissive authorizer that means listing pods and running commands in them from anywhere on the network.',
  remediation: 'Set `authentication.anonymous.enabled: false` (or remove the field; the config-file default is false) and keep `authentication.webhook.enabled: true`.',
  kinds: ['KubeletConfiguration'],
}, (object) => {
  if (!isConfig(object, 'KubeletConfiguration', 'kubelet.config.k8s.io')) return [];
  if (prop(prop(prop(object, 'authentication'), 'anonymous'), 'enabled') !== true) return [];
  return [{ path: keyPath(keyPath(keyPath('', 'authentication'), 'anonymous'), 'enabled'), message: 'anonymous requests to the kubelet API are allowed: set authentication.anonymous.enabled to false' }];
}, fix);
