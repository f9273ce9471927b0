/*
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1): the read-only port is off.
 *
 * Field: readOnlyPort. It serves pod specs, node information and metrics without
 * authentication or authorization (10255 by convention). In the config file the
 * default is 0 (disabled), unlike the --read-only-port flag, whose default is 10255.
 * So an unset field is fine and any value other than 0 is reported. A command-line
 * flag overrides the file and is not visible to this check.
 */
import { isConfig } from './config-kinds';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { setValue } from '../fixes';

/** The fix: the read-only port closed. */
const fix = setValue('sets `readOnlyPort: 0`', 0);

export const kubeletReadOnlyPort = defineRule({
  id: 'kubelet-read-only-port',
  title: 'The kubelet read-only port is disabled',
  severity: Severity.HIGH,
  category: 'cluster',
  profiles: [Profile.HARDENED],
  controls: ['cis:4.2.4', 'nsa:authentication-and-authorization/authentication', 'checkov:CKV_K8S_141'],
  rationale: 'The read-only port answers anyone who can reach the node, without authentication: it discloses every pod spec on the node (environment variables included) and metrics useful for reconnaissance.',
  remediation: 'Set `readOnlyPort: 0` (or remove the field; the config-file default is 0) and scrape metrics from the authenticated port 10250.',
  kinds: ['KubeletConfiguration'],
}, (object) => {
  if (!isConfig(object, 'KubeletConfiguration', 'kubelet.config.k8s.io')) return [];
  const port = prop(object, 'readOnlyPort');
  if (port === undefined || port === null || port === 0) return [];
  return [{ path: 'readOnlyPort', message: `readOnlyPort is ${JSON.stringify(port)}, an unauthenticated API: set it to 0` }];
}, fix);
