/**
 * Container image references, split the way container runtimes read them:
 *
 *   [registry/]repository[:tag][@digest]
 *
 * The first path component is a registry when it contains a `.` or a `:`, or is
 * `localhost`; otherwise the image comes from Docker Hub (`docker.io`), and a
 * single-component repository lives under `library/` (`nginx` is
 * `docker.io/library/nginx`). The tag is what follows the last `:` after the last
 * `/`; the digest is what follows `@`.
 */
import { keyPath } from '../../engine/json-path';
import { ContainerView, containersOf, PodView, sharedForPod } from '../../engine/pod-spec';
import { prop } from '../../engine/values';

/** A parsed image reference. */
export interface ImageReference {
  /** Registry host (with port), `docker.io` when none is given. */
  readonly registry: string;
  /** Repository path within the registry, e.g. `library/nginx`. */
  readonly repository: string;
  /** Tag, when one is given. */
  readonly tag?: string;
  /** Digest (`sha256:…`), when one is given. */
  readonly digest?: string;
}

/** Docker Hub's canonical registry name and its aliases. */
export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Parses an image reference; undefined for a value that is not a non-empty string. */
export function parseImage(image: unknown): ImageReference | undefined {
  if (typeof image !== 'string') return undefined;
  let rest = image.trim();
  if (rest === '') return undefined;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first.toLowerCase();
      repository = rest.slice(slash + 1);
    }
  }
  if (DOCKER_HUB_ALIASES.has(registry)) {
    registry = DOCKER_HUB;
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  // the same own keys in the same order as a literal with optional spreads, without the temporary objects
  const ref: { registry: string; repository: string; tag?: string; digest?: string } = { registry, repository };
  if (tag !== undefined && tag !== '') ref.tag = tag;
  if (digest !== undefined && digest !== '') ref.digest = digest;
  return ref;
}

/** A container's image, read and parsed. */
export interface ContainerImage {
  readonly container: ContainerView;
  /** The image as written. */
  readonly image: string;
  readonly ref: ImageReference;
  /** Path of the container's `image` field. */
  readonly path: string;
}

/**
 * Every container of the pod that names an image, with the image parsed (containers
 * without one are left to the API server). Shared, like the container list, by the
 * rules that check one object.
 */
export function containerImages(pod: PodView): readonly ContainerImage[] {
  return sharedForPod(pod, containerImages, readImages);
}

function readImages(pod: PodView): readonly ContainerImage[] {
  const out: ContainerImage[] = [];
  for (const c of containersOf(pod)) {
    const image = prop(c.container, 'image');
    const ref = parseImage(image);
    if (ref) out.push({ container: c, image: image as string, ref, path: keyPath(c.path, 'image') });
  }
  return Object.freeze(out);
}

/** The CEL of a container's image (`c.image`) before its digest. */
function imageNameCel(c: string): string {
  return `(${c}.image.indexOf('@') >= 0 ? ${c}.image.substring(0, ${c}.image.indexOf('@')) : ${c}.image)`;
}

/** CEL: the container names an image (parseImage would read it). */
export function hasImageCel(c: string): string {
  return `(has(${c}.image) && ${c}.image != '')`;
}

/** CEL: the image has a digest (parseImage's `digest`). */
export function imageDigestCel(c: string): string {
  return `(${c}.image.indexOf('@') >= 0 && ${c}.image.indexOf('@') < size(${c}.image) - 1)`;
}

/** CEL: the image has a tag (parseImage's `tag`). */
export function imageTagCel(c: string): string {
  const name = imageNameCel(c);
  return `(${name}.lastIndexOf(':') > ${name}.lastIndexOf('/') && ${name}.lastIndexOf(':') < size(${name}) - 1)`;
}

/** CEL: the image's tag (only where imageTagCel holds). */
export function imageTagValueCel(c: string): string {
  const name = imageNameCel(c);
  return `${name}.substring(${name}.lastIndexOf(':') + 1)`;
}

/**
 * CEL: `body` with `name` bound to the value of `value` (CEL of Kubernetes 1.30 has no
 * `cel.bind`: a one-item list mapped does the same, and evaluates `value` once).
 */
function bind(name: string, value: string, body: string): string {
  return `[${value}].map(${name}, ${body})[0]`;
}

/**
 * CEL: the image's `registry/repository` as parseImage reads it (the registry lowercased,
 * Docker Hub's aliases as docker.io and its official images under library/).
 */
export function imageRepositoryCel(c: string): string {
  return bind('imgName', imageNameCel(c),
    bind('imgRest', "imgName.lastIndexOf(':') > imgName.lastIndexOf('/') ? imgName.substring(0, imgName.lastIndexOf(':')) : imgName",
      bind('imgFirst', "imgRest.split('/')[0]",
        bind('imgExplicit', "imgRest.indexOf('/') >= 0 && (imgFirst.contains('.') || imgFirst.contains(':') || imgFirst == 'localhost')",
          bind('imgRegistry', "imgExplicit ? imgFirst.lowerAscii() : 'docker.io'",
            bind('imgRepository', "imgExplicit ? imgRest.substring(imgRest.indexOf('/') + 1) : imgRest",
              "imgRegistry in ['docker.io', 'index.docker.io', 'registry-1.docker.io'] ? 'docker.io/' + (imgRepository.contains('/') ? imgRepository : 'library/' + imgRepository)"
              + " : imgRegistry + '/' + imgRepository"))))));
}
