/**
 * Admission policies from the catalog: for every rule of an engine that declares an
 * admission form (src/engine/admission.ts), a ValidatingAdmissionPolicy and its binding, so
 * that every API server of a cluster enforces what `kubeharden check` reports. This module
 * translates: the CEL that decides comes from the rules; what is added here is where the pod
 * sits in each kind, which resources to match, the suppression annotation, the parameters
 * and the binding's actions.
 */
import { POD_SHAPES, PodShape } from './resources';
import { AdmissionContext, admissionOf, notEnforcedReason, POD_VARIABLES } from '../engine/admission';
import { ADMISSION_RESOURCES, ResourceOfKind } from '../engine/admission-resources';
import { Reports, type Engine } from '../engine/engine';
import { minorOf } from '../engine/pss-version';
import { fixOf, notMutatedReason, podCheckOf } from '../engine/rule';
import { MIN_SUPPRESSION_REASON, SUPPRESSION_PREFIX } from '../engine/suppressions';
import { IRule } from '../engine/types';
import { str } from '../rules/cel';

/** What a binding does with a denial. */
export enum AdmissionAction {
  /** Reject the request. */
  DENY = 'deny',
  /** Admit it with a warning to the client. */
  WARN = 'warn',
  /** Admit it and record the violation in the audit log. */
  AUDIT = 'audit',
}

/** Options of the generated policies (the rules, profile and rule options come from the engine). */
export interface AdmissionOptions {
  /**
   * The oldest Kubernetes version the policies must run on (`1.N` or `v1.N`): only the CEL
   * libraries that version offers are used. ValidatingAdmissionPolicy is GA from 1.30.
   * @default '1.30'
   */
  readonly kubernetesVersion?: string;
  /**
   * What the bindings do with a violation. A rule whose severity is below the engine's
   * `failOn` warns instead of denying.
   * @default AdmissionAction.DENY
   */
  readonly action?: AdmissionAction;
  /**
   * The namespace of the ConfigMap that carries the rule options the policies read.
   * @default 'kube-system'
   */
  readonly paramsNamespace?: string;
  /**
   * The prefix of every generated name.
   * @default 'kubeharden'
   */
  readonly namePrefix?: string;
  /**
   * Also write, for every rule of the profile whose fix can be made at admission, a
   * MutatingAdmissionPolicy with its binding (`admissionregistration.k8s.io/v1`, served from
   * Kubernetes 1.36): the API server then makes the fix `kubeharden fix` makes before the
   * validating policies judge the object. Needs `kubernetesVersion` 1.36 or later.
   * @default false
   */
  readonly mutate?: boolean;
}

/** A rule of the profile that the policies do not enforce, and why. */
export interface NotEnforcedRule {
  /** The rule id. */
  readonly ruleId: string;
  /** Why it cannot be decided at admission. */
  readonly reason: string;
}

/** The generated objects. */
export interface AdmissionPolicySet {
  /** The ConfigMap of rule options (when a policy reads one), then each policy followed by its binding. */
  readonly objects: any[];
  /** The ids of the rules the policies enforce. */
  readonly enforced: string[];
  /** The rules of the profile that are not enforced at admission, with the reason. */
  readonly notEnforced: NotEnforcedRule[];
  /** The ids of the rules whose fixes the MutatingAdmissionPolicies make (empty without `mutate`). */
  readonly mutated: string[];
  /** With `mutate`: the fixable rules of the profile whose fix is not made at admission, and why. */
  readonly notMutated: NotEnforcedRule[];
  /** The Kubernetes version the policies were generated for, as `1.N`. */
  readonly kubernetesVersion: string;
}

/** The first release that serves admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy. */
export const MIN_ADMISSION_MINOR = 30;

/** The first release that serves admissionregistration.k8s.io/v1 MutatingAdmissionPolicy. */
export const MIN_MUTATION_MINOR = 36;

/** The RBAC API group. */
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The name of the parameters ConfigMap, after the prefix. */
const PARAMS_NAME = 'options';

/** The label every generated object carries. */
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kubeharden' };

