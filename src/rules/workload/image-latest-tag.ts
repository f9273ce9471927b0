/*
 * Hardened: container images name a fixed version.
 *
 * Checked fields:
 *   spec.containers[*].image, spec.initContainers[*].image, spec.ephemeralContainers[*].image
 *
 * A finding when the image has no tag (`nginx`, which means `nginx:latest`) or the
 * tag `latest` (any case), and no digest. An image pinned by digest
 * (`nginx@sha256:…`, with or without a tag) passes: the digest fixes the content.
 * Containers without an image (not a string) are left to the API server.
 *
 * Why: `latest` and untagged images change under the same name, so what runs is
 * not what was reviewed, rollbacks do not roll back, and a poisoned push is pulled
 * on the next restart.
 */
import { containerLabel } from '../container-label';
import { containerImages, hasImageCel, imageDigestCel, imageTagCel, imageTagValueCel } from './image-reference';
import { RuleAdmission } from '../../engine/admission';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { containerMessages, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => containerMessages(
    (c) => `${hasImageCel(c)} && !${imageDigestCel(c)} && (!${imageTagCel(c)} || ${imageTagValueCel(c)}.lowerAscii() == 'latest')`,
    () => str('image has no tag or the mutable "latest" tag; pin a version tag or a digest')),
};

export const imageLatestTag = definePodRule({
  id: 'image-latest-tag',
  title: 'Container images have a tag other than latest',
  severity: Severity.HIGH,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:pod-security/building-secure-images',
    'kube-linter:latest-tag',
    'polaris:tagNotSpecified',
    'kyverno:disallow-latest-tag',
    'checkov:CKV_K8S_14',
    'trivy:KSV-0013',
  ],
  rationale: 'An untagged or `latest` image resolves to whatever was pushed last: deployments are not reproducible, rollbacks do not restore the previous code, and a compromised push reaches the cluster on the next pod restart.',
  remediation: 'Reference every image by an immutable version tag (`registry.example.com/app:1.4.2`), or better by digest (`…/app@sha256:…`).',
  kinds: POD_KINDS,
}, (pod) => {
  const out: RuleFinding[] = [];
  for (const { container: c, image, ref, path } of containerImages(pod)) {
    if (ref.digest !== undefined) continue;
    if (ref.tag !== undefined && ref.tag.toLowerCase() !== 'latest') continue;
    out.push({
      path,
      message: ref.tag === undefined
        ? `${containerLabel(c)} image "${image}" has no tag, so it runs whatever "latest" is; pin a version tag or a digest`
        : `${containerLabel(c)} image "${image}" uses the mutable "latest" tag; pin a version tag or a digest`,
    });
  }
  return out;
}, undefined, admission);
