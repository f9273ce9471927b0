import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { refuseUnsuppressed } from './refusal';

/**
 * How much of a request the API server records.
 *
 * @example
 * audit.addRule({ level: AuditLevel.METADATA, resources: [{ group: 'apps' }] });
 */
export enum AuditLevel {
  /** Nothing. */
  NONE = 'None',
  /** Who did what to which object, without bodies. */
  METADATA = 'Metadata',
  /** Metadata and the request body. */
  REQUEST = 'Request',
  /** Metadata, request and response bodies. */
  REQUEST_RESPONSE = 'RequestResponse',
}

/**
 * Resources of one API group that an audit rule matches.
 *
 * @example
 * const rbac: AuditResources = { group: 'rbac.authorization.k8s.io' };
 * const exec: AuditResources = { group: '', resources: ['pods/exec', 'pods/attach'] };
 */
export interface AuditResources {
  /** API group (`''` is the core group). */
  readonly group: string;
  /**
   * Resources (`pods`, `pods/exec`, `pods/*`, `*`).
   * @default - every resource of the group
   */
  readonly resources?: string[];
  /**
   * Names of the objects.
   * @default - every object
   */
  readonly resourceNames?: string[];
}

/**
 * One rule of an audit policy. The API server uses the first rule that matches a
 * request; a selector left out matches everything.
 *
 * @example
 * const deployments: AuditRule = {
 *   level: AuditLevel.REQUEST_RESPONSE,
 *   resources: [{ group: 'apps', resources: ['deployments'] }],
 *   verbs: ['create', 'update', 'patch', 'delete'],
 * };
 */
export interface AuditRule {
  /** What to record. */
  readonly level: AuditLevel;
  /**
   * Resources the rule matches.
   * @default - every resource (and, without nonResourceUrls, every non-resource URL)
   */
  readonly resources?: AuditResources[];
  /**
   * Verbs.
   * @default - every verb
   */
  readonly verbs?: string[];
  /**
   * Users.
   * @default - every user
   */
  readonly users?: string[];
  /**
   * User groups.
   * @default - every group
   */
  readonly userGroups?: string[];
  /**
   * Namespaces (`''` for cluster-scoped objects).
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /**
   * Non-resource URLs (`/healthz*`).
   * @default - none, or every one when no resources are given
   */
  readonly nonResourceUrls?: string[];
  /**
   * Stages not to record for this rule.
   * @default - the policy's omitStages
   */
  readonly omitStages?: string[];
}

/**
 * Where `addRule` puts a rule.
 *
 * @example
 * audit.addRule({ level: AuditLevel.NONE, nonResourceUrls: ['/metrics'] }, AuditRulePosition.FIRST);
 */
export enum AuditRulePosition {
  /** After the secure defaults, before the Metadata catch-all (the default). */
  AFTER_DEFAULTS = 'after-defaults',
  /** Before every default rule: it wins over them. */
  FIRST = 'first',
}

/**
 * Options of an AuditPolicy.
 *
 * @example
 * const props: AuditPolicyProps = { rules: [{ level: AuditLevel.NONE, users: ['system:serviceaccount:monitoring:prometheus'], verbs: ['get', 'list', 'watch'], resources: [{ group: '' , resources: ['pods', 'endpoints'] }] }] };
 */
export interface AuditPolicyProps {
  /**
   * Name of the Policy object.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Extra rules, placed after the secure defaults (see `addRule`).
   * @default - none
   */
  readonly rules?: AuditRule[];
}

/**
 * An `audit.k8s.io/v1` Policy for kube-apiserver with a secure default rule set
 * (first match wins):
 *
 * 1. None for health checks, version probes and high-volume system noise (events,
 *    kube-proxy watches, leader-election leases, kubelet node reads);
 * 2. Metadata for secrets, configmaps, serviceaccounts/token and tokenreviews, whose
 *    bodies are credentials;
 * 3. RequestResponse for pods/exec, pods/attach, pods/portforward and every RBAC change;
 * 4. Request for every other write;
 * 5. Metadata for everything else.
 *
 * The RequestReceived stage is omitted. Rules added with `addRule` go after 3 and before 4
 * (or first, with AuditRulePosition.FIRST); they are checked with
 * the kubeharden audit rules and refused when, first match winning, they would log
 * secret contents, leave exec unlogged or remove the catch-all.
 *
 * The Policy is not a cluster object: synthesize it in its own chart and point the API
 * server at the file:
 *
 * ```
 * kube-apiserver \
 *   --audit-policy-file=/etc/kubernetes/audit/policy.yaml \
 *   --audit-log-path=/var/log/kubernetes/audit/audit.log \
 *   --audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100
 * ```
 *
 * @example
 * const audit = new AuditPolicy(new Chart(app, 'audit'), 'policy');
 * audit.addRule({ level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: 'apps', resources: ['deployments'] }], verbs: ['create', 'update', 'patch', 'delete'] });
 */