/** Generates the admission policies for the rules an engine runs. */
export function generateAdmissionPolicies(engine: Engine, options: AdmissionOptions = {}): AdmissionPolicySet {
  const kubernetesMinor = readKubernetesMinor(options.kubernetesVersion);
  const action = options.action ?? AdmissionAction.DENY;
  if (!Object.values(AdmissionAction).includes(action)) {
    throw new Error(`admission options: action: expected one of ${Object.values(AdmissionAction).join(', ')}`);
  }
  const prefix = options.namePrefix ?? 'kubeharden';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(prefix)) throw new Error('admission options: namePrefix: expected a lowercase DNS label');
  const paramsNamespace = options.paramsNamespace ?? 'kube-system';
  if (options.mutate === true && kubernetesMinor < MIN_MUTATION_MINOR) {
    throw new Error(`admission options: mutate: MutatingAdmissionPolicy is served from Kubernetes 1.${MIN_MUTATION_MINOR} (admissionregistration.k8s.io/v1); set kubernetesVersion to 1.${MIN_MUTATION_MINOR} or later`);
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(paramsNamespace)) throw new Error('admission options: paramsNamespace: expected a namespace name');

  const setup = engine._setup();
  const severities = setup.severities;
  const excluded = [...setup.excludeNamespaces].sort();
  const policies: any[] = [];
  const enforced: string[] = [];
  const notEnforced: NotEnforcedRule[] = [];
  const paramsData: { [key: string]: string } = {};
  const paramsName = `${prefix}-${PARAMS_NAME}`;

  for (const rule of engine.rules) {
    const id = rule.metadata.id;
    const admission = admissionOf(rule);
    if (!admission?.violations) {
      notEnforced.push({ ruleId: id, reason: notEnforcedReason(admission, rule.metadata.kinds)! });
      continue;
    }
    const context = setup.contexts.get(id)!;
    const params = admission.params ?? [];
    for (const param of params) {
      const entries = param.values(context.options[param.name]);
      if (entries.some((e) => e.includes('\n'))) throw new Error(`rule ${id}: option ${param.name}: an entry holds a line break`);
      paramsData[paramKey(id, param.name)] = entries.join('\n');
    }
    const admissionContext: AdmissionContext = {
      pssMinor: context.pssMinor,
      listOption: (name) => {
        if (!params.some((p) => p.name === name)) throw new Error(`rule ${id}: its admission form reads option ${name} without declaring it in params`);
        return `variables.${optionVariable(name)}`;
      },
    };
    const isPod = podCheckOf(rule) !== undefined;
    const kinds = isPod ? [undefined] : rule.metadata.kinds;
    const violationsByKind = kinds.map((kind) => ({
      kind,
      violations: admission.violations!(kind ? { ...admissionContext, kind } : admissionContext),
    }));
    if (violationsByKind.every((v) => v.violations === undefined)) {
      notEnforced.push({ ruleId: id, reason: `the rule has no behaviour at Pod Security Standards ${engine.pssVersion}` });
      continue;
    }
    const severity = severities.get(id) ?? rule.metadata.severity;
    const ruleAction = action === AdmissionAction.DENY && !Reports.severityAtOrAbove(severity, engine.failOn) ? AdmissionAction.WARN : action;
    const optionVariables = params.map((p) => {
      const key = str(paramKey(id, p.name));
      return { name: optionVariable(p.name), expression: `has(params.data) && ${key} in params.data ? params.data[${key}].split('\\n').filter(s, s != '') : []` };
    });
    const common: PolicyParts = {
      prefix,
      rule,
      optionVariables,
      action: ruleAction,
      excluded,
      params: params.length > 0 ? { name: paramsName, namespace: paramsNamespace } : undefined,
      labels: { ...MANAGED_BY, 'kubeharden.io/rule': id, 'kubeharden.io/profile': engine.profile },
      annotations: { 'kubeharden.io/pss-version': `v${engine.pssVersion}`, 'kubeharden.io/kubernetes-version': `v1.${kubernetesMinor}` },
    };
    if (isPod) {
      const violations = violationsByKind[0].violations!;
      for (const shape of POD_SHAPES) policies.push(...policyAndBinding(common, shape.name, podMatch(shape), podVariables(shape), violations));
    } else {
      const unknown = rule.metadata.kinds.find((k) => !ADMISSION_RESOURCES[k]);
      if (unknown !== undefined) {
        notEnforced.push({ ruleId: id, reason: `no API resource is known for kind ${unknown}` });
        continue;
      }
      for (const { kind, violations } of violationsByKind) {
        if (violations === undefined) continue;
        const resource = ADMISSION_RESOURCES[kind!]!;
        const matchConditions = resource.group === RBAC_GROUP
          // the API server writes its own bootstrap roles and bindings at every start: never block it
          ? [{ name: 'not-the-api-server', expression: "request.userInfo.username != 'system:apiserver'" }]
          : [];
        const suffix = rule.metadata.kinds.length > 1 ? resource.resources[0] : undefined;
        const match = { resourceRules: resourceRules([resource]), matchConditions, clusterScoped: resource.clusterScoped === true };
        policies.push(...policyAndBinding(common, suffix, match, [], violations));
      }
    }
    enforced.push(id);
  }

  const objects: any[] = [];
  if (Object.keys(paramsData).length > 0 || policies.some((p) => p.spec?.paramKind)) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: paramsName, namespace: paramsNamespace, labels: { ...MANAGED_BY } },
      data: Object.fromEntries(Object.entries(paramsData).sort(([a], [b]) => a.localeCompare(b))),
    });
  }
  objects.push(...policies);
  const mutation = options.mutate === true
    ? mutatingPolicies(engine, { prefix, excluded, kubernetesMinor })
    : { objects: [], mutated: [], notMutated: [] };
  objects.push(...mutation.objects);
  return { objects, enforced, notEnforced, mutated: mutation.mutated, notMutated: mutation.notMutated, kubernetesVersion: `1.${kubernetesMinor}` };
}

