/*
 * Checks of the hardened workloads' props (internal: not exported from the package).
 * Whether an image is acceptable is the engine's rules' decision: the constructs check
 * only that a value is well formed, and refuse an image with the message of the rule
 * that reports it.
 */
import { Engine } from '../engine/engine';
import { Profile } from '../engine/types';

/**
 * The image rules whose findings refuse a container at construction. (image-digest,
 * LOW, stays a finding the Guard and `kubeharden check` report: a tag-pinned image is
 * accepted, as it always was.)
 * @internal
 */
export const REFUSING_IMAGE_RULES = ['image-latest-tag'];

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** The engine whose rules judge the props (images, ids). */
let propsEngine: Engine | undefined;

/** The messages of the findings of `rules` on a pod built from the props (those `keep` takes), as `message (rule-id)`. */
function refusals(pod: unknown, rules: readonly string[], keep: (path: string) => boolean = () => true): string[] {
  propsEngine ??= new Engine({ profile: Profile.HARDENED });
  return propsEngine.checkObjects([pod]).findings
    .filter((f) => rules.includes(f.ruleId) && keep(f.path))
    .map((f) => `${f.message} (${f.ruleId})`);
}

/**
 * Throws unless `image` is a well-formed image reference that the engine's image rules
 * pass (see REFUSING_IMAGE_RULES), with the rule's message.
 * @internal
 */
export function validateImage(image: string, containerName: string, where: string): void {
  if (typeof image !== 'string' || image.trim() === '' || /\s/.test(image)) {
    throw new Error(`${where}: image of container "${containerName}" must be a non-empty image reference without spaces`);
  }
  const at = image.indexOf('@');
  const nameAndTag = at >= 0 ? image.slice(0, at) : image;
  if (at >= 0 && !DIGEST.test(image.slice(at + 1))) {
    throw new Error(`${where}: image "${image}" has a malformed digest; expected <name>@sha256:<64 hex digits>`);
  }
  const colon = nameAndTag.indexOf(':', nameAndTag.lastIndexOf('/') + 1);
  if (colon >= 0 && !TAG.test(nameAndTag.slice(colon + 1))) {
    throw new Error(`${where}: image "${image}" has an invalid tag`);
  }
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'image-check' }, spec: { containers: [{ name: containerName, image }] } };
  const refused = refusals(pod, REFUSING_IMAGE_RULES);
  if (refused.length) throw new Error(`${where}: ${refused.join('; ')}`);
}

/**
 * The rules whose findings on the pod's user and group ids refuse them at construction.
 * @internal
 */
export const REFUSING_ID_RULES = ['pss-run-as-user', 'root-group'];

/**
 * The id, when it is a well-formed id (0-2147483647) that the engine's rules pass as the
 * pod's `securityContext.<field>` (see REFUSING_ID_RULES: root, UID 0 or GID 0, is refused
 * with the rule's message).
 * @internal
 */
export function nonRootId(id: number, field: 'runAsUser' | 'runAsGroup' | 'fsGroup', where: string): number {
  if (!Number.isInteger(id) || id < 0 || id > 2147483647) {
    throw new Error(`${where}: ${field} must be a whole number from 0 to 2147483647, got ${id}`);
  }
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'id-check' }, spec: { securityContext: { [field]: id }, containers: [{ name: 'id-check', image: 'id-check:1' }] } };
  const refused = refusals(pod, REFUSING_ID_RULES, (path) => path === `spec.securityContext.${field}`);
  if (refused.length) throw new Error(`${where}: ${field} ${id} is refused: ${refused.join('; ')}`);
  return id;
}

/**
 * Throws unless `name` is a valid environment variable name.
 * @internal
 */
export function checkEnvName(name: string, where: string): void {
  if (!ENV_NAME.test(name)) throw new Error(`${where}: "${name}" is not a valid environment variable name`);
}
