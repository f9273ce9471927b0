import { indexPath, keyPath } from './json-path';
import { isWorkloadKind } from './pod-spec';
import { isObject } from './values';

/**
 * Pods that operators create from templates inside custom resources. For each pod such
 * an object describes, the engine judges a synthetic `PodTemplate` (so every pod rule
 * applies, unchanged) and maps each finding's path back to where the field sits in the
 * custom resource. What the operator copies into the pod, and from where, is data here:
 *
 * - `template`: a PodTemplateSpec (`metadata`, `spec`);
 * - `spec`: a PodSpec (or a spec that embeds one: containers, securityContext, volumes…);
 * - `containers`: a list of containers (Tekton's `steps`, Argo's `sidecars`);
 * - `container`: one container (Argo's `container`, `script`).
 *
 * Paths use `*` for every key of a mapping and `[*]` for every item of a sequence; each
 * match is one pod. Placed per API group (any version) as each project's API types place
 * them; user-declared templates (`podTemplates` in the engine options and the config
 * file) add in-house kinds.
 */
export type PodPart = 'template' | 'spec' | 'containers' | 'container';

/**
 * Where a kind of custom resource keeps the pods its operator creates.
 */
export interface PodTemplateLocation {
  /** `group/version`, or `group/*` for every version of the group. */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /**
   * Paths to a PodTemplateSpec, a PodSpec or a container list (which one is found from
   * the value), with `[*]` for every item of a sequence and `*` for every key of a
   * mapping, e.g. `spec.runners[*].template`.
   */
  readonly paths: string[];
}

/** A declared path: dotted keys, each with an optional `[*]`, `*` for every key. */
export const POD_TEMPLATE_PATH = /^[A-Za-z0-9_$*-]+(\[\*\])?(\.[A-Za-z0-9_$*-]+(\[\*\])?)*$/;

/** A location, with the part it points at when the engine knows it. */
interface KnownLocation extends PodTemplateLocation {
  readonly part?: PodPart;
}

/** One pod of a custom resource: the synthetic object to judge, and how its paths map back. */
export interface SyntheticPod {
  readonly object: { [key: string]: unknown };
  /** The custom resource path of a path in the synthetic object. */
  translate(path: string): string;
}

const KNOWN: KnownLocation[] = [
  { apiVersion: 'argoproj.io/*', kind: 'Rollout', paths: ['spec.template'], part: 'template' },
  { apiVersion: 'serving.knative.dev/*', kind: 'Service', paths: ['spec.template'], part: 'template' },
  { apiVersion: 'serving.knative.dev/*', kind: 'Configuration', paths: ['spec.template'], part: 'template' },
  { apiVersion: 'serving.knative.dev/*', kind: 'Revision', paths: ['spec'], part: 'spec' },
  { apiVersion: 'keda.sh/*', kind: 'ScaledJob', paths: ['spec.jobTargetRef.template'], part: 'template' },
  { apiVersion: 'kubeflow.org/*', kind: 'PyTorchJob', paths: ['spec.pytorchReplicaSpecs.*.template'], part: 'template' },
  { apiVersion: 'kubeflow.org/*', kind: 'TFJob', paths: ['spec.tfReplicaSpecs.*.template'], part: 'template' },
  { apiVersion: 'kubeflow.org/*', kind: 'MPIJob', paths: ['spec.mpiReplicaSpecs.*.template'], part: 'template' },
  { apiVersion: 'kubeflow.org/*', kind: 'XGBoostJob', paths: ['spec.xgbReplicaSpecs.*.template'], part: 'template' },
  { apiVersion: 'kubeflow.org/*', kind: 'PaddleJob', paths: ['spec.paddleReplicaSpecs.*.template'], part: 'template' },
  { apiVersion: 'jobset.x-k8s.io/*', kind: 'JobSet', paths: ['spec.replicatedJobs[*].template.spec.template'], part: 'template' },
  { apiVersion: 'leaderworkerset.x-k8s.io/*', kind: 'LeaderWorkerSet', paths: ['spec.leaderWorkerTemplate.leaderTemplate', 'spec.leaderWorkerTemplate.workerTemplate'], part: 'template' },
  { apiVersion: 'monitoring.coreos.com/*', kind: 'Prometheus', paths: ['spec'], part: 'spec' },
  { apiVersion: 'monitoring.coreos.com/*', kind: 'PrometheusAgent', paths: ['spec'], part: 'spec' },
  { apiVersion: 'monitoring.coreos.com/*', kind: 'Alertmanager', paths: ['spec'], part: 'spec' },
  { apiVersion: 'monitoring.coreos.com/*', kind: 'ThanosRuler', paths: ['spec'], part: 'spec' },
  { apiVersion: 'apps.kruise.io/*', kind: 'CloneSet', paths: ['spec.template'], part: 'template' },
  { apiVersion: 'apps.kruise.io/*', kind: 'StatefulSet', paths: ['spec.template'], part: 'template' },
  { apiVersion: 'apps.kruise.io/*', kind: 'DaemonSet', paths: ['spec.template'], part: 'template' },
];

