import { indexPath, keyPath } from '../json-path';
import { CONTAINER_FIELDS, podOf } from '../pod-spec';
import { isObject } from '../values';

/**
 * The JSON types the API server requires of the pod fields that security verdicts read.
 * A value of another type (`privileged: "true"`, `runAsUser: "0"`, `hostNetwork: 1`)
 * makes the API server refuse the object, so no verdict on it is a verdict on what runs:
 * the engine reports it as a located input error instead of reading the string as true
 * or as false. Null is accepted where Kubernetes accepts it (an absent value).
 */
type FieldType = 'boolean' | 'integer' | 'string' | 'strings' | 'integers';

const POD_FIELDS: [string, FieldType][] = [
  ['hostNetwork', 'boolean'], ['hostPID', 'boolean'], ['hostIPC', 'boolean'], ['hostUsers', 'boolean'],
  ['shareProcessNamespace', 'boolean'], ['automountServiceAccountToken', 'boolean'], ['serviceAccountName', 'string'],
];

const POD_SECURITY_CONTEXT: [string, FieldType][] = [
  ['runAsUser', 'integer'], ['runAsGroup', 'integer'], ['fsGroup', 'integer'], ['runAsNonRoot', 'boolean'],
  ['supplementalGroups', 'integers'], ['fsGroupChangePolicy', 'string'],
];

const CONTAINER_SECURITY_CONTEXT: [string, FieldType][] = [
  ['privileged', 'boolean'], ['allowPrivilegeEscalation', 'boolean'], ['readOnlyRootFilesystem', 'boolean'],
  ['runAsNonRoot', 'boolean'], ['runAsUser', 'integer'], ['runAsGroup', 'integer'], ['procMount', 'string'],
];

const PROFILE: [string, FieldType][] = [['type', 'string'], ['localhostProfile', 'string']];
const SE_LINUX: [string, FieldType][] = [['user', 'string'], ['role', 'string'], ['type', 'string'], ['level', 'string']];
const WINDOWS: [string, FieldType][] = [['hostProcess', 'boolean'], ['runAsUserName', 'string']];
const CAPABILITIES: [string, FieldType][] = [['add', 'strings'], ['drop', 'strings']];
const PORT: [string, FieldType][] = [['containerPort', 'integer'], ['hostPort', 'integer'], ['hostIP', 'string'], ['protocol', 'string']];

const WHAT: Record<FieldType, string> = {
  boolean: 'a boolean (true or false)',
  integer: 'a whole number',
  string: 'a string',
  strings: 'a list of strings',
  integers: 'a list of whole numbers',
};

function fits(v: unknown, t: FieldType): boolean {
  if (v === null || v === undefined) return true;
  switch (t) {
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'string': return typeof v === 'string';
    case 'strings': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'integers': return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x));
  }
}

/** Whether every field of `node` listed in `fields` that it has fits its type (true when `node` is not an object). */
function fitsAll(node: unknown, fields: [string, FieldType][]): boolean {
  if (!isObject(node)) return true;
  for (let k = 0; k < fields.length; k++) {
    const name = fields[k][0];
    if (Object.prototype.hasOwnProperty.call(node, name) && !fits(node[name], fields[k][1])) return false;
  }
  return true;
}

function securityContextFits(sc: unknown, fields: [string, FieldType][]): boolean {
  if (!isObject(sc)) return true;
  return fitsAll(sc, fields) && fitsAll(sc.seccompProfile, PROFILE) && fitsAll(sc.appArmorProfile, PROFILE)
    && fitsAll(sc.seLinuxOptions, SE_LINUX) && fitsAll(sc.windowsOptions, WINDOWS);
}

/**
 * The type problems of an object's pod fields: where, and what the API server requires there.
 * Almost every pod has none: the fields are first read without building a single path
 * (the same fields, read the same way, as {@link podTypeProblemsReference}), and only a
 * pod with a problem is walked again by the reference, which says where (a test
 * compares both).
 */
export function podTypeProblems(object: unknown): { path: string; message: string }[] {
  const pod = podOf(object);
  if (pod === undefined) return [];
  const spec = pod.spec;
  let clean = fitsAll(spec, POD_FIELDS) && securityContextFits(spec.securityContext, POD_SECURITY_CONTEXT);
  for (let f = 0; clean && f < CONTAINER_FIELDS.length; f++) {
    const list = spec[CONTAINER_FIELDS[f]];
    if (!Array.isArray(list)) continue;
    for (let i = 0; clean && i < list.length; i++) {
      const c = list[i];
      if (!isObject(c)) continue;
      const sc = c.securityContext;
      clean = securityContextFits(sc, CONTAINER_SECURITY_CONTEXT) && (!isObject(sc) || fitsAll(sc.capabilities, CAPABILITIES));
      const ports = c.ports;
      if (clean && Array.isArray(ports)) {
        for (let j = 0; clean && j < ports.length; j++) clean = fitsAll(ports[j], PORT);
      }
    }
  }
  return clean ? [] : podTypeProblemsReference(object);
}

/** {@link podTypeProblems}, plainly: every problem with its path. @internal */
export function podTypeProblemsReference(object: unknown): { path: string; message: string }[] {
  const pod = podOf(object);
  if (pod === undefined) return [];
  const out: { path: string; message: string }[] = [];
  const check = (node: unknown, base: string, fields: [string, FieldType][]) => {
    if (!isObject(node)) return;
    for (const [name, type] of fields) {
      const v = (node as { [k: string]: unknown })[name];
      if (Object.prototype.hasOwnProperty.call(node, name) && !fits(v, type)) {
        const path = keyPath(base, name);
        out.push({ path, message: `${path} must be ${WHAT[type]}: the API server refuses the object as written` });
      }
    }
  };
  const securityContext = (sc: unknown, base: string, fields: [string, FieldType][]) => {
    if (!isObject(sc)) return;
    check(sc, base, fields);
    check(sc.seccompProfile, keyPath(base, 'seccompProfile'), PROFILE);
    check(sc.appArmorProfile, keyPath(base, 'appArmorProfile'), PROFILE);
    check(sc.seLinuxOptions, keyPath(base, 'seLinuxOptions'), SE_LINUX);
    check(sc.windowsOptions, keyPath(base, 'windowsOptions'), WINDOWS);
  };
  check(pod.spec, pod.specPath, POD_FIELDS);
  securityContext(pod.spec.securityContext, keyPath(pod.specPath, 'securityContext'), POD_SECURITY_CONTEXT);
  for (const field of CONTAINER_FIELDS) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isObject(c)) return;
      const base = indexPath(keyPath(pod.specPath, field), i);
      const sc = c.securityContext;
      securityContext(sc, keyPath(base, 'securityContext'), CONTAINER_SECURITY_CONTEXT);
      if (isObject(sc)) check(sc.capabilities, keyPath(keyPath(base, 'securityContext'), 'capabilities'), CAPABILITIES);
      if (Array.isArray(c.ports)) c.ports.forEach((p: unknown, j: number) => check(p, indexPath(keyPath(base, 'ports'), j), PORT));
    });
  }
  return out;
}
