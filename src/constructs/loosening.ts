/*
 * Loosenings: the hardened defaults a construct lets users weaken, and the rules
 * each one loosens. A loosening always carries a reason (an Acknowledgement); the
 * reason is written as the suppression annotation of every catalog rule that the
 * loosening trips, and, whatever the catalog holds, as a `loosened.kubeharden.io/`
 * annotation so the decision stays visible in the manifest.
 *
 * Rules are found in the catalog by their Pod Security Standards check id or by
 * the equivalent checks of other tools named in their `controls`, so that a
 * construct never writes a suppression for a rule that does not exist.
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
  /** pod-security-admission check ids. */
  readonly pssCheckIds?: string[];
  /** Controls (other tools' equivalent checks) that identify the rule. */
  readonly controls?: string[];
  /** Rule id pattern. */
  readonly idPattern?: RegExp;
}

/** The loosenings kubeharden constructs offer. @internal */
export const LOOSENINGS = {
  writableRootFilesystem: {
    option: 'writable-root-filesystem',
    controls: ['kube-linter:no-read-only-root-fs', 'checkov:CKV_K8S_22', 'polaris:notReadOnlyRootFilesystem', 'trivy:KSV-0014'],
    idPattern: /read-?only-root/,
  },
  mountServiceAccountToken: {
    option: 'mount-service-account-token',
    controls: ['checkov:CKV_K8S_38', 'polaris:automountServiceAccountToken', 'trivy:KSV-0036'],
    idPattern: /automount/,
  },
  allowPrivilegeEscalation: {
    option: 'allow-privilege-escalation',
    pssCheckIds: ['allowPrivilegeEscalation'],
  },
} satisfies { [name: string]: Loosening };

/** The ids of the catalog rules a loosening trips. @internal */
export function rulesLoosenedBy(loosening: Loosening, kind: string, catalog: IRule[] = CATALOG): string[] {
  const out: string[] = [];
  for (const rule of catalog) {
    const m = rule.metadata;
    if (!m.kinds.includes(kind) && !m.kinds.includes('*')) continue;
    const byPss = m.pss !== undefined && (loosening.pssCheckIds ?? []).includes(m.pss.checkId);
    const byControl = (loosening.controls ?? []).some((c) => m.controls.includes(c));
    const byId = loosening.idPattern !== undefined && loosening.idPattern.test(m.id);
    if (byPss || byControl || byId) out.push(m.id);
  }
  return out;
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
