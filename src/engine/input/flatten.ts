/**
 * The objects kubectl makes of one decoded document (cli-runtime's StreamVisitor with
 * the unstructured decoder and `metadataValidatingDecoder`, then `FlattenListVisitor`):
 *
 * - the document must be a JSON object whose `kind` is a non-empty string, and whose
 *   type and object metadata decode into Kubernetes' typed `TypeMeta` and `ObjectMeta`
 *   (keys matched without regard to case, as Go's encoding/json matches them): a
 *   non-string `apiVersion`, a `metadata` that is not a mapping, a non-string name,
 *   namespace or label value… make kubectl refuse the document;
 * - a document with an `items` key — whatever its kind — is a list: `items` must be a
 *   sequence (or null: an empty list) of mappings (a null item is an empty one). kubectl
 *   creates the items and drops the list. An item with neither `kind` nor `apiVersion`
 *   takes `apiVersion` from the list and `kind` from the list's kind without its `List`
 *   suffix (`PodList` → `Pod`);
 * - an item that is itself a list (its `items` is a sequence) makes kubectl refuse the
 *   whole document: lists do not nest;
 * - an item without a string `kind` or `apiVersion` is refused on its own; the other
 *   items are still created.
 */

/** An object of a document, with its JSON path in the document ('' for the document itself). */
export interface DocumentObject {
  readonly value: { [key: string]: unknown };
  readonly path: string;
}

/** What kubectl makes of a document: its objects, and what it refuses (with the path to point at). */
export interface Flattened {
  readonly objects: DocumentObject[];
  readonly errors: { readonly path: string; readonly message: string }[];
}

