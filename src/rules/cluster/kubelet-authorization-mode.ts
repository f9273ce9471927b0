/*
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1): kubelet requests are authorized
 * by the API server.
 *
 * Field: authorization.mode, `Webhook` or `AlwaysAllow`. In the config file the
 * default is Webhook (the v1beta1 defaulting sets it when unset), unlike the
 * --authorization-mode flag, whose default is AlwaysAllow. So an unset field is fine
 * and any value other than Webhook is reported. A command-line flag overrides the file
 * and is not visible to this check.
 */
import { isConfig } from './config-kinds';
import { keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { setValue } from '../fixes';

/** The fix: the API server authorizes kubelet requests. */
const fix = setValue('sets `authorization.mode: Webhook`', 'Webhook');

export const kubeletAuthorizationMode = defineRule({
  id: 'kubelet-authorization-mode',
  title: 'The kubelet authorizes requests with the Webhook mode',
  severity: Severity.CRITICAL,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:4.2.2', 'nsa:authentication-and-authorization/authentication', 'checkov:CKV_K8S_139'],
  rationale: 'AlwaysAllow lets every authenticated caller of the kubelet API (and every anonymous one, if anonymous auth is on) read pod data and exec into containers, bypassing RBAC; Webhook asks the API server with a SubjectAccessReview.',
  remediation: 'Set `authorization.mode: Webhook` (or remove the field; the config-file default is Webhook).',
  kinds: ['KubeletConfiguration'],
}, (object) => {
  if (!isConfig(object, 'KubeletConfiguration', 'kubelet.config.k8s.io')) return [];
  const mode = prop(prop(object, 'authorization'), 'mode');
  if (mode === undefined || mode === null || mode === 'Webhook') return [];
  return [{ path: keyPath('authorization', 'mode'), message: `authorization.mode is ${JSON.stringify(mode)}: set it to Webhook so the API server authorizes kubelet requests` }];
}, fix);