/** Kinds whose pods are assembled from several places (Argo Workflows, Tekton): see below. */
const ASSEMBLED: { [key: string]: (object: { [key: string]: unknown }) => SyntheticPod[] } = {
  'argoproj.io/Workflow': (o) => argoPods(o, 'spec'),
  'argoproj.io/WorkflowTemplate': (o) => argoPods(o, 'spec'),
  'argoproj.io/ClusterWorkflowTemplate': (o) => argoPods(o, 'spec'),
  'argoproj.io/CronWorkflow': (o) => argoPods(o, 'spec.workflowSpec'),
  'tekton.dev/Task': (o) => matches(o, 'spec').flatMap((m) => tektonPods(o, m.path, m.value)),
  'tekton.dev/ClusterTask': (o) => matches(o, 'spec').flatMap((m) => tektonPods(o, m.path, m.value)),
  'tekton.dev/Pipeline': (o) => [...matches(o, 'spec.tasks[*].taskSpec'), ...matches(o, 'spec.finally[*].taskSpec')].flatMap((m) => tektonPods(o, m.path, m.value)),
};

function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function versionMatches(pattern: string, apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  return pattern.endsWith('/*') ? groupOf(apiVersion) === pattern.slice(0, -2) && apiVersion.includes('/') : pattern === apiVersion;
}

/** The built-in locations by `group/kind` (any version matches: every entry is `group/*`). */
const KNOWN_BY_KIND = new Map<string, KnownLocation>(KNOWN.map((l) => [`${l.apiVersion.slice(0, -2)}/${l.kind}`, l]));

/** The location of an object's pods: a declared one first, then a built-in one. */
function locationOf(object: { [key: string]: unknown }, group: string, declared: readonly PodTemplateLocation[]): KnownLocation | undefined {
  for (const l of declared) if (l.kind === object.kind && versionMatches(l.apiVersion, object.apiVersion)) return l;
  return typeof object.apiVersion === 'string' && object.apiVersion.includes('/') ? KNOWN_BY_KIND.get(`${group}/${object.kind as string}`) : undefined;
}

/** Whether the engine knows where the pods of this object are (built-in or declared). */
export function hasPodTemplates(object: unknown, declared: readonly PodTemplateLocation[]): boolean {
  if (!isObject(object)) return false;
  const group = groupOf(object.apiVersion);
  return `${group}/${object.kind}` in ASSEMBLED || locationOf(object, group, declared) !== undefined;
}

/**
 * The pods of a custom resource, as synthetic PodTemplates; none for a kind the engine
 * does not know (built-in workload kinds are judged as they are).
 */
export function syntheticPods(object: unknown, declared: readonly PodTemplateLocation[]): SyntheticPod[] {
  if (!isObject(object) || typeof object.kind !== 'string') return [];
  const group = groupOf(object.apiVersion);
  // core kinds carry no custom pods (and are most objects: answer at once); the pod walker
  // reads the workload kinds by name, whatever their group (OpenKruise's StatefulSet and
  // DaemonSet keep their template where apps/v1 does): judged as they are
  if ((group === '' && declared.length === 0) || isWorkloadKind(object.kind)) return [];
  const assembled = ASSEMBLED[`${group}/${object.kind}`];
  const location = locationOf(object, group, declared);
  if (location === undefined) return assembled ? assembled(object) : [];
  const out: SyntheticPod[] = [];
  for (const p of location.paths) {
    for (const m of matches(object, p)) {
      const part = location.part ?? partOf(m.value);
      if (part === undefined) continue;
      out.push(podFrom(object, [{ part, path: m.path, value: m.value }]));
    }
  }
  return out;
}

/** What a value is, for a user-declared path. */
function partOf(v: unknown): PodPart | undefined {
  if (Array.isArray(v)) return 'containers';
  if (!isObject(v)) return undefined;
  if (isObject(v.spec)) return 'template';
  if (Array.isArray(v.containers) || Array.isArray(v.initContainers)) return 'spec';
  if (typeof v.image === 'string') return 'container';
  return undefined;
}