export class AuditPolicy extends Construct {
  /** The Policy object. */
  public readonly apiObject: ApiObject;
  private readonly first: any[] = [];
  private readonly extra: any[] = [];

  constructor(scope: Construct, id: string, props: AuditPolicyProps = {}) {
    super(scope, id);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      metadata: props.name !== undefined ? { name: props.name } : {},
      omitStages: ['RequestReceived'],
      rules: Lazy.any({ produce: () => this.renderRules(this.first, this.extra) }),
    });
    if (Chart.of(this).namespace !== undefined) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    for (const r of props.rules ?? []) this.addRule(r);
  }

  /**
   * Adds a rule, after the secure defaults (1 to 3) and before the default for other writes
   * and the catch-all (4 and 5), unless placed first.
   *
   * @param position where the rule goes
   * @throws if, first match winning, the policy would then log secret contents,
   *         leave exec/attach/port-forward unlogged, or break another kubeharden audit rule
   * @example
   * audit.addRule({ level: AuditLevel.NONE, nonResourceUrls: ['/metrics'] }, AuditRulePosition.FIRST);
   */
  public addRule(rule: AuditRule, position: AuditRulePosition = AuditRulePosition.AFTER_DEFAULTS): void {
    const where = `AuditPolicy ${this.node.path}`;
    const rendered = renderRule(rule, where);
    const first = position === AuditRulePosition.FIRST ? [rendered, ...this.first] : this.first;
    const extra = position === AuditRulePosition.FIRST ? this.extra : [...this.extra, rendered];
    const candidate = { ...this.apiObject.toJson(), rules: this.renderRules(first, extra) };
    refuseUnsuppressed([candidate], { subject: `${where}: the rule ${JSON.stringify(rendered)}`, withKind: false });
    if (position === AuditRulePosition.FIRST) this.first.unshift(rendered);
    else this.extra.push(rendered);
  }

  private renderRules(first: any[], extra: any[]): any[] {
    return [...first, ...DEFAULT_RULES, ...extra, WRITES_RULE, CATCH_ALL].map((r) => JSON.parse(JSON.stringify(r)));
  }
}

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** The secure defaults, first match wins. */
const DEFAULT_RULES: any[] = [
  { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
  { level: 'None', resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
  { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }, { group: 'discovery.k8s.io', resources: ['endpointslices'] }] },
  { level: 'None', userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  {
    level: 'None',
    users: ['system:kube-controller-manager', 'system:kube-scheduler'],
    verbs: ['get', 'update'],
    namespaces: ['kube-system'],
    resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }],
  },
  {
    level: 'Metadata',
    resources: [
      { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
    ],
  },
  { level: 'RequestResponse', resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward'] }] },
  { level: 'RequestResponse', resources: [{ group: 'rbac.authorization.k8s.io' }] },
];

/**
 * The default for every other write. Rules added with `addRule` go before it: after it, a
 * rule about writes could never match first, and would silently do nothing.
 */
const WRITES_RULE = { level: 'Request', verbs: WRITE_VERBS };

const CATCH_ALL = { level: 'Metadata' };

function renderRule(rule: AuditRule, where: string): any {
  if (!Object.values(AuditLevel).includes(rule.level)) throw new Error(`${where}: unknown audit level "${rule.level}"`);
  if (rule.resources?.length && rule.nonResourceUrls?.length) {
    throw new Error(`${where}: an audit rule matches resources or nonResourceUrls, not both`);
  }
  const list = (v: string[] | undefined) => (v && v.length ? v.slice() : undefined);
  const out: any = { level: rule.level };
  const set = (k: string, v: any) => { if (v !== undefined) out[k] = v; };
  set('users', list(rule.users));
  set('userGroups', list(rule.userGroups));
  set('verbs', list(rule.verbs));
  set('namespaces', list(rule.namespaces));
  set('nonResourceURLs', list(rule.nonResourceUrls));
  set('omitStages', list(rule.omitStages));
  if (rule.resources?.length) {
    out.resources = rule.resources.map((r) => {
      if (typeof r.group !== 'string') throw new Error(`${where}: an audit resource entry needs a group ('' for the core group)`);
      return {
        group: r.group,
        ...(r.resources?.length ? { resources: r.resources.slice() } : {}),
        ...(r.resourceNames?.length ? { resourceNames: r.resourceNames.slice() } : {}),
      };
    });
  }
  return out;
}
