import { indexPath, keyPath } from './json-path';
import { keepShape } from './shapes';
import { arr, isObject, prop } from './values';

/**
 * The pod inside a workload object: its metadata and spec, with the JSON paths
 * where they sit in the object.
 */
export interface PodView {
  /** Pod (template) metadata, possibly undefined. */
  readonly metadata: { [key: string]: any } | undefined;
  /** Path of the pod metadata in the object, e.g. `spec.template.metadata`. */
  readonly metadataPath: string;
  /** Pod spec, always an object (an empty one when missing). */
  readonly spec: { [key: string]: any };
  /** Path of the pod spec in the object, e.g. `spec.template.spec`. */
  readonly specPath: string;
}

/** Where the pod template sits, by kind. */
const TEMPLATE_PATHS: { [kind: string]: string[] } = {
  Pod: [],
  PodTemplate: ['template'],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  ReplicationController: ['spec', 'template'],
};

/** The template location of each kind, with its paths built once. */
const TEMPLATE_LOCATIONS: { [kind: string]: { segments: string[]; metadataPath: string; specPath: string } } = {};
for (const [kind, segments] of Object.entries(TEMPLATE_PATHS)) {
  const base = segments.reduce((p, seg) => keyPath(p, seg), '');
  TEMPLATE_LOCATIONS[kind] = { segments, metadataPath: keyPath(base, 'metadata'), specPath: keyPath(base, 'spec') };
}

/** Every kind whose objects carry a pod spec (the kinds of every pod rule). */
export const WORKLOAD_KINDS: string[] = Object.keys(TEMPLATE_PATHS);

/** Whether objects of this kind carry a pod spec. */
export function isWorkloadKind(kind: unknown): boolean {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(TEMPLATE_PATHS, kind);
}

/**
 * What the rules of one object share while the engine checks it: the pod view, its
 * container list and the values derived from them or from the object. Each session
 * owns one (see check-session.ts) and enters it around the rules of each object;
 * outside it (a rule called directly, an object changed between calls) nothing is
 * cached. (Never a WeakMap by object or view: V8's young-generation collector keeps
 * ephemeron values alive, so every parsed document would survive into the old
 * generation; measured, that cost more than the rules themselves.) @internal
 */
export class PodScope {
  /** The object being checked (undefined between objects). */
  public object: unknown = undefined;
  /** Its pod view once asked for (null: not asked yet). */
  public pod: PodView | undefined | null = null;
  /** The pod view's containers once asked for. */
  public containers: readonly ContainerView[] | undefined = undefined;
  /** Values derived from the object or the pod view: key, value, key, value... */
  public readonly derived: unknown[] = [];

  /** Starts sharing between the rules of this object. */
  public enter(object: unknown): void {
    this.object = object;
    this.pod = null;
    this.containers = undefined;
    this.derived.length = 0;
  }

  /** Stops sharing: releases the object and what was derived from it. */
  public leave(): void {
    this.enter(undefined);
  }
}

// a scope dies with its session; its hidden class must not (see shapes.ts)
keepShape(new PodScope());

/**
 * The scope of the session whose rules are running, undefined when none is. A rule's
 * signature (object, context) has no room for it, so the session that runs rules
 * installs its own scope here for the duration of one object's rules and puts back
 * the one it found (sessions may nest: a rule may run an engine of its own).
 */
let active: PodScope | undefined;

/**
 * Makes `scope` the one the rules share, entered for `object`; returns the scope it
 * replaces, to be given back to {@link leavePodScope}. @internal
 */
export function enterPodScope(scope: PodScope, object: unknown): PodScope | undefined {
  const previous = active;
  scope.enter(object);
  active = scope;
  return previous;
}

/** Stops sharing `scope` and puts back the scope it replaced. @internal */
export function leavePodScope(scope: PodScope, previous: PodScope | undefined): void {
  scope.leave();
  active = previous;
}

