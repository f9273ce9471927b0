/*
 * Hardened: container images are pinned by digest.
 *
 * Checked fields:
 *   spec.containers[*].image, spec.initContainers[*].image, spec.ephemeralContainers[*].image
 *
 * A finding when the image reference has no `@<digest>` part (`app:1.4.2` is a
 * finding, `app:1.4.2@sha256:…` and `app@sha256:…` pass). Containers without an
 * image (not a string) are left to the API server.
 *
 * Why: tags are mutable; whoever can push to the repository can change what
 * `app:1.4.2` means. A digest names exactly the content that was built and scanned.
 */
import { containerLabel } from '../container-label';
import { containerImages, hasImageCel, imageDigestCel } from './image-reference';
import { RuleAdmission } from '../../engine/admission';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { containerMessages, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => containerMessages((c) => `${hasImageCel(c)} && !${imageDigestCel(c)}`, () => str('image is not pinned by digest')),
};

export const imageDigest = definePodRule({
  id: 'image-digest',
  title: 'Container images are pinned by digest',
  severity: Severity.LOW,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:pod-security/building-secure-images',
    'kyverno:require-image-digest',
    'checkov:CKV_K8S_43',
  ],
  rationale: 'A tag can be moved to different content by anyone who can push to the repository; only a digest guarantees that the image that runs is the one that was built, scanned and approved.',
  remediation: 'Reference images by digest, e.g. `registry.example.com/app:1.4.2@sha256:<digest>` (tools such as `crane digest` or your CI print it), and let a bot such as Renovate keep digests current.',
  kinds: POD_KINDS,
}, (pod) => {
  const out: RuleFinding[] = [];
  for (const { container: c, image, ref, path } of containerImages(pod)) {
    if (ref.digest !== undefined) continue;
    out.push({
      path,
      message: `${containerLabel(c)} image "${image}" is not pinned by digest; reference it as ${ref.tag === undefined ? 'name' : 'name:tag'}@sha256:<digest>`,
    });
  }
  return out;
}, undefined, admission);
