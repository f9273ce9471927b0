import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MIN_SUPPRESSION_REASON, reasonLength, SUPPRESSION_PREFIX } from '../engine/suppressions';

/**
 * A written reason for loosening a hardened default.
 *
 * Every option of a kubeharden construct that weakens a default takes an
 * `Acknowledgement`: the reason lands in the manifest as the
 * `ignore.kubeharden.io/<rule-id>` suppression annotation of the rule it
 * loosens, so `kubeharden check` reports the finding as suppressed, with the reason.
 *
 * @example
 * new HardenedDeployment(chart, 'legacy', {
 *   image: 'registry.example.com/legacy:2.3.1',
 *   writableRootFilesystem: { reason: 'writes its PID file to /var/run; fix tracked in LEG-42' },
 * });
 */
export interface Acknowledgement {
  /**
   * Why the loosening is acceptable (at least 10 characters).
   */
  readonly reason: string;
}

const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Suppresses kubeharden findings on the Kubernetes objects of a construct.
 *
 * A suppression always carries a reason: it is written as the annotation
 * `ignore.kubeharden.io/<rule-id>: "<reason>"` on every ApiObject under the
 * construct (including raw `ApiObject`s and `Include`d YAML), so the CLI, the
 * Guard and every other adapter report the finding as suppressed with that reason.
 *
 * @example
 * const agent = new ApiObject(chart, 'node-agent', {
 *   apiVersion: 'v1',
 *   kind: 'Pod',
 *   spec: { containers: [{ name: 'agent', image: 'registry.example.com/cni-agent:1.2.0', securityContext: { privileged: true } }] },
 * });
 * Suppressions.add(agent, 'pss-privileged', 'the CNI agent must configure host networking');
 */
export class Suppressions {
  /**
   * Adds a suppression of `ruleId` with `reason` to every ApiObject under `scope`.
   *
   * @param scope the construct whose objects to annotate (an ApiObject, a chart, any construct)
   * @param ruleId the kebab-case id of the rule to suppress (see `kubeharden rules`)
   * @param reason why the finding is acceptable (at least 10 characters)
   * @throws if the rule id is not kebab-case, the reason is too short, or the scope holds no ApiObject
   */
  public static add(scope: IConstruct, ruleId: string, reason: string): void {
    validateSuppression(ruleId, reason, scope.node.path);
    const objects = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
    if (objects.length === 0) {
      throw new Error(`Suppressions.add(${scope.node.path || '<app>'}, ${ruleId}): the construct holds no Kubernetes object to annotate`);
    }
    for (const o of objects) {
      o.metadata.addAnnotation(`${SUPPRESSION_PREFIX}${ruleId}`, reason.trim());
    }
  }

  private constructor() {}
}

/** Throws unless the rule id and reason make a valid suppression. @internal */
export function validateSuppression(ruleId: string, reason: string, where: string): void {
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) {
    throw new Error(`${where}: "${ruleId}" is not a kubeharden rule id (kebab-case, e.g. pss-privileged); see \`kubeharden rules\``);
  }
  validateReason(reason, `suppression of ${ruleId}`, where);
}

/** Throws unless the reason is long enough. @internal */
export function validateReason(reason: string | undefined, what: string, where: string): string {
  const r = typeof reason === 'string' ? reason.trim() : '';
  const length = reasonLength(r);
  if (length < MIN_SUPPRESSION_REASON) {
    throw new Error(`${where}: ${what} needs a reason of at least ${MIN_SUPPRESSION_REASON} characters (got ${length})`);
  }
  return r;
}
