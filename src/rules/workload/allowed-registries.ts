/*
 * Hardened: container images come from the registries the organisation allows.
 *
 * Rule option: `registries: string[]`. Until it is configured (missing, not an
 * array, or with no string entries) the rule reports nothing.
 *
 * Checked fields:
 *   spec.containers[*].image, spec.initContainers[*].image, spec.ephemeralContainers[*].image
 *
 * Each image is normalised to `<registry>/<repository>` (`nginx` is
 * `docker.io/library/nginx`; `index.docker.io` is `docker.io`). An entry allows an
 * image when it equals that name or is a prefix of it ending at a `/` boundary:
 * `registry.example.com` allows every repository there, `ghcr.io/acme` allows
 * `ghcr.io/acme/*` but not `ghcr.io/acme-evil/*`. Registry hosts compare
 * case-insensitively. Containers without an image are left to the API server.
 */
import { containerMessages, str } from '../cel';
import { containerLabel } from '../container-label';
import { containerImages, DOCKER_HUB, hasImageCel, imageRepositoryCel } from './image-reference';
import { RuleAdmission } from '../../engine/admission';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { prop } from '../../engine/values';

/** The configured registries, normalised; empty when not configured. */
function allowedPrefixes(option: unknown): string[] {
  if (!Array.isArray(option)) return [];
  const out: string[] = [];
  for (const entry of option) {
    if (typeof entry !== 'string') continue;
    let e = entry.trim().replace(/\/+$/, '');
    if (e === '') continue;
    const slash = e.indexOf('/');
    const host = (slash < 0 ? e : e.slice(0, slash)).toLowerCase();
    const rest = slash < 0 ? '' : e.slice(slash);
    const canonical = host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
    out.push(canonical + rest);
  }
  return out;
}

/** The check in CEL, for admission: the allowed prefixes travel in the policy's parameters. */
const admission: RuleAdmission = {
  params: [{ name: 'registries', values: allowedPrefixes }],
  violations: ({ listOption }) => {
    const allowed = listOption('registries');
    return containerMessages(
      (c) => `${hasImageCel(c)} && size(${allowed}) > 0 && ![${imageRepositoryCel(c)}].map(repo, ${allowed}.exists(a, repo == a || repo.startsWith(a + '/')))[0]`,
      () => str('image does not come from an allowed registry'));
  },
};

export const allowedRegistries = definePodRule({
  id: 'allowed-registries',
  title: 'Container images come from allowed registries',
  severity: Severity.HIGH,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.5.1',
    'nsa:pod-security/building-secure-images',
    'kyverno:restrict-image-registries',
  ],
  rationale: 'Images from arbitrary registries bypass the scanning, signing and retention an organisation applies to its own registries, and open the door to typosquatted or hijacked public images.',
  remediation: 'Mirror the image into an allowed registry and reference it there, or add its registry to the `registries` option of this rule in kubeharden.config.yaml.',
  kinds: POD_KINDS,
  options: [{ name: 'registries', type: 'string[]', description: 'The registries (or registry/path prefixes) images may come from, e.g. registry.example.com or ghcr.io/acme; until set, the rule reports nothing.' }],
}, (pod, context) => {
  const allowed = allowedPrefixes(prop(context.options, 'registries'));
  if (allowed.length === 0) return [];
  const out: RuleFinding[] = [];
  for (const { container: c, image, ref, path } of containerImages(pod)) {
    const name = `${ref.registry}/${ref.repository}`;
    if (allowed.some((a) => name === a || name.startsWith(`${a}/`))) continue;
    out.push({
      path,
      message: `${containerLabel(c)} image "${image}" comes from ${ref.registry}, which is not an allowed registry (${allowed.join(', ')}); use an image from an allowed registry`,
    });
  }
  return out;
}, undefined, admission);
