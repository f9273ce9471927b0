import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HardenedWorkload } from './hardened-pod-template';
import { refuseUnsuppressed } from './refusal';
import { validateSuppression } from './suppressions';
import { SUPPRESSION_PREFIX } from '../engine/suppressions';

/**
 * One permission of a LeastPrivilegeRole: explicit API groups, resources and verbs.
 *
 * @example
 * const readConfig: RolePermission = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['api-settings'] };
 */
export interface RolePermission {
  /** API groups (`''` is the core group). */
  readonly apiGroups: string[];
  /** Resources (and subresources, such as `pods/log`). */
  readonly resources: string[];
  /** Verbs. */
  readonly verbs: string[];
  /**
   * Names of the only objects the permission applies to (encouraged).
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
}

/**
 * The kind of a RoleBinding subject.
 *
 * @example
 * role.bind({ kind: SubjectKind.GROUP, name: 'oncall' });
 */
export enum SubjectKind {
  /** A ServiceAccount. */
  SERVICE_ACCOUNT = 'ServiceAccount',
  /** A user. */
  USER = 'User',
  /** A group. */
  GROUP = 'Group',
}

/**
 * Who a LeastPrivilegeRole is bound to.
 *
 * @example
 * const ci: RoleSubject = { kind: SubjectKind.SERVICE_ACCOUNT, name: 'deployer', namespace: 'ci' };
 */
export interface RoleSubject {
  /** Kind of subject. */
  readonly kind: SubjectKind;
  /** Name. */
  readonly name: string;
  /**
   * Namespace of a ServiceAccount.
   * @default - the role's namespace
   */
  readonly namespace?: string;
}

/**
 * A reasoned acceptance of a finding of a kubeharden rule, written as the rule's
 * suppression annotation.
 *
 * @example
 * const ack: RuleAcknowledgement = { ruleId: 'rbac-pod-exec', reason: 'the backup operator runs pg_dump inside the database pod' };
 */
export interface RuleAcknowledgement {
  /** Id of the rule (see `kubeharden rules`). */
  readonly ruleId: string;
  /** Why the finding is acceptable (at least 10 characters). */
  readonly reason: string;
}

/**
 * Options of a LeastPrivilegeRole.
 *
 * @example
 * const props: LeastPrivilegeRoleProps = {
 *   permissions: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: ['feature-flags'] }],
 *   subjects: [{ kind: SubjectKind.SERVICE_ACCOUNT, name: 'api' }],
 * };
 */
export interface LeastPrivilegeRoleProps {
  /** What the role allows. */
  readonly permissions: RolePermission[];
  /**
   * A ClusterRole and ClusterRoleBinding instead of a Role and RoleBinding.
   * @default false
   */
  readonly clusterWide?: boolean;
  /**
   * Name of the role (and of its binding).
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of a Role.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Subjects to bind the role to.
   * @default - none (add them with `bind` or `bindWorkload`)
   */
  readonly subjects?: RoleSubject[];
  /**
   * Findings of kubeharden RBAC rules accepted with a reason. Without one, a role
   * that any rule reports is refused.
   * @default - none
   */
  readonly acknowledgements?: RuleAcknowledgement[];
}

/**
 * A Role (or ClusterRole on request) with explicit API groups, resources and verbs,
 * bound to the given subjects.
 *
 * The role and its binding are checked against every kubeharden RBAC rule when they
 * are defined: wildcards, escalate/bind/impersonate, reading all Secrets, pods/exec,
 * nodes/proxy and every other risky grant are refused with an error that names the
 * rule, unless that rule is acknowledged with a reason, which is then written on the
 * objects as the rule's suppression annotation.
 *
 * @example
 * const role = new LeastPrivilegeRole(chart, 'api-reader', {
 *   permissions: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['feature-flags'] }],
 * });
 * role.bindWorkload(api);
 *
 * new LeastPrivilegeRole(chart, 'backup', {
 *   permissions: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'], resourceNames: ['db-0'] }],
 *   subjects: [{ kind: SubjectKind.SERVICE_ACCOUNT, name: 'backup' }],
 *   acknowledgements: [{ ruleId: 'rbac-pod-exec', reason: 'the backup job runs pg_dump inside db-0' }],
 * });
 */
export class LeastPrivilegeRole extends Construct {
  /** The Role or ClusterRole. */
  public readonly role: ApiObject;
  /** The RoleBinding or ClusterRoleBinding. */
  public readonly binding: ApiObject;
  /** Whether this is a ClusterRole. */
  public readonly clusterWide: boolean;
  /** Namespace of the Role (undefined for a ClusterRole, or the chart's namespace). */
  public readonly namespace?: string;
  private readonly subjects: any[] = [];
  private readonly rules: any[];
  private readonly acknowledged: Map<string, string>;

