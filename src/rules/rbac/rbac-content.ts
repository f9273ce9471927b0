/*
 * What an RBAC object grants, as one comparable string: the content that two objects of
 * the same kind, namespace and name must share to grant the same thing. Used to tell
 * Kubernetes' own built-in roles and bindings from objects that only carry their names
 * (builtin-rbac.ts), and by scripts/generate-builtin-rbac.js to write the built-in
 * definitions from the bootstrap policy.
 *
 * The content, by kind (rbac.authorization.k8s.io, any version):
 *   ClusterRole         labels (they decide which aggregated ClusterRoles take its rules),
 *                       aggregationRule, and rules unless aggregationRule is set (the
 *                       aggregation controller rewrites the rules of an aggregated
 *                       ClusterRole from the ClusterRoles it selects, so a live object
 *                       carries whatever those grant: they are judged on their own).
 *   Role                rules.
 *   ClusterRoleBinding, roleRef and subjects, defaulted as the API server defaults them
 *   RoleBinding         (SetDefaults_RoleBinding, SetDefaults_Subject: an empty apiGroup
 *                       is rbac.authorization.k8s.io for the roleRef and for User and
 *                       Group subjects).
 * Order never matters (rules, subjects, selectors and the lists inside a rule are sorted),
 * a missing list equals an empty one; anything else counts, duplicates included.
 * Annotations, other metadata and unknown fields do not. An entry of the wrong type
 * makes the object match nothing (undefined).
 */
import { isObject, prop, str } from '../../engine/values';

/** The RBAC API group. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The four RBAC kinds. */
export const RBAC_KINDS = ['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding'] as const;

class Unreadable {}

/** A list of strings, sorted; missing/null is empty; anything else is unreadable. */
function sortedStrings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new Unreadable();
  return [...v].sort();
}

/** A mapping of strings, as sorted [key, value] pairs. */
function sortedMap(v: unknown): [string, string][] {
  if (v === undefined || v === null) return [];
  if (!isObject(v)) throw new Unreadable();
  const out: [string, string][] = [];
  for (const k of Object.keys(v)) {
    if (typeof v[k] !== 'string') throw new Unreadable();
    out.push([k, v[k]]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A list whose order does not matter: its entries, read by `each`, in the order of their JSON. */
function sortedList<T>(v: unknown, each: (e: unknown) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Unreadable();
  const read = v.map((e) => { const value = each(e); return { value, json: JSON.stringify(value) }; });
  return read.sort((a, b) => (a.json < b.json ? -1 : a.json > b.json ? 1 : 0)).map((e) => e.value);
}

function policyRule(rule: unknown): unknown {
  if (!isObject(rule)) throw new Unreadable();
  return [
    sortedStrings(prop(rule, 'apiGroups')),
    sortedStrings(prop(rule, 'resources')),
    sortedStrings(prop(rule, 'verbs')),
    sortedStrings(prop(rule, 'resourceNames')),
    sortedStrings(prop(rule, 'nonResourceURLs')),
  ];
}

function labelSelector(selector: unknown): unknown {
  if (selector === null) return [[], []];
  if (!isObject(selector)) throw new Unreadable();
  return [
    sortedMap(prop(selector, 'matchLabels')),
    sortedList(prop(selector, 'matchExpressions'), (e) => {
      if (!isObject(e)) throw new Unreadable();
      const key = prop(e, 'key');
      const operator = prop(e, 'operator');
      if (typeof key !== 'string' || typeof operator !== 'string') throw new Unreadable();
      return [key, operator, sortedStrings(prop(e, 'values'))];
    }),
  ];
}

function subject(s: unknown): unknown {
  if (!isObject(s)) throw new Unreadable();
  const kind = str(prop(s, 'kind')) ?? '';
  const apiGroup = str(prop(s, 'apiGroup')) || (kind === 'User' || kind === 'Group' ? RBAC_GROUP : '');
  return [kind, apiGroup, str(prop(s, 'name')) ?? '', str(prop(s, 'namespace')) ?? ''];
}

/**
 * The content of an RBAC object as a string (equal strings: equal grants), or undefined
 * for anything that is not a readable RBAC object.
 */
export function rbacContent(object: unknown): string | undefined {
  const kind = prop(object, 'kind');
  const apiVersion = str(prop(object, 'apiVersion'));
  if (apiVersion === undefined || !apiVersion.startsWith(`${RBAC_GROUP}/`)) return undefined;
  try {
    switch (kind) {
      case 'ClusterRole': {
        const aggregation = prop(object, 'aggregationRule');
        const labels = sortedMap(prop(prop(object, 'metadata'), 'labels'));
        if (aggregation !== undefined && aggregation !== null) {
          if (!isObject(aggregation)) return undefined;
          return JSON.stringify({ labels, aggregationRule: sortedList(prop(aggregation, 'clusterRoleSelectors'), labelSelector) });
        }
        return JSON.stringify({ labels, rules: sortedList(prop(object, 'rules'), policyRule) });
      }
      case 'Role':
        return JSON.stringify({ rules: sortedList(prop(object, 'rules'), policyRule) });
      case 'ClusterRoleBinding':
      case 'RoleBinding': {
        const ref = prop(object, 'roleRef');
        if (!isObject(ref)) return undefined;
        const roleRef = [str(prop(ref, 'apiGroup')) || RBAC_GROUP, str(prop(ref, 'kind')) ?? '', str(prop(ref, 'name')) ?? ''];
        return JSON.stringify({ roleRef, subjects: sortedList(prop(object, 'subjects'), subject) });
      }
      default:
        return undefined;
    }
  } catch (e) {
    if (e instanceof Unreadable) return undefined;
    throw e;
  }
}

/** `ClusterRole//admin`, `Role/kube-system/system:controller:bootstrap-signer`: an RBAC object's identity. */
export function rbacKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** The identity of an RBAC object (namespace '' for the cluster-scoped kinds), or undefined. */
export function rbacKeyOf(object: unknown): string | undefined {
  const kind = prop(object, 'kind');
  if (!(RBAC_KINDS as readonly unknown[]).includes(kind)) return undefined;
  const metadata = prop(object, 'metadata');
  const name = str(prop(metadata, 'name'));
  if (!name) return undefined;
  const namespaced = kind === 'Role' || kind === 'RoleBinding';
  return rbacKey(kind as string, namespaced ? str(prop(metadata, 'namespace')) ?? '' : '', name);
}
