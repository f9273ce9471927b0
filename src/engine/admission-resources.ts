/**
 * Where the API serves each kind the rules judge: what a policy's matchConstraints need,
 * and what tells the engine whether a rule's kinds reach an API server as objects at all
 * (a rule whose kinds are configuration files, or custom resources not listed here, is not
 * enforced at admission, see admission.ts).
 */

/** The API resource of a kind. */
export interface ResourceOfKind {
  readonly group: string;
  readonly version: string;
  /** The resource and the subresources a rule must also see (a Pod's ephemeral containers). */
  readonly resources: string[];
  /** Cluster-scoped (a binding's namespaceSelector then matches only a Namespace's own labels). */
  readonly clusterScoped?: boolean;
}

/** The resources of the kinds the catalog's object rules judge. Kinds absent here never reach an API server as objects. */
export const ADMISSION_RESOURCES: { readonly [kind: string]: ResourceOfKind | undefined } = {
  Pod: { group: '', version: 'v1', resources: ['pods', 'pods/ephemeralcontainers'] },
  PodTemplate: { group: '', version: 'v1', resources: ['podtemplates'] },
  ReplicationController: { group: '', version: 'v1', resources: ['replicationcontrollers'] },
  Deployment: { group: 'apps', version: 'v1', resources: ['deployments'] },
  ReplicaSet: { group: 'apps', version: 'v1', resources: ['replicasets'] },
  StatefulSet: { group: 'apps', version: 'v1', resources: ['statefulsets'] },
  DaemonSet: { group: 'apps', version: 'v1', resources: ['daemonsets'] },
  Job: { group: 'batch', version: 'v1', resources: ['jobs'] },
  CronJob: { group: 'batch', version: 'v1', resources: ['cronjobs'] },
  Namespace: { group: '', version: 'v1', resources: ['namespaces'], clusterScoped: true },
  Service: { group: '', version: 'v1', resources: ['services'] },
  ConfigMap: { group: '', version: 'v1', resources: ['configmaps'] },
  Secret: { group: '', version: 'v1', resources: ['secrets'] },
  PersistentVolume: { group: '', version: 'v1', resources: ['persistentvolumes'], clusterScoped: true },
  Ingress: { group: 'networking.k8s.io', version: 'v1', resources: ['ingresses'] },
  Role: { group: 'rbac.authorization.k8s.io', version: 'v1', resources: ['roles'] },
  ClusterRole: { group: 'rbac.authorization.k8s.io', version: 'v1', resources: ['clusterroles'], clusterScoped: true },
  RoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', resources: ['rolebindings'] },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', resources: ['clusterrolebindings'], clusterScoped: true },
  // a custom resource: served once the Sealed Secrets controller's CRD is installed (a policy for it is accepted before)
  SealedSecret: { group: 'bitnami.com', version: 'v1alpha1', resources: ['sealedsecrets'] },
};