/**
 * A value derived from a pod view, computed once while the engine checks the object
 * the view belongs to and shared by the rules that ask for it with the same `key`
 * (elsewhere it is computed on each call). What it returns is shared: freeze it.
 */
export function sharedForPod<T>(pod: PodView, key: object, compute: (pod: PodView) => T): T {
  const scope = active;
  if (scope === undefined || pod !== scope.pod) return compute(pod);
  return scoped(scope.derived, key, pod, compute);
}

/**
 * A value derived from an object, computed once while the engine checks that object and
 * shared by the rules that ask for it with the same `key` (elsewhere it is computed on
 * each call). What it returns is shared: freeze it.
 */
export function sharedForObject<T>(object: unknown, key: object, compute: (object: any) => T): T {
  const scope = active;
  if (scope === undefined || object !== scope.object || object === undefined) return compute(object);
  return scoped(scope.derived, key, object, compute);
}

function scoped<A, T>(derived: unknown[], key: object, arg: A, compute: (arg: A) => T): T {
  for (let i = 0; i < derived.length; i += 2) {
    if (derived[i] === key) return derived[i + 1] as T;
  }
  const value = compute(arg);
  derived.push(key, value);
  return value;
}

/**
 * The pod inside a workload object, or undefined when the object is not a workload
 * or has no pod spec.
 */
export function podOf(object: unknown): PodView | undefined {
  const scope = active;
  if (scope !== undefined && object === scope.object && object !== undefined) {
    let pod = scope.pod;
    if (pod === null) pod = scope.pod = computePod(object);
    return pod;
  }
  return computePod(object);
}

function computePod(object: unknown): PodView | undefined {
  const kind = prop(object, 'kind');
  if (!isWorkloadKind(kind)) return undefined;
  const where = TEMPLATE_LOCATIONS[kind as string];
  let node: any = object;
  for (const seg of where.segments) {
    node = prop(node, seg);
    if (!isObject(node)) return undefined;
  }
  const spec = prop(node, 'spec');
  if (!isObject(spec)) return undefined;
  const metadata = prop(node, 'metadata');
  return {
    metadata: isObject(metadata) ? metadata : undefined,
    metadataPath: where.metadataPath,
    spec,
    specPath: where.specPath,
  };
}

/** The three container lists of a pod spec. */
export const CONTAINER_FIELDS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** A container of a pod, with its path. */
export interface ContainerView {
  readonly container: { [key: string]: any };
  readonly path: string;
  readonly field: typeof CONTAINER_FIELDS[number];
  readonly name: string;
  /** The container's securityContext when it is an object (read once for every rule that reads its fields), else undefined. */
  readonly securityContext: { [key: string]: any } | undefined;
}

/**
 * Every container of the pod (containers, initContainers, ephemeralContainers),
 * skipping entries that are not objects.
 */
export function containersOf(pod: PodView): readonly ContainerView[] {
  // shared only while the engine checks the object this view belongs to; most rules ask
  // for it, so it has a slot of its own in the scope
  const scope = active;
  if (scope === undefined || pod !== scope.pod) return readContainers(pod);
  let containers = scope.containers;
  if (containers === undefined) containers = scope.containers = readContainers(pod);
  return containers;
}

function readContainers(pod: PodView): readonly ContainerView[] {
  const out: ContainerView[] = [];
  for (const field of CONTAINER_FIELDS) {
    const list = arr(pod.spec[field]);
    const base = keyPath(pod.specPath, field);
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (!isObject(c)) continue;
      const name = prop(c, 'name');
      const sc = prop(c, 'securityContext');
      out.push({ container: c, path: indexPath(base, i), field, name: typeof name === 'string' ? name : '', securityContext: isObject(sc) ? sc : undefined });
    }
  }
  // shared by every rule of the object: frozen, so that no rule can change what the next one sees
  return Object.freeze(out);
}