function isMapping(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function own(o: { [key: string]: unknown }, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

function nonEmptyString(v: unknown): boolean {
  return typeof v === 'string' && v !== '';
}

/**
 * An apiVersion apimachinery cannot parse (schema.ParseGroupVersion: more than one `/`):
 * the object then has no kind to kubectl ("Object 'Kind' is missing"), which refuses it.
 */
function unparsableApiVersion(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const first = v.indexOf('/');
  return first >= 0 && v.indexOf('/', first + 1) >= 0;
}

/** The version part of an apiVersion (after its `/`, if any): empty for `/` and `group/`. */
function versionPart(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

const BAD_API_VERSION = 'not a Kubernetes object: apiVersion must be a version or a group/version (one "/" at most)';

/**
 * @param typed check type and object metadata as kubectl's decoder does: for documents
 *   read from text; objects handed over in memory (cdk8s, Pulumi, whose values may be
 *   placeholders during a preview) are not
 */
export function flattenDocument(value: unknown, typed = true): Flattened {
  if (!isMapping(value)) {
    const what = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
    return fail('', `not a Kubernetes object: the document is ${what}, expected a mapping with apiVersion and kind`);
  }
  if (!nonEmptyString(own(value, 'kind'))) {
    return fail('kind', own(value, 'kind') === undefined ? 'not a Kubernetes object: missing kind' : 'not a Kubernetes object: kind must be a non-empty string');
  }
  if (unparsableApiVersion(own(value, 'apiVersion'))) return fail('apiVersion', `${BAD_API_VERSION}: kubectl refuses the document`);
  const problem = typed ? typeMetaProblem(value) : undefined;
  if (problem !== undefined) return fail(problem.path, problem.message);
  const items = own(value, 'items');
  // (an `items` key holding undefined, possible only in memory, is no key in JSON)
  if (items === undefined) return { objects: [{ value, path: '' }], errors: [] };
  if (items === null) return { objects: [], errors: [] };
  if (!Array.isArray(items)) return fail('items', 'a document with an items field is a list to kubectl, and its items must be a sequence');
  const listKind = value.kind as string;
  const itemKind = listKind.endsWith('List') ? listKind.slice(0, -4) : listKind;
  const listVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const objects: DocumentObject[] = [];
  const errors: Flattened['errors'] = [];
  for (let i = 0; i < items.length; i++) {
    const path = `items[${i}]`;
    let item = items[i];
    if (item === null) item = {};
    if (!isMapping(item)) return fail(path, `${path}: a list item must be a mapping`);
    if (Array.isArray(own(item, 'items'))) return fail(path, `${path}: a list inside a list: kubectl refuses nested lists`);
    const kind = own(item, 'kind');
    const apiVersion = own(item, 'apiVersion');
    const bareKind = typeof kind !== 'string' || kind === '';
    const bareVersion = typeof apiVersion !== 'string' || apiVersion === '';
    if (bareKind && bareVersion) {
      // kubectl fills both in (a typed list, such as a PodList, leaves them out)
      item = { ...item, kind: itemKind, apiVersion: listVersion };
    }
    const k = (item as { kind?: unknown }).kind;
    const v = (item as { apiVersion?: unknown }).apiVersion;
    if (!nonEmptyString(k)) {
      errors.push({ path, message: `${path}: not a Kubernetes object: missing kind` });
    } else if (!nonEmptyString(v)) {
      errors.push({ path, message: `${path}: not a Kubernetes object: missing apiVersion` });
    } else if (unparsableApiVersion(v)) {
      errors.push({ path, message: `${path}: ${BAD_API_VERSION}: kubectl refuses the item` });
    } else if (versionPart(v as string) === '') {
      // kubectl types each item (its version must not be empty: "/" and "group/" have none)
      errors.push({ path, message: `${path}: not a Kubernetes object: missing apiVersion (no version after the "/")` });
    } else {
      objects.push({ value: item as { [key: string]: unknown }, path });
    }
  }
  return { objects, errors };
}

function fail(path: string, message: string): Flattened {
  return { objects: [], errors: [{ path, message }] };
}

/** The fields of ObjectMeta whose JSON type kubectl checks, by lower-cased name. */
const META_FIELDS: { [lower: string]: 'string' | 'stringMap' | 'strings' | 'integer' | 'objects' } = {
  name: 'string',
  generatename: 'string',
  namespace: 'string',
  selflink: 'string',
  uid: 'string',
  resourceversion: 'string',
  creationtimestamp: 'string',
  deletiontimestamp: 'string',
  labels: 'stringMap',
  annotations: 'stringMap',
  finalizers: 'strings',
  generation: 'integer',
  deletiongraceperiodseconds: 'integer',
  ownerreferences: 'objects',
  managedfields: 'objects',
};

const META_NAMES: { [lower: string]: string } = Object.fromEntries(
  ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'labels', 'annotations',
    'finalizers', 'generation', 'deletionGracePeriodSeconds', 'ownerReferences', 'managedFields'].map((n) => [n.toLowerCase(), n]),
);

function metaProblem(key: string, field: string, what: string): { path: string; message: string } {
  return { path: `${key}.${field}`, message: `metadata.${META_NAMES[field.toLowerCase()]} must be ${what}: kubectl refuses the document` };
}

/** Why the document's type and object metadata do not decode into Kubernetes' types, if they do not. */
function typeMetaProblem(doc: { [key: string]: unknown }): { path: string; message: string } | undefined {
  for (const key of Object.keys(doc)) {
    // (only apiVersion, kind and metadata matter: skip the rest without lower-casing them)
    const c = key.charCodeAt(0);
    if (c !== 0x61 && c !== 0x6b && c !== 0x6d && c !== 0x41 && c !== 0x4b && c !== 0x4d) continue;
    const lower = key.toLowerCase();
    const v = doc[key];
    // messages name the field as Kubernetes spells it, never the key as written
    if ((lower === 'apiversion' || lower === 'kind') && v !== null && typeof v !== 'string') {
      return { path: key, message: `${lower === 'kind' ? 'kind' : 'apiVersion'} must be a string: kubectl refuses the document` };
    }
    if (lower !== 'metadata' || v === null) continue;
    if (!isMapping(v)) return { path: key, message: 'metadata must be a mapping: kubectl refuses the document' };
    for (const field of Object.keys(v)) {
      const want = META_FIELDS[field] ?? (/[A-Z]/.test(field) ? META_FIELDS[field.toLowerCase()] : undefined);
      const f = v[field];
      if (want === undefined || f === null) continue;
      // (the path and message are made only for a field that is wrong: see metaProblem)
      switch (want) {
        case 'string':
          if (typeof f !== 'string') return metaProblem(key, field, 'a string');
          break;
        case 'integer':
          if (typeof f !== 'number' || !Number.isInteger(f)) return metaProblem(key, field, 'a whole number');
          break;
        case 'strings':
          if (!Array.isArray(f) || f.some((x) => x !== null && typeof x !== 'string')) return metaProblem(key, field, 'a list of strings');
          break;
        case 'stringMap':
          if (!isMapping(f) || Object.values(f).some((x) => x !== null && typeof x !== 'string')) return metaProblem(key, field, 'a mapping of strings to strings');
          break;
        case 'objects':
          if (!Array.isArray(f) || f.some((x) => x !== null && !isMapping(x))) return metaProblem(key, field, 'a list of mappings');
          break;
      }
    }
  }
  return undefined;
}
