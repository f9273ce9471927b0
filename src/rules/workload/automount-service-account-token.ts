/*
 * Hardened: pods do not get the automatically mounted ServiceAccount token
 * (set-level: a pod's ServiceAccount may be elsewhere in the input).
 *
 * Checked fields:
 *   spec.automountServiceAccountToken of the pod (template), and, when the pod leaves
 *   it unset, automountServiceAccountToken of its ServiceAccount: the v1
 *   ServiceAccount of the pod's namespace named by spec.serviceAccountName (the
 *   deprecated spec.serviceAccount when that is unset, as SetDefaults_PodSpec copies
 *   it; `default` when both are unset, as the ServiceAccount admission plugin sets it).
 *
 * Whether the token is mounted is decided as Kubernetes decides it when the pod is
 * created (plugin/pkg/admission/serviceaccount/admission.go, shouldAutomount; the
 * kubelet then mounts the projected token volume the plugin added):
 *
 *   // Pod's preference wins
 *   if pod.Spec.AutomountServiceAccountToken != nil { return *pod.Spec.AutomountServiceAccountToken }
 *   // Then service account's
 *   if sa.AutomountServiceAccountToken != nil { return *sa.AutomountServiceAccountToken }
 *   // Default to true for backwards compatibility
 *   return true
 *
 * So: pod false is fine; pod true is a finding, whatever the ServiceAccount says; pod
 * unset is fine only when its ServiceAccount is in the input and sets false (every
 * ServiceAccount object of that namespace and name in the input, when there are
 * several), and a finding otherwise: a ServiceAccount outside the input may say
 * anything, and unset means true.
 *
 * Objects without `metadata.namespace` go wherever they are applied; they are judged
 * together. The finding is reported on the workload, at its pod spec's
 * automountServiceAccountToken (line: where the object starts).
 *
 * Why: a mounted token lets any process in any container of the pod call the
 * Kubernetes API with the ServiceAccount's rights. Most applications never call the
 * API; those that do can mount a projected token explicitly.
 */
import { keyPath } from '../../engine/json-path';
import { podOf } from '../../engine/pod-spec';
import { POD_KINDS } from '../../engine/rule';
import { defineSetRule } from '../../engine/set-rule';
import { Profile, SetFinding, SetMember, Severity } from '../../engine/types';
import { prop, str } from '../../engine/values';
import { setValue } from '../fixes';

type Collected =
  | { type: 'serviceAccount'; namespace: string; name: string; automount: boolean | null }
  | { type: 'pod'; namespace: string; serviceAccount: string; automount: unknown; path: string };

/** The ServiceAccount a pod spec runs as, as the API server resolves it. */
function serviceAccountOf(spec: { [key: string]: any }): string {
  const name = str(prop(spec, 'serviceAccountName'));
  if (name) return name;
  return str(prop(spec, 'serviceAccount')) || 'default';
}

/** The fix: the token not mounted, on the pod spec (or the ServiceAccount) the finding names. */
const fix = setValue('sets `automountServiceAccountToken: false` on the pod spec (or the ServiceAccount) the finding names', false);

export const automountServiceAccountToken = defineSetRule({
  id: 'automount-service-account-token',
  title: 'Pods do not automount a ServiceAccount token',
  severity: Severity.MEDIUM,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.1.6',
    'nsa:pod-security/service-account-tokens',
    'polaris:automountServiceAccountToken',
    'kyverno:restrict-automount-sa-token',
    'checkov:CKV_K8S_38',
    'trivy:KSV-0036',
  ],
  rationale: 'An automounted ServiceAccount token gives every process in the pod an API credential. An attacker who gets code execution in the container inherits the ServiceAccount\'s rights and can move into the control plane.',
  remediation: 'Set `automountServiceAccountToken: false` in the pod spec, or on the pod\'s ServiceAccount (the pod inherits it when it sets nothing itself; a pod setting wins). A workload that does call the Kubernetes API mounts a short-lived token through a projected `serviceAccountToken` volume in the one container that needs it.',
  kinds: [...POD_KINDS, 'ServiceAccount'],
}, {
  collect: (object): Collected | undefined => {
    const metadata = prop(object, 'metadata');
    const namespace = str(prop(metadata, 'namespace')) ?? '';
    if (prop(object, 'kind') === 'ServiceAccount') {
      const name = str(prop(metadata, 'name'));
      if (prop(object, 'apiVersion') !== 'v1' || !name) return undefined;
      const automount = prop(object, 'automountServiceAccountToken');
      return { type: 'serviceAccount', namespace, name, automount: typeof automount === 'boolean' ? automount : null };
    }
    const pod = podOf(object);
    if (!pod) return undefined;
    const automount = prop(pod.spec, 'automountServiceAccountToken');
    // a pod that sets false never mounts the token, whatever its ServiceAccount says:
    // nothing to keep for the set check (members are kept until the report)
    if (automount === false) return undefined;
    return {
      type: 'pod',
      namespace,
      serviceAccount: serviceAccountOf(pod.spec),
      automount: automount === undefined ? null : typeof automount === 'boolean' ? automount : 'invalid',
      path: keyPath(pod.specPath, 'automountServiceAccountToken'),
    };
  },
  checkSet: (members: SetMember[]): SetFinding[] => {
    // every ServiceAccount object by namespace and name: its settings in input order
    const accounts = new Map<string, (boolean | null)[]>();
    const key = (namespace: string, name: string) => JSON.stringify([namespace, name]);
    for (const m of members) {
      const d = m.data as Collected;
      if (d.type !== 'serviceAccount') continue;
      const k = key(d.namespace, d.name);
      accounts.set(k, [...(accounts.get(k) ?? []), d.automount]);
    }
    const out: SetFinding[] = [];
    members.forEach((m, i) => {
      const d = m.data as Collected;
      if (d.type !== 'pod' || d.automount === false) return;
      if (d.automount !== null) {
        out.push({ member: i, path: d.path, message: 'set automountServiceAccountToken to false in the pod spec; the ServiceAccount token is mounted into every container (the pod\'s setting wins over its ServiceAccount\'s)' });
        return;
      }
      const settings = accounts.get(key(d.namespace, d.serviceAccount));
      if (settings !== undefined && settings.every((s) => s === false)) return;
      const sa = `ServiceAccount "${d.serviceAccount}"`;
      const message = settings === undefined
        ? `set automountServiceAccountToken: false in the pod spec, or on ${sa} (not in the input): unset, the pod inherits its ServiceAccount's setting, which mounts the token by default`
        : settings.includes(true)
          ? `set automountServiceAccountToken: false in the pod spec: the pod inherits automountServiceAccountToken: true from ${sa}`
          : `set automountServiceAccountToken: false in the pod spec or on ${sa}: neither sets it, and unset the token is mounted`;
      out.push({ member: i, path: d.path, message });
    });
    return out;
  },
}, fix);
