/*
 * Loosenings: the hardened defaults a construct lets users weaken, and the rules
 * each one loosens. A loosening always carries a reason (an Acknowledgement); the
 * reason is written as the suppression annotation of every catalog rule that the
 * loosening trips, and, whatever the catalog holds, as a `loosened.kubeharden.io/`
 * annotation so the decision stays visible in the manifest.
 *
 * Each loosening names the ids of the rules it loosens; only those that exist in the
 * catalog and apply to the object's kind get a suppression, so a construct never
 * writes a suppression for a rule that does not exist (a test checks that every named
 * rule does).
 */
import { SUPPRESSION_PREFIX } from '../engine/suppressions';
import { IRule } from '../engine/types';
import { CATALOG } from '../rules';
import { Acknowledgement, validateReason } from './suppressions';

/** Annotation prefix recording a loosening and its reason. @internal */
export const LOOSENED_PREFIX = 'loosened.kubeharden.io/';

/** How to find the rules a loosening trips. @internal */
export interface Loosening {
  /** Name of the option, as written in the `loosened.kubeharden.io/` annotation. */
  readonly option: string;
  /** Ids of the rules the loosening trips. */
  readonly ruleIds: string[];
}

/** The loosenings kubeharden constructs offer. @internal */
export const LOOSENINGS = {
  writableRootFilesystem: {
    option: 'writable-root-filesystem',
    ruleIds: ['read-only-root-filesystem'],
  },
  mountServiceAccountToken: {
    option: 'mount-service-account-token',
    ruleIds: ['automount-service-account-token'],
  },
  allowPrivilegeEscalation: {
    option: 'allow-privilege-escalation',
    ruleIds: ['pss-allow-privilege-escalation'],
  },
  sealingScopeNamespaceWide: {
    option: 'sealing-scope-namespace-wide',
    // no rule reports namespace-wide sealing: the reason is recorded, nothing is suppressed
    ruleIds: [],
  },
  serviceAccountToken: {
    option: 'service-account-token',
    // no rule reports a projected token: the reason is recorded, nothing is suppressed
    ruleIds: [],
  },
  sealingScopeClusterWide: {
    option: 'sealing-scope-cluster-wide',
    ruleIds: ['sealed-secret-cluster-wide'],
  },
} satisfies { [name: string]: Loosening };

/** The ids of the catalog rules a loosening trips. @internal */
export function rulesLoosenedBy(loosening: Loosening, kind: string, catalog: IRule[] = CATALOG): string[] {
  return catalog
    .filter((r) => loosening.ruleIds.includes(r.metadata.id) && (r.metadata.kinds.includes(kind) || r.metadata.kinds.includes('*')))
    .map((r) => r.metadata.id);
}

/**
 * The annotations that record a loosening on an object of `kind`: the suppression
 * of every rule it trips, and the `loosened.kubeharden.io/<option>` record.
 * @internal
 */
export function looseningAnnotations(
  loosening: Loosening, ack: Acknowledgement, kind: string, where: string, catalog: IRule[] = CATALOG,
): { [key: string]: string } {
  const reason = validateReason(ack?.reason, `loosening "${loosening.option}"`, where);
  const out: { [key: string]: string } = { [`${LOOSENED_PREFIX}${loosening.option}`]: reason };
  for (const id of rulesLoosenedBy(loosening, kind, catalog)) out[`${SUPPRESSION_PREFIX}${id}`] = reason;
  return out;
}