/** Every value at a path with wildcards, and its concrete path. */
export function matches(object: unknown, pattern: string): { path: string; value: unknown }[] {
  let current: { path: string; value: unknown }[] = [{ path: '', value: object }];
  for (const seg of pattern.split('.')) {
    const next: { path: string; value: unknown }[] = [];
    const list = seg.endsWith('[*]');
    const name = list ? seg.slice(0, -3) : seg;
    for (const c of current) {
      const values: { path: string; value: unknown }[] = [];
      if (name === '*') {
        if (isObject(c.value)) for (const k of Object.keys(c.value)) values.push({ path: keyPath(c.path, k), value: c.value[k] });
      } else if (isObject(c.value) && Object.prototype.hasOwnProperty.call(c.value, name)) {
        values.push({ path: keyPath(c.path, name), value: c.value[name] });
      }
      for (const v of values) {
        if (!list) next.push(v);
        else if (Array.isArray(v.value)) v.value.forEach((item, i) => next.push({ path: indexPath(v.path, i), value: item }));
      }
    }
    current = next;
  }
  return current.filter((c) => c.value !== undefined && c.value !== null);
}

interface Piece {
  readonly part: PodPart | 'field';
  readonly path: string;
  readonly value: unknown;
  /** For a field of the pod spec: its name. */
  readonly field?: string;
  /** For containers: the synthetic list they go to. */
  readonly list?: 'containers' | 'initContainers';
}

/**
 * A synthetic PodTemplate made of pieces of the object, and the map from its paths back
 * to the object's: the longest mapped prefix of a path decides.
 */
function podFrom(object: { [key: string]: unknown }, pieces: Piece[]): SyntheticPod {
  const map: [string, string][] = [];
  let metadata: unknown = undefined;
  const spec: { [key: string]: unknown } = {};
  const lists: { containers: unknown[]; initContainers: unknown[] } = { containers: [], initContainers: [] };
  for (const p of pieces) {
    switch (p.part) {
      case 'template':
        if (isObject(p.value)) {
          metadata = p.value.metadata;
          map.push(['template', p.path]);
          if (isObject(p.value.spec)) Object.assign(spec, p.value.spec);
        }
        break;
      case 'spec':
        if (isObject(p.value)) {
          Object.assign(spec, p.value);
          map.push(['template.spec', p.path]);
        }
        break;
      case 'field':
        spec[p.field!] = p.value;
        map.push([`template.spec.${p.field!}`, p.path]);
        break;
      case 'containers':
        if (Array.isArray(p.value)) {
          p.value.forEach((c, i) => {
            const into = lists[p.list ?? 'containers'];
            map.push([`template.spec.${p.list ?? 'containers'}[${into.length}]`, indexPath(p.path, i)]);
            into.push(c);
          });
        }
        break;
      case 'container': {
        const into = lists[p.list ?? 'containers'];
        map.push([`template.spec.${p.list ?? 'containers'}[${into.length}]`, p.path]);
        into.push(p.value);
        break;
      }
    }
  }
  const own = (list: unknown) => (Array.isArray(list) ? list : []);
  if (lists.containers.length > 0) spec.containers = [...own(spec.containers), ...lists.containers];
  if (lists.initContainers.length > 0) spec.initContainers = [...own(spec.initContainers), ...lists.initContainers];
  const meta = isObject(object.metadata) ? object.metadata : {};
  const synthetic = {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    // the custom resource's identity and suppressions
    metadata: meta,
    template: { ...(metadata !== undefined ? { metadata } : {}), spec },
  };
  // longest prefixes first
  map.sort((a, b) => b[0].length - a[0].length);
  return {
    object: synthetic,
    translate: (path: string) => {
      if (path === 'metadata' || path.startsWith('metadata.') || path.startsWith('metadata[')) return path;
      for (const [from, to] of map) {
        if (path === from) return to;
        if (path.startsWith(from) && (path[from.length] === '.' || path[from.length] === '[')) return to + path.slice(from.length);
      }
      // a field the synthetic pod has by default (none is added): point at the first piece
      return pieces.length > 0 ? pieces[0].path : '';
    },
  };
}

// ---- Argo Workflows: each template is a pod (argoproj.io/v1alpha1 WorkflowSpec, Template) ----

/** Pod-level fields of a WorkflowSpec that every pod of the workflow gets. */
const ARGO_POD_FIELDS = ['hostNetwork', 'securityContext', 'automountServiceAccountToken', 'volumes', 'serviceAccountName'];