  constructor(scope: Construct, id: string, props: LeastPrivilegeRoleProps) {
    super(scope, id);
    const where = `LeastPrivilegeRole ${this.node.path}`;
    this.clusterWide = props.clusterWide ?? false;
    this.namespace = this.clusterWide ? undefined : props.namespace ?? Chart.of(this).namespace;
    if (!props.permissions || props.permissions.length === 0) throw new Error(`${where}: give at least one permission`);
    this.rules = props.permissions.map((p, i) => renderPermission(p, `${where} permissions[${i}]`));
    this.acknowledged = new Map();
    for (const a of props.acknowledgements ?? []) {
      validateSuppression(a.ruleId, a.reason, where);
      this.acknowledged.set(a.ruleId, a.reason.trim());
    }
    const annotations: { [key: string]: string } = {};
    for (const [ruleId, reason] of this.acknowledged) annotations[`${SUPPRESSION_PREFIX}${ruleId}`] = reason;
    const metadata = (): any => ({
      ...(props.name !== undefined ? { name: props.name } : {}),
      ...(this.namespace !== undefined ? { namespace: this.namespace } : {}),
      ...(Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
    });

    this.role = new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: this.clusterWide ? 'ClusterRole' : 'Role',
      metadata: metadata(),
      rules: this.rules,
    });
    this.binding = new ApiObject(this, 'Binding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: this.clusterWide ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: metadata(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: this.clusterWide ? 'ClusterRole' : 'Role', name: this.role.name },
      subjects: Lazy.any({ produce: () => this.subjects.map((s) => ({ ...s })) }),
    });
    if (this.clusterWide && Chart.of(this).namespace !== undefined) {
      for (const o of [this.role, this.binding]) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.verify(where);
    for (const s of props.subjects ?? []) this.bind(s);
  }

  /**
   * Binds the role to a subject.
   *
   * @example
   * role.bind({ kind: SubjectKind.GROUP, name: 'oncall' });
   */
  public bind(subject: RoleSubject): void {
    const where = `LeastPrivilegeRole ${this.node.path}`;
    if (!Object.values(SubjectKind).includes(subject.kind)) throw new Error(`${where}: unknown subject kind "${subject.kind}"`);
    if (typeof subject.name !== 'string' || subject.name.trim() === '') throw new Error(`${where}: a subject needs a name`);
    let rendered: any;
    if (subject.kind === SubjectKind.SERVICE_ACCOUNT) {
      const namespace = subject.namespace ?? this.namespace;
      if (namespace === undefined) throw new Error(`${where}: ServiceAccount subject "${subject.name}" needs a namespace`);
      rendered = { kind: 'ServiceAccount', name: subject.name, namespace };
    } else {
      rendered = { kind: subject.kind, apiGroup: 'rbac.authorization.k8s.io', name: subject.name };
    }
    // check the binding with the subject, and keep the subject only if it is accepted
    const binding = this.binding.toJson();
    this.verify(where, { ...binding, subjects: [...(binding.subjects ?? []), rendered] });
    this.subjects.push(rendered);
  }

  /**
   * Binds the role to a hardened workload's ServiceAccount.
   *
   * @example
   * role.bindWorkload(api);
   */
  public bindWorkload(workload: HardenedWorkload): void {
    this.bind({ kind: SubjectKind.SERVICE_ACCOUNT, name: workload.serviceAccountName, namespace: workload.pod.namespace });
  }

  /**
   * Refuses the role when a kubeharden rule reports it or its binding and no
   * acknowledgement covers that rule.
   *
   * @param binding the binding's JSON (default: as it is now)
   */
  private verify(where: string, binding?: any): void {
    refuseUnsuppressed([this.role.toJson(), binding ?? this.binding.toJson()], {
      subject: where,
      withKind: true,
      invalidSuppressionsFirst: true,
      advice: (refused) => {
        const ids = [...new Set(refused.map((f) => f.ruleId))];
        return `Narrow the permissions, or accept the risk with acknowledgements: [${ids.map((i) => `{ ruleId: '${i}', reason: '...' }`).join(', ')}]`;
      },
    });
  }
}

function renderPermission(p: RolePermission, where: string): any {
  const list = (v: string[] | undefined, field: string, allowEmptyString: boolean) => {
    if (!Array.isArray(v) || v.length === 0) throw new Error(`${where}: ${field} must list at least one entry explicitly`);
    for (const x of v) {
      if (typeof x !== 'string' || (!allowEmptyString && x === '')) throw new Error(`${where}: ${field} has an invalid entry ${JSON.stringify(x)}`);
    }
    return v.slice();
  };
  return {
    apiGroups: list(p.apiGroups, 'apiGroups', true),
    resources: list(p.resources, 'resources', false),
    verbs: list(p.verbs, 'verbs', false),
    ...(p.resourceNames && p.resourceNames.length ? { resourceNames: list(p.resourceNames, 'resourceNames', false) } : {}),
  };
}
