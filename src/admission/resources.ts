/**
 * Where the API serves each kind the rules judge, and where a pod sits in each kind that
 * carries one: what a policy's matchConstraints and variables need. Kinds that share a
 * pod's place share a policy (the API server type-checks a policy's expressions against
 * every kind it matches, so one expression cannot reach into two different places).
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
};

/** The kinds that keep their pod in one place, and the CEL that reaches it. */
export interface PodShape {
  /** The policy name's suffix. */
  readonly name: string;
  readonly kinds: string[];
  readonly resources: ResourceOfKind[];
  /** True when the object has a pod spec to judge. */
  readonly specGuard: string;
  /** The pod spec. */
  readonly spec: string;
  /** The pod's (or template's) annotations, or an empty map. */
  readonly annotations: string;
  /** On an update: true when what the pod rules judge changed. */
  readonly changed: string;
}

function shape(name: string, kinds: string[], template: string[]): PodShape {
  // template: the path of the pod template (empty for a Pod itself)
  const base = ['object', ...template].join('.');
  const old = ['oldObject', ...template].join('.');
  const guards: string[] = [];
  for (let i = 1; i <= template.length; i++) guards.push(`has(${['object', ...template.slice(0, i)].join('.')})`);
  const metadata = `${base}.metadata`;
  const annotationsGuard = [...guards, `has(${metadata})`, `has(${metadata}.annotations)`];
  const top = template.length ? ['object', template[0]].join('.') : 'object.spec';
  const oldTop = template.length ? ['oldObject', template[0]].join('.') : 'oldObject.spec';
  return {
    name,
    kinds,
    resources: kinds.map((k) => ADMISSION_RESOURCES[k]!),
    specGuard: [...guards, `has(${base}.spec)`].join(' && '),
    spec: `${base}.spec`,
    annotations: `${annotationsGuard.join(' && ')} ? ${metadata}.annotations : {}`,
    // a Pod's annotations live in its own metadata; a template's inside the compared field
    changed: template.length
      ? `!has(${oldTop}) || ${oldTop} != ${top}`
      : `${oldTop} != ${top} || (has(${metadata}.annotations) ? ${metadata}.annotations : {}) != (has(${old}.metadata.annotations) ? ${old}.metadata.annotations : {})`,
  };
}

/** Every kind that carries a pod, by where the pod sits. */
export const POD_SHAPES: readonly PodShape[] = [
  shape('pods', ['Pod'], []),
  shape('podtemplates', ['PodTemplate'], ['template']),
  shape('workloads', ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'], ['spec', 'template']),
  shape('cronjobs', ['CronJob'], ['spec', 'jobTemplate', 'spec', 'template']),
];