/**
 * The MutatingAdmissionPolicies of the fixes that can be made at admission, each followed
 * by its binding: one per place a pod sits, as for the validating policies. A policy runs
 * again when a later one changed the object (`reinvocationPolicy: IfNeeded`), as the fix
 * pass repeats its rounds: turning `privileged` off lets the privilege escalation fix run.
 */
function mutatingPolicies(engine: Engine, parts: { prefix: string; excluded: string[]; kubernetesMinor: number }):
{ objects: any[]; mutated: string[]; notMutated: NotEnforcedRule[] } {
  const objects: any[] = [];
  const mutated: string[] = [];
  const notMutated: NotEnforcedRule[] = [];
  const setup = engine._setup();
  for (const rule of engine.rules) {
    const id = rule.metadata.id;
    const fix = fixOf(rule);
    if (!fix) continue;
    const reason = notMutatedReason(rule);
    if (reason !== undefined) {
      notMutated.push({ ruleId: id, reason });
      continue;
    }
    const pssMinor = setup.contexts.get(id)!.pssMinor;
    const contextOf = (shape: PodShape) => ({ pssMinor, podPointer: shape.pointer, metadataPointer: shape.metadataPointer });
    const perShape = POD_SHAPES.map((shape) => ({ shape, patches: fix.admission!.patches!(contextOf(shape)) }));
    if (perShape.every((s) => s.patches === undefined)) {
      notMutated.push({ ruleId: id, reason: `its fix has no admission form at Pod Security Standards ${engine.pssVersion}` });
      continue;
    }
    const labels = { ...MANAGED_BY, 'kubeharden.io/rule': id, 'kubeharden.io/profile': engine.profile };
    for (const { shape, patches } of perShape) {
      if (patches === undefined) continue;
      const name = `${parts.prefix}-fix-${id}-${shape.name}`;
      const match = podMatch(shape);
      // a subresource (pods/ephemeralcontainers) takes only part of the object: a fix of the
      // pod cannot be written through it (its validating policy still judges it)
      const resources = shape.resources.map((r) => ({ ...r, resources: r.resources.filter((x) => !x.includes('/')) }));
      // a Pod's security fields and a Job's pod template cannot change once they exist: a
      // mutation of an update (a new image for a pod made before the policies, a Job's
      // parallelism) would only get the update refused
      const createOnly = (r: ResourceOfKind) => r.resources.includes('pods') || r.resources.includes('jobs');
      objects.push({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingAdmissionPolicy',
        metadata: {
          name,
          labels,
          annotations: { 'kubeharden.io/pss-version': `v${engine.pssVersion}`, 'kubeharden.io/kubernetes-version': `v1.${parts.kubernetesMinor}`, 'kubeharden.io/fix': fix.summary },
        },
        spec: {
          failurePolicy: 'Fail',
          reinvocationPolicy: 'IfNeeded',
          matchConstraints: { resourceRules: resourceRules(resources, createOnly) },
          matchConditions: withSuppression(rule, match.matchConditions),
          variables: [...podVariables(shape), ...(fix.admission!.variables?.(contextOf(shape)) ?? [])],
          mutations: [{ patchType: 'JSONPatch', jsonPatch: { expression: patches } }],
        },
      }, {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingAdmissionPolicyBinding',
        metadata: { name, labels },
        spec: {
          policyName: name,
          ...(parts.excluded.length ? { matchResources: excludedNamespaces(parts.excluded) } : {}),
        },
      });
    }
    mutated.push(id);
  }
  return { objects, mutated, notMutated };
}

