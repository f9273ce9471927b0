/**
 * Pulumi type tokens of Kubernetes resources: `kubernetes:<group>/<version>:<Kind>`.
 *
 * @pulumi/kubernetes registers every built-in object under such a token (the core group
 * is spelled `core`), one `<Kind>List` token per kind, and one `<Kind>Patch` token per
 * kind for server-side-apply patches. `CustomResource` registers
 * `kubernetes:<apiVersion>:<Kind>` with the resource's own apiVersion, and the children
 * of `kubernetes:yaml/v2:ConfigGroup`, `ConfigFile`, `kubernetes:helm.sh/v4:Chart` and
 * `kubernetes:kustomize/v2:Directory` are registered under the same tokens as the
 * resources themselves. This file maps between tokens and Kubernetes objects; it decides
 * nothing about security.
 */

/** The Pulumi package prefix of every Kubernetes token. */
const PREFIX = 'kubernetes:';

/**
 * The built-in kinds of @pulumi/kubernetes 4.x by `<group>/<version>` as spelled in type
 * tokens (each also has a `<Kind>List` token, except those in NO_LIST_TOKEN, and a
 * `<Kind>Patch` token). test/pulumi/type-tokens.test.ts keeps this list equal to the SDK's.
 */
export const KUBERNETES_KINDS: { readonly [groupVersion: string]: readonly string[] } = {
  'admissionregistration.k8s.io/v1': ['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration'],
  'admissionregistration.k8s.io/v1alpha1': ['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
  'admissionregistration.k8s.io/v1beta1': ['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiextensions.k8s.io/v1beta1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apiregistration.k8s.io/v1beta1': ['APIService'],
  'apps/v1': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'apps/v1beta1': ['ControllerRevision', 'Deployment', 'StatefulSet'],
  'apps/v1beta2': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'auditregistration.k8s.io/v1alpha1': ['AuditSink'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'autoscaling/v2beta1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2beta2': ['HorizontalPodAutoscaler'],
  'batch/v1': ['CronJob', 'Job'],
  'batch/v1beta1': ['CronJob'],
  'batch/v2alpha1': ['CronJob'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest', 'ClusterTrustBundle', 'PodCertificateRequest'],
  'certificates.k8s.io/v1alpha1': ['ClusterTrustBundle'],
  'certificates.k8s.io/v1beta1': ['CertificateSigningRequest', 'ClusterTrustBundle', 'PodCertificateRequest'],
  'coordination.k8s.io/v1': ['Lease'],
  'coordination.k8s.io/v1alpha1': ['LeaseCandidate'],
  'coordination.k8s.io/v1alpha2': ['LeaseCandidate'],
  'coordination.k8s.io/v1beta1': ['Lease', 'LeaseCandidate'],
  'core/v1': ['Binding', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'discovery.k8s.io/v1beta1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'events.k8s.io/v1beta1': ['Event'],
  'extensions/v1beta1': ['DaemonSet', 'Deployment', 'Ingress', 'NetworkPolicy', 'PodSecurityPolicy', 'ReplicaSet'],
  'flowcontrol.apiserver.k8s.io/v1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'flowcontrol.apiserver.k8s.io/v1alpha1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'flowcontrol.apiserver.k8s.io/v1beta1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'flowcontrol.apiserver.k8s.io/v1beta2': ['FlowSchema', 'PriorityLevelConfiguration'],
  'flowcontrol.apiserver.k8s.io/v1beta3': ['FlowSchema', 'PriorityLevelConfiguration'],
  'lifecycle.k8s.io/v1alpha1': ['Eviction', 'EvictionRequest'],
  'meta/v1': ['Status'],
  'networking.k8s.io/v1': ['IPAddress', 'Ingress', 'IngressClass', 'NetworkPolicy', 'ServiceCIDR'],
  'networking.k8s.io/v1alpha1': ['ClusterCIDR', 'IPAddress', 'ServiceCIDR'],
  'networking.k8s.io/v1beta1': ['IPAddress', 'Ingress', 'IngressClass', 'ServiceCIDR'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'node.k8s.io/v1alpha1': ['RuntimeClass'],
  'node.k8s.io/v1beta1': ['RuntimeClass'],
  'policy/v1': ['PodDisruptionBudget'],
  'policy/v1beta1': ['PodDisruptionBudget', 'PodSecurityPolicy'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'rbac.authorization.k8s.io/v1alpha1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'rbac.authorization.k8s.io/v1beta1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'resource.k8s.io/v1': ['DeviceClass', 'DeviceTaintRule', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
  'resource.k8s.io/v1alpha1': ['PodScheduling', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceClass'],
  'resource.k8s.io/v1alpha2': ['PodSchedulingContext', 'ResourceClaim', 'ResourceClaimParameters', 'ResourceClaimTemplate', 'ResourceClass', 'ResourceClassParameters', 'ResourceSlice'],
  'resource.k8s.io/v1alpha3': ['DeviceClass', 'DeviceTaintRule', 'PodSchedulingContext', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourcePoolStatusRequest', 'ResourceSlice'],
  'resource.k8s.io/v1beta1': ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
  'resource.k8s.io/v1beta2': ['DeviceClass', 'DeviceTaintRule', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'scheduling.k8s.io/v1alpha1': ['PriorityClass', 'Workload'],
  'scheduling.k8s.io/v1alpha2': ['PodGroup', 'Workload'],
  'scheduling.k8s.io/v1alpha3': ['CompositePodGroup', 'PodGroup', 'Workload'],
  'scheduling.k8s.io/v1beta1': ['PodGroup', 'PriorityClass', 'Workload'],
  'settings.k8s.io/v1alpha1': ['PodPreset'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'CSIStorageCapacity', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'],
  'storage.k8s.io/v1alpha1': ['VolumeAttachment', 'VolumeAttributesClass'],
  'storage.k8s.io/v1beta1': ['CSIDriver', 'CSINode', 'CSIStorageCapacity', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'],
  'storagemigration.k8s.io/v1': ['StorageVersionMigration'],
  'storagemigration.k8s.io/v1alpha1': ['StorageVersionMigration'],
  'storagemigration.k8s.io/v1beta1': ['StorageVersionMigration'],
};

/** Built-in kinds with no `<Kind>List` token. */
const NO_LIST_TOKEN = new Set(['core/v1:Binding', 'meta/v1:Status', 'resource.k8s.io/v1alpha3:ResourceSlice']);

/**
 * Tokens of the components that render Kubernetes objects (and register each of them as a
 * child resource of its own token) or that hold no Kubernetes object themselves.
 */
export const COMPONENT_TOKENS: readonly string[] = [
  'kubernetes:yaml:ConfigFile',
  'kubernetes:yaml:ConfigGroup',
  'kubernetes:yaml/v2:ConfigFile',
  'kubernetes:yaml/v2:ConfigGroup',
  'kubernetes:helm.sh/v2:Chart',
  'kubernetes:helm.sh/v3:Chart',
  'kubernetes:helm.sh/v3:Release',
  'kubernetes:helm.sh/v4:Chart',
  'kubernetes:kustomize:Directory',
  'kubernetes:kustomize/v2:Directory',
];

const COMPONENTS = new Set(COMPONENT_TOKENS);

/** What a type token says about the Kubernetes object behind it. */
export interface KubernetesType {
  /** The object's apiVersion: `apps/v1`, `v1` for the core group. */
  readonly apiVersion: string;
  /** The object's kind, e.g. `Deployment` or `DeploymentList`. */
  readonly kind: string;
  /** For a `<Kind>List` token: the kind of its items. */
  readonly itemKind?: string;
}

/**
 * The Kubernetes object type behind a Pulumi type token, or undefined for tokens that are
 * not Kubernetes objects: other providers, the Kubernetes provider itself, the components
 * listed in COMPONENT_TOKENS, and `<Kind>Patch` tokens (a patch holds only the fields it
 * owns, so checking it as a whole object would report fields it does not manage).
 */
export function kubernetesTypeOf(token: string): KubernetesType | undefined {
  if (typeof token !== 'string' || !token.startsWith(PREFIX) || COMPONENTS.has(token)) return undefined;
  const rest = token.slice(PREFIX.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  const groupVersion = rest.slice(0, colon);
  const kind = rest.slice(colon + 1);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const slash = groupVersion.indexOf('/');
  let apiVersion: string;
  if (slash < 0) {
    // `CustomResource` with a core-group apiVersion (`kubernetes:v1:Kind`).
    if (!/^v\d+((alpha|beta)\d+)?$/.test(groupVersion)) return undefined;
    apiVersion = groupVersion;
  } else {
    const group = groupVersion.slice(0, slash);
    const version = groupVersion.slice(slash + 1);
    if (!group || !/^v\d+((alpha|beta)\d+)?$/.test(version) || version.includes('/')) return undefined;
    apiVersion = group === 'core' ? version : groupVersion;
  }
  // `<Kind>Patch` (built-in and CustomResourcePatch alike): a patch, not an object.
  if (kind.endsWith('Patch')) return undefined;
  if (kind.length > 'List'.length && kind.endsWith('List')) {
    return { apiVersion, kind, itemKind: kind.slice(0, -'List'.length) };
  }
  return { apiVersion, kind };
}

/**
 * Every built-in type token whose objects (or List items) have one of these kinds; `*`
 * stands for every kind. Custom resources of these kinds are covered too, under their
 * own `kubernetes:<apiVersion>:<Kind>` tokens, which no list can enumerate.
 */
export function typeTokensForKinds(kinds: readonly string[]): string[] {
  const all = kinds.includes('*');
  const wanted = new Set(kinds);
  const out: string[] = [];
  for (const groupVersion of Object.keys(KUBERNETES_KINDS)) {
    for (const kind of KUBERNETES_KINDS[groupVersion]) {
      if (!all && !wanted.has(kind)) continue;
      out.push(`${PREFIX}${groupVersion}:${kind}`);
      if (!NO_LIST_TOKEN.has(`${groupVersion}:${kind}`)) out.push(`${PREFIX}${groupVersion}:${kind}List`);
    }
  }
  return out;
}

/** Whether a rule with these kinds applies to objects of this type (or to its List items). */
export function kindsCover(kinds: readonly string[], type: KubernetesType): boolean {
  if (kinds.includes('*')) return true;
  return kinds.includes(type.kind) || (type.itemKind !== undefined && kinds.includes(type.itemKind));
}
