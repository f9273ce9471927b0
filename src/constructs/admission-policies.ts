import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { optionsWithConfigFile } from '../engine/config';
import { AdmissionAction, AdmissionPolicySet, NotEnforcedRule } from '../admission/generate';
import { Engine } from '../engine/engine';
import { CheckOptions } from '../engine/types';

/** Properties of `AdmissionPolicies`: the options shape every entry point takes, and the policies' own. */
export interface AdmissionPoliciesProps extends CheckOptions {
  /**
   * A kubeharden configuration file to read, relative to the working directory of the
   * cdk8s app; the options given here win over the file's.
   * @default - no file
   */
  readonly configFile?: string;
  /**
   * The oldest Kubernetes version (`v1.N`) the policies run on.
   * @default '1.30'
   */
  readonly kubernetesVersion?: string;
  /**
   * What the bindings do with a violation (roll out with WARN, then DENY).
   * @default AdmissionAction.DENY
   */
  readonly action?: AdmissionAction;
  /**
   * The namespace of the ConfigMap of rule options.
   * @default 'kube-system'
   */
  readonly paramsNamespace?: string;
  /**
   * Also the MutatingAdmissionPolicies that make the rules' fixes at admission (Kubernetes
   * 1.36 and later: set `kubernetesVersion`).
   * @default false
   */
  readonly mutate?: boolean;
}

/**
 * The ValidatingAdmissionPolicies (with their bindings and the ConfigMap of rule options)
 * that enforce a profile in the cluster, for a platform chart: the same objects as
 * `kubeharden admission`.
 *
 * @example
 * const platform = new Chart(app, 'platform');
 * new AdmissionPolicies(platform, 'admission', { profile: Profile.RESTRICTED, action: AdmissionAction.WARN });
 */
export class AdmissionPolicies extends Construct {
  /** The rules the policies enforce. */
  public readonly enforced: string[];
  /** The rules of the profile that cannot be enforced at admission, with the reason. */
  public readonly notEnforced: NotEnforcedRule[];
  /** The rules whose fixes the MutatingAdmissionPolicies make (empty without `mutate`). */
  public readonly mutated: string[];
  /** With `mutate`: the fixable rules whose fix is not made at admission, with the reason. */
  public readonly notMutated: NotEnforcedRule[];
  /** The engine whose rules the policies enforce. */
  public readonly engine: Engine;

  /**
   * @throws if an option or the configuration file is invalid, naming each
   */
  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps = {}) {
    super(scope, id);
    const { kubernetesVersion, action, paramsNamespace, mutate, ...check } = props;
    this.engine = new Engine(optionsWithConfigFile(check, 'AdmissionPolicies props'));
    const set: AdmissionPolicySet = this.engine.admissionPolicies({ kubernetesVersion, action, paramsNamespace, mutate });
    this.enforced = set.enforced;
    this.mutated = set.mutated;
    this.notMutated = set.notMutated;
    this.notEnforced = set.notEnforced;
    for (const o of set.objects) {
      const { apiVersion, kind, metadata, ...rest } = o;
      new ApiObject(this, `${kind}-${metadata.name}`, { apiVersion, kind, metadata, ...rest });
    }
  }
}