/** The variable that holds a rule option read from the parameters. */
function optionVariable(option: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(option)) throw new Error(`option ${option}: not a CEL identifier`);
  return `option${option[0].toUpperCase()}${option.slice(1)}`;
}

/** The data key of a rule option in the parameters ConfigMap. */
export function paramKey(ruleId: string, option: string): string {
  return `${ruleId}.${option}`;
}

function readKubernetesMinor(version: string | undefined): number {
  if (version === undefined) return MIN_ADMISSION_MINOR;
  const m = /^v?1\.(\d{1,3})$/.exec(version);
  if (!m) throw new Error('admission options: kubernetesVersion: expected 1.N or v1.N');
  const minor = minorOf(`1.${m[1]}`);
  if (minor < MIN_ADMISSION_MINOR) {
    throw new Error(`admission options: kubernetesVersion: ValidatingAdmissionPolicy is served from Kubernetes 1.${MIN_ADMISSION_MINOR} (admissionregistration.k8s.io/v1)`);
  }
  return minor;
}

interface PolicyParts {
  readonly prefix: string;
  readonly rule: IRule;
  /** The variables that read the rule's options from the parameters. */
  readonly optionVariables: { name: string; expression: string }[];
  readonly action: AdmissionAction;
  readonly excluded: string[];
  readonly params?: { name: string; namespace: string };
  readonly labels: { [k: string]: string };
  readonly annotations: { [k: string]: string };
}

interface Match {
  readonly resourceRules: any[];
  /** Every kind matched is cluster-scoped. */
  readonly clusterScoped?: boolean;
  readonly matchConditions: { name: string; expression: string }[];
}

