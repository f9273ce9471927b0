/*
 * The secure defaults of the hardened workloads, from the rules' fixes: the plain pod
 * template built from the props goes through the engine's fix pass (profile hardened),
 * with the rule options the props imply (the writable paths, the default resource
 * quantities, the user id). Nothing here decides what is secure; it only arranges the
 * fix pass so that a loosening of one container leaves the other containers hardened:
 * suppressions are per object, so a rule loosened in some containers is first fixed in a
 * copy of the pod without those containers, then suppressed for the rest of the pass.
 * (internal: not exported from the package)
 */
import { ContainerLoosening } from './container';
import { Loosening, rulesLoosenedBy } from './loosening';
import { ContainerJson, PodSpecJson, PodTemplateJson } from './pod-json';
import { Engine } from '../engine/engine';
import { SUPPRESSION_PREFIX } from '../engine/suppressions';
import { Profile } from '../engine/types';

/** The rule options the props imply. @internal */
export interface SecureDefaultsOptions {
  /** Paths at which every container the fix makes read-only gets a writable emptyDir. */
  readonly writablePaths: string[];
  /** The user id of the pod. */
  readonly uid: number;
  /** Default quantities, where a container sets none. */
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** Any reason long enough to suppress: it never leaves this file. */
const INTERNAL_REASON = 'loosened through the construct props';

const engines = new Map<string, Engine>();

/** The engine of the hardened profile with the rule options (one per set of options). @internal */
export function secureDefaultsEngine(options: SecureDefaultsOptions): Engine {
  const key = JSON.stringify(options);
  let engine = engines.get(key);
  if (!engine) {
    engine = new Engine({
      profile: Profile.HARDENED,
      rules: {
        'read-only-root-filesystem': { options: { writablePaths: [...options.writablePaths] } },
        'pss-run-as-user': { options: { uid: options.uid } },
        'cpu-requests': { options: { default: options.cpuRequest } },
        'cpu-limits': { options: { default: options.cpuLimit } },
        'memory-requests': { options: { default: options.memoryRequest } },
        'memory-limits': { options: { default: options.memoryLimit } },
      },
    });
    engines.set(key, engine);
  }
  return engine;
}

type PodObject = { apiVersion: string; kind: string; metadata: { name: string; annotations: { [key: string]: string } }; spec: PodSpecJson };

function fix(engine: Engine, pod: PodObject, rules?: string[]): PodObject {
  const usable = rules?.filter((id) => engine.rules.some((r) => r.metadata.id === id));
  if (usable && usable.length === 0) return pod;
  return engine.fixObjects([pod], usable ? { rules: usable } : {}).objects[0].fixed;
}

/** The containers of `field`, each from `fixed` unless loosened (then as in `current`). */
function merge(current: ContainerJson[] | undefined, fixed: ContainerJson[] | undefined, loosened: Set<string>): ContainerJson[] | undefined {
  if (!current) return current;
  return current.map((c) => (loosened.has(c.name) ? c : fixed?.find((f) => f.name === c.name) ?? c));
}

/**
 * The pod template with the rules' fixes applied.
 *
 * @param containerLoosenings the loosenings of single containers (their fields are set in the plain template)
 * @param podLoosenings the loosenings of the whole pod (their fields are set in the plain template)
 * @internal
 */
export function applySecureDefaults(
  template: PodTemplateJson, containerLoosenings: ContainerLoosening[], podLoosenings: Loosening[], options: SecureDefaultsOptions,
): PodTemplateJson {
  const engine = secureDefaultsEngine(options);
  const podRules = new Set(podLoosenings.flatMap((l) => rulesLoosenedBy(l, 'Pod')));
  const byRule = new Map<string, Set<string>>();
  for (const l of containerLoosenings) {
    for (const id of rulesLoosenedBy(l.loosening, 'Pod')) {
      if (podRules.has(id)) continue;
      byRule.set(id, new Set([...(byRule.get(id) ?? []), l.container]));
    }
  }
  const suppressed: { [key: string]: string } = {};
  for (const id of [...podRules, ...byRule.keys()]) suppressed[`${SUPPRESSION_PREFIX}${id}`] = INTERNAL_REASON;
  let pod: PodObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pod', annotations: suppressed },
    spec: JSON.parse(JSON.stringify(template.spec)),
  };

  for (const [id, loosened] of byRule) {
    const annotations = { ...pod.metadata.annotations };
    delete annotations[`${SUPPRESSION_PREFIX}${id}`];
    const others = (list?: ContainerJson[]) => list?.filter((c) => !loosened.has(c.name));
    const partial: PodObject = {
      ...pod,
      metadata: { ...pod.metadata, annotations },
      spec: {
        ...pod.spec,
        containers: others(pod.spec.containers)!,
        ...(pod.spec.initContainers ? { initContainers: others(pod.spec.initContainers) } : {}),
      },
    };
    if (partial.spec.containers.length + (partial.spec.initContainers?.length ?? 0) === 0) continue;
    const fixed = fix(engine, partial, [id]);
    pod = {
      ...pod,
      spec: {
        ...fixed.spec,
        containers: merge(pod.spec.containers, fixed.spec.containers, loosened)!,
        ...(pod.spec.initContainers ? { initContainers: merge(pod.spec.initContainers, fixed.spec.initContainers, loosened) } : {}),
      },
    };
  }
  pod = fix(engine, pod);
  return { metadata: template.metadata, spec: pod.spec };
}