function argoPods(object: { [key: string]: unknown }, specPath: string): SyntheticPod[] {
  const [spec] = matches(object, specPath);
  if (spec === undefined || !isObject(spec.value)) return [];
  const pods: SyntheticPod[] = [];
  for (const t of matches(object, `${specPath}.templates[*]`)) {
    if (!isObject(t.value)) continue;
    const pieces: Piece[] = [];
    for (const f of ARGO_POD_FIELDS) {
      // the template's own setting wins over the workflow's
      const own = f === 'securityContext' || f === 'automountServiceAccountToken' || f === 'volumes' || f === 'serviceAccountName' ? matches(t.value, f)[0] : undefined;
      if (own !== undefined) pieces.push({ part: 'field', field: f, path: keyPath(t.path, f), value: own.value });
      else if ((spec.value as { [k: string]: unknown })[f] !== undefined) pieces.push({ part: 'field', field: f, path: keyPath(specPath, f), value: (spec.value as { [k: string]: unknown })[f] });
    }
    let containers = 0;
    for (const c of ['container', 'script']) {
      if (isObject(t.value[c])) {
        pieces.push({ part: 'container', path: keyPath(t.path, c), value: t.value[c] });
        containers++;
      }
    }
    for (const m of matches(t.value, 'containerSet.containers')) {
      pieces.push({ part: 'containers', path: keyPath(keyPath(t.path, 'containerSet'), 'containers'), value: m.value });
      containers++;
    }
    if (Array.isArray(t.value.sidecars)) pieces.push({ part: 'containers', path: keyPath(t.path, 'sidecars'), value: t.value.sidecars });
    if (Array.isArray(t.value.initContainers)) pieces.push({ part: 'containers', list: 'initContainers', path: keyPath(t.path, 'initContainers'), value: t.value.initContainers });
    // a template without a container (steps, dag, resource, suspend…) runs no pod of its own
    if (containers > 0) pods.push(podFrom(object, pieces));
  }
  return pods;
}

// ---- Tekton: a Task's steps and sidecars run in one pod; stepTemplate is the base of every step ----

function tektonPods(object: { [key: string]: unknown }, specPath: string, specValue: unknown): SyntheticPod[] {
  if (!isObject(specValue)) return [];
  const spec = { value: specValue };
  const template = isObject(spec.value.stepTemplate) ? spec.value.stepTemplate : undefined;
  const steps = Array.isArray(spec.value.steps) ? spec.value.steps : [];
  const sidecars = Array.isArray(spec.value.sidecars) ? spec.value.sidecars : [];
  if (steps.length + sidecars.length === 0) return [];
  const pieces: Piece[] = [];
  // each step is its stepTemplate overlaid with the step's own fields (Tekton merges them)
  steps.forEach((s, i) => {
    pieces.push({ part: 'container', path: indexPath(keyPath(specPath, 'steps'), i), value: template && isObject(s) ? overlay(template, s) : s });
  });
  if (sidecars.length > 0) pieces.push({ part: 'containers', path: keyPath(specPath, 'sidecars'), value: sidecars });
  if (isObject(spec.value.volumes) || Array.isArray(spec.value.volumes)) pieces.push({ part: 'field', field: 'volumes', path: keyPath(specPath, 'volumes'), value: spec.value.volumes });
  return [podFrom(object, pieces)];
}

/** `base` with `own` over it: mappings merged key by key, anything else replaced. */
function overlay(base: { [key: string]: unknown }, own: { [key: string]: unknown }): { [key: string]: unknown } {
  const out: { [key: string]: unknown } = { ...base };
  for (const [k, v] of Object.entries(own)) out[k] = isObject(v) && isObject(out[k]) ? overlay(out[k] as { [key: string]: unknown }, v) : v;
  return out;
}

/**
 * Whether an object of a kind the engine does not know carries pod-like fields: a
 * `containers` list whose items have an `image`, anywhere in it (bounded depth). Such an
 * object is reported as not checked, never silently passed.
 */
export function looksLikePods(object: unknown): string | undefined {
  const visit = (v: unknown, path: string, depth: number): string | undefined => {
    if (depth > 12 || !isObject(v)) {
      if (depth <= 12 && Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const hit = visit(v[i], indexPath(path, i), depth + 1);
          if (hit !== undefined) return hit;
        }
      }
      return undefined;
    }
    for (const k of Object.keys(v)) {
      const child = v[k];
      if ((k === 'containers' || k === 'initContainers' || k === 'steps') && Array.isArray(child) && child.some((c) => isObject(c) && typeof c.image === 'string')) {
        return keyPath(path, k);
      }
      if (k === 'metadata' || k === 'status') continue;
      const hit = visit(child, keyPath(path, k), depth + 1);
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  return visit(object, '', 0);
}