/** The resource rules of the resources, by API group; `createOnly` resources match only CREATE. */
function resourceRules(resources: readonly ResourceOfKind[], createOnly: (r: ResourceOfKind) => boolean = () => false): any[] {
  const byGroup = new Map<string, ResourceOfKind[]>();
  for (const r of resources) {
    const key = `${r.group}/${r.version}/${createOnly(r)}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), r]);
  }
  return [...byGroup.values()].map((rs) => ({
    apiGroups: [rs[0].group],
    apiVersions: [rs[0].version],
    operations: createOnly(rs[0]) ? ['CREATE'] : ['CREATE', 'UPDATE'],
    resources: rs.flatMap((r) => r.resources),
    scope: '*',
  }));
}

function podMatch(shape: PodShape): Match {
  return {
    resourceRules: resourceRules(shape.resources),
    matchConditions: [{
      // a pod (or template) without a spec has no container and no pod field to judge
      name: 'has-pod-spec',
      expression: shape.specGuard,
    }, {
      // an update that leaves the pod as it was admits what was admitted (finalizers, labels, scaling)
      name: 'pod-changed',
      expression: `request.operation != 'UPDATE' || oldObject == null || ${shape.changed}`,
    }],
  };
}

/** The variables of POD_VARIABLES, as this kind's pod has them (the type requires an expression for each). */
function podVariables(shape: PodShape): { name: string; expression: string }[] {
  const spec = 'variables.podSpec';
  const list = (name: string) => `has(${spec}.${name}) ? ${spec}.${name} : []`;
  const expressions: { readonly [name in typeof POD_VARIABLES[number]]: string } = {
    podSpec: shape.spec,
    podAnnotations: shape.annotations,
    containers: list('containers'),
    initContainers: list('initContainers'),
    ephemeralContainers: list('ephemeralContainers'),
  };
  return POD_VARIABLES.map((name) => ({ name, expression: expressions[name] }));
}

/** The match conditions, and the one that leaves out objects that suppress the rule with a reason. */
function withSuppression(rule: IRule, conditions: readonly { name: string; expression: string }[]): { name: string; expression: string }[] {
  if (rule.metadata.unsuppressible === true) return [...conditions];
  const key = str(`${SUPPRESSION_PREFIX}${rule.metadata.id}`);
  return [...conditions, {
    name: 'not-suppressed',
    // the reason's length after trimming, as the engine counts it (suppressions.ts)
    expression: `!(has(object.metadata.annotations) && ${key} in object.metadata.annotations && size(object.metadata.annotations[${key}].trim()) >= ${MIN_SUPPRESSION_REASON})`,
  }];
}

/** A binding's matchResources that leaves out the namespaces of excludeNamespaces. */
function excludedNamespaces(excluded: readonly string[]): any {
  return { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...excluded] }] } };
}

function policyAndBinding(
  parts: PolicyParts, shape: string | undefined, match: Match, variables: { name: string; expression: string }[], violations: string,
): any[] {
  const id = parts.rule.metadata.id;
  const name = [parts.prefix, id, shape].filter((s) => s !== undefined).join('-');
  const matchConditions = withSuppression(parts.rule, match.matchConditions);
  const idLit = str(`${id}: `);
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name, labels: parts.labels, annotations: { ...parts.annotations, 'kubeharden.io/title': parts.rule.metadata.title } },
    spec: {
      failurePolicy: 'Fail',
      ...(parts.params ? { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } : {}),
      matchConstraints: { resourceRules: match.resourceRules },
      ...(matchConditions.length ? { matchConditions } : {}),
      variables: [...variables, ...parts.optionVariables, { name: 'violations', expression: violations }],
      validations: [{
        expression: 'variables.violations.size() == 0',
        // the first two violations and how many more: a message of bounded size
        messageExpression: `${idLit} + variables.violations[0]`
          + " + (variables.violations.size() > 1 ? '; ' + variables.violations[1] : '')"
          + " + (variables.violations.size() > 2 ? '; and ' + string(variables.violations.size() - 2) + ' more' : '')",
        reason: 'Forbidden',
      }],
      auditAnnotations: [{
        // the rule id when the object breaks the rule (an empty value records nothing)
        key: 'rule',
        valueExpression: `variables.violations.size() == 0 ? '' : ${str(id)}`,
      }],
    },
  };
  const binding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name, labels: parts.labels },
    spec: {
      policyName: name,
      validationActions: [parts.action === AdmissionAction.DENY ? 'Deny' : parts.action === AdmissionAction.WARN ? 'Warn' : 'Audit'],
      ...(parts.params ? { paramRef: { name: parts.params.name, namespace: parts.params.namespace, parameterNotFoundAction: 'Deny' } } : {}),
      // excludeNamespaces leaves out the objects of those namespaces; a cluster-scoped object (a
      // Namespace included: a selector would match its own labels) belongs to none
      ...(parts.excluded.length && !match.clusterScoped
        ? { matchResources: excludedNamespaces(parts.excluded) }
        : {}),
    },
  };
  return [policy, binding];
}
