/**
 * Where the API serves each kind the rules judge, and where a pod sits in each kind that
 * carries one: what a policy's matchConstraints and variables need. Kinds that share a
 * pod's place share a policy (the API server type-checks a policy's expressions against
 * every kind it matches, so one expression cannot reach into two different places).
 */
import { ADMISSION_RESOURCES, ResourceOfKind } from '../engine/admission-resources';

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
  /** The JSON pointer of the pod spec (for JSON patches). */
  readonly pointer: string;
  /** The JSON pointer of the pod's (or template's) metadata. */
  readonly metadataPointer: string;
  /** The pod's (or template's) annotations, or an empty map. */
  readonly annotations: string;
  /** On an update: true when what the pod rules judge changed. */
  readonly changed: string;
}

function shape(name: string, kinds: string[], template: string[]): PodShape {
  // template: the path of the pod template (empty for a Pod itself)
  const base = ['object', ...template].join('.');
  const old = ['oldObject', ...template].join('.');
  const chain = (root: string) => template.map((_, i) => `has(${[root, ...template.slice(0, i + 1)].join('.')})`);
  const guards = chain('object');
  const metadata = `${base}.metadata`;
  const annotationsGuard = [...guards, `has(${metadata})`, `has(${metadata}.annotations)`];
  return {
    name,
    kinds,
    resources: kinds.map((k) => ADMISSION_RESOURCES[k]!),
    specGuard: [...guards, `has(${base}.spec)`].join(' && '),
    spec: `${base}.spec`,
    pointer: ['', ...template, 'spec'].join('/'),
    metadataPointer: ['', ...template, 'metadata'].join('/'),
    annotations: `${annotationsGuard.join(' && ')} ? ${metadata}.annotations : {}`,
    // a Pod's annotations live in its own metadata; a template's inside the compared template.
    // Only the pod template counts: scaling or pausing a workload changes no pod.
    changed: template.length
      ? `!(${guards.join(' && ')}) || !(${chain('oldObject').join(' && ')}) || ${old} != ${base}`
      : `oldObject.spec != object.spec || (has(${metadata}.annotations) ? ${metadata}.annotations : {}) != (has(${old}.metadata.annotations) ? ${old}.metadata.annotations : {})`,
  };
}

/** Every kind that carries a pod, by where the pod sits. */
export const POD_SHAPES: readonly PodShape[] = [
  shape('pods', ['Pod'], []),
  shape('podtemplates', ['PodTemplate'], ['template']),
  shape('workloads', ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'], ['spec', 'template']),
  shape('cronjobs', ['CronJob'], ['spec', 'jobTemplate', 'spec', 'template']),
];
