/**
 * How a rule is enforced at admission. A rule that can be decided on one object, as the API
 * server sees it at admission, states its check a second time in CEL: an expression that
 * lists the object's violations (one message per finding, or per container), empty when
 * the object is clean. The admission generator (src/admission) wraps it in a
 * ValidatingAdmissionPolicy; it adds nothing to the rule's meaning. The differential tests
 * hold the two forms equal: over every corpus, the objects the policy denies are the
 * objects the rule's check reports.
 *
 * A rule that cannot be decided there (it needs other objects, a whole manifest set, or a
 * file that never reaches the API server) says why instead.
 */
import { ADMISSION_RESOURCES } from './admission-resources';
import { IRule } from './types';

/** The kinds of the cluster configuration files the catalog judges (audit policy, kubelet, kubeadm, encryption at rest). */
const CONFIGURATION_FILE_KINDS: ReadonlySet<string> = new Set(['Policy', 'KubeletConfiguration', 'ClusterConfiguration', 'EncryptionConfiguration']);

/** What an admission expression may read besides `object`. */
export interface AdmissionContext {
  /** The Pod Security Standards minor version the policy encodes. */
  readonly pssMinor: number;
  /**
   * The kind the policy matches, for a rule over whole objects (one policy per kind, as
   * the API server type-checks an expression against each kind it matches); undefined
   * for a pod rule.
   */
  readonly kind?: string;
  /**
   * The CEL expression, of type list(string), that reads a list option of the rule from
   * the policy's parameters at admission (so that changing it needs no new policy).
   */
  readonly listOption: (name: string) => string;
}

/** A list option a rule's admission form reads from the policy's parameters. */
export interface AdmissionParam {
  /** The option's name. */
  readonly name: string;
  /** The entries the parameters carry for the option's value (as the check reads them), one a line. */
  readonly values: (option: unknown) => string[];
}

/** A rule's admission form. */
export interface RuleAdmission {
  /**
   * The CEL expression, of type list(string), listing the violations of the object (for a
   * pod rule: of the pod, through the variables the generator declares, see
   * POD_VARIABLES); undefined when the rule has no behaviour at that version.
   */
  readonly violations?: (context: AdmissionContext) => string | undefined;
  /** The rule's options the expression reads from the parameters. */
  readonly params?: readonly AdmissionParam[];
  /** Why the rule is not enforced at admission, when it is not. */
  readonly notEnforced?: string;
}

/**
 * The variables a pod rule's expression reads, as the generator declares them for each
 * kind that carries a pod (Pods, PodTemplates, the workload controllers' templates, a
 * CronJob's job template): the pod spec, the pod's (or template's) annotations, and its
 * three container lists, empty when absent.
 */
export const POD_VARIABLES = ['podSpec', 'podAnnotations', 'containers', 'initContainers', 'ephemeralContainers'] as const;

/** A rule that may carry an admission form. @internal */
interface WithAdmission {
  readonly _admission?: RuleAdmission;
}

/** The admission form of a rule, if it declares one. */
export function admissionOf(rule: IRule): RuleAdmission | undefined {
  return (rule as WithAdmission)._admission;
}

/**
 * Why a rule is not enforced at admission, or undefined when it is: the reason its
 * admission form gives, else what its kinds say.
 */
export function notEnforcedReason(admission: RuleAdmission | undefined, kinds: readonly string[]): string | undefined {
  if (admission?.violations) return undefined;
  if (admission?.notEnforced) return admission.notEnforced;
  if (kinds.includes('*')) return 'it judges the suppression annotations themselves; at admission a short reason simply does not suppress';
  if (!kinds.some((k) => ADMISSION_RESOURCES[k] !== undefined)) {
    if (kinds.every((k) => CONFIGURATION_FILE_KINDS.has(k))) {
      return `it judges ${kinds.join(', ')}: a configuration file that the API server, a kubelet or kubeadm reads from disk, never an object the API serves`;
    }
    return `it judges ${kinds.join(', ')}: kinds the generated policies do not match (no API resource is known for them)`;
  }
  return 'its check is not expressed in CEL yet';
}

/** What a fix's admission form may read besides the pod variables. */
export interface MutationContext {
  /** The Pod Security Standards minor version the policies encode. */
  readonly pssMinor: number;
  /**
   * The JSON pointer of the pod spec in the kinds the policy matches (`/spec` for a Pod,
   * `/spec/template/spec` for a Deployment, …): where the JSON patches write.
   */
  readonly podPointer: string;
  /** The JSON pointer of the pod's (or pod template's) metadata, where its annotations are. */
  readonly metadataPointer: string;
}

/**
 * A fix's admission form, for a MutatingAdmissionPolicy: the same change as the fix,
 * written as JSON patches in CEL over the pod variables (POD_VARIABLES). The generator
 * wraps it; the cluster tests hold it equal to the fix: the object the API server admits
 * after the mutation is the object `kubeharden fix` writes, defaulted by the same server.
 */
export interface FixAdmission {
  /**
   * The CEL expression, of type list(JSONPatch), of the changes the fix makes to the pod
   * (empty when there is nothing to fix or the fix declines); undefined when the rule has
   * no behaviour at that version.
   */
  readonly patches?: (context: MutationContext) => string | undefined;
  /**
   * Values the patches read more than once, computed once per evaluation: each becomes a
   * policy variable (`variables.<name>`), after the pod variables.
   */
  readonly variables?: (context: MutationContext) => { name: string; expression: string }[];
  /** Why the fix is not made at admission, when it is not. */
  readonly notMutated?: string;
}

/** A rule not enforced at admission, with the reason. */
export function notAtAdmission(reason: string): RuleAdmission {
  return { notEnforced: reason };
}
