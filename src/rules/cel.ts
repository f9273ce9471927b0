/**
 * Building blocks of the rules' admission forms: the CEL text of a check, over the
 * variables the admission generator declares for a pod (POD_VARIABLES in
 * src/engine/admission.ts) or over `object`. Every expression built here has type
 * list(string): the violations, one message each, empty when the object is clean.
 *
 * Only what Kubernetes 1.30's CEL environment offers is used: field selection with `has`,
 * the macros `exists`, `all`, `filter` and `map`, `in`, `size`, `type`, `startsWith`,
 * `endsWith`, `contains`, `matches` (RE2), the strings library (`join`, `split`, `trim`,
 * `lowerAscii`, `upperAscii`, `indexOf`, `substring`) and Kubernetes' regex library
 * (`findAll`). The oracle (test/oracle/admission) compiles every
 * generated expression with that environment and the real OpenAPI schemas.
 */

/** A CEL string literal. */
export function str(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** A CEL list of string literals. */
export function strList(items: readonly string[]): string {
  return `[${items.map(str).join(', ')}]`;
}

/** `base.a.b`. */
export function field(base: string, ...fields: string[]): string {
  return [base, ...fields].join('.');
}

/** `has(base.a) && has(base.a.b)`: every field down the path is set. */
export function present(base: string, ...fields: string[]): string {
  const out: string[] = [];
  for (let i = 1; i <= fields.length; i++) out.push(`has(${field(base, ...fields.slice(0, i))})`);
  return out.length === 1 ? out[0] : `(${out.join(' && ')})`;
}

/** The field is set and equals a CEL value. */
export function equals(base: string, fields: string[], value: string): string {
  return `(${present(base, ...fields)} && ${field(base, ...fields)} == ${value})`;
}

/** The field is set and is not an empty string. */
export function nonEmpty(base: string, ...fields: string[]): string {
  return `(${present(base, ...fields)} && ${field(base, ...fields)} != '')`;
}

/**
 * A list field, or an empty list when it is not set, or null: a list field that Kubernetes'
 * Go types serialize without `omitempty` (a Role's `rules`) reaches a policy as null.
 */
export function listOf(base: string, ...fields: string[]): string {
  return `(${present(base, ...fields)} && type(${field(base, ...fields)}) == list ? ${field(base, ...fields)} : [])`;
}

/** The pod spec (a generator variable). */
export const POD = 'variables.podSpec';

/** The pod's (or pod template's) annotations, a map (a generator variable). */
export const POD_ANNOTATIONS = 'variables.podAnnotations';

/** The three container lists, with the words messages use for them. */
export const CONTAINER_LISTS: readonly { readonly list: string; readonly label: string }[] = [
  { list: 'containers', label: 'container' },
  { list: 'initContainers', label: 'init container' },
  { list: 'ephemeralContainers', label: 'ephemeral container' },
];

/**
 * The messages of every container for which `when` holds: `container "app" <message>`.
 * `when` and `message` get the container's CEL name and the list it is in; `message` is a
 * CEL string expression.
 */
export function containerMessages(when: (c: string, list: string) => string, message: (c: string, list: string) => string): string {
  const parts = CONTAINER_LISTS.map(({ list, label }) =>
    `variables.${list}.filter(c, ${when('c', list)}).map(c, ${str(`${label} "`)} + c.name + ${str('" ')} + ${message('c', list)})`);
  return `(${parts.join(' + ')})`;
}

/** One message when the condition holds: `cond ? [message] : []`. */
export function messageIf(condition: string, message: string): string {
  return `(${condition} ? [${message}] : [])`;
}

/** The concatenation of violation lists. */
export function concat(...lists: string[]): string {
  return lists.length === 1 ? lists[0] : `(${lists.join(' + ')})`;
}

/** No violations when the condition holds, else the list. */
export function unless(condition: string, list: string): string {
  return `(${condition} ? [] : ${list})`;
}

/** `spec.os.name == windows`. */
export const WINDOWS_POD = `(${present(POD, 'os', 'name')} && ${POD}.os.name == 'windows')`;

/** `spec.hostUsers == false`: the pod runs in a user namespace. */
export const USER_NAMESPACE_POD = equals(POD, ['hostUsers'], 'false');

/** The messages of the pod and of every container whose securityContext breaks `bad` (over a securityContext). */
export function podAndContainerSc(bad: (sc: string) => string, podMessage: string, containerMessage: (c: string) => string): string {
  return concat(
    messageIf(`${present(POD, 'securityContext')} && ${bad(`${POD}.securityContext`)}`, podMessage),
    containerMessages((c) => `${present(c, 'securityContext')} && ${bad(`${c}.securityContext`)}`, containerMessage),
  );
}
