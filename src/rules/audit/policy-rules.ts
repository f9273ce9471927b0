/*
 * Audit policy semantics shared by the audit rules (audit.k8s.io/v1 and v1beta1
 * `Policy`). The API server evaluates `rules` in order and the first rule that
 * matches a request sets its level; a request no rule matches is not logged (None).
 *
 * A rule matches a request when every selector it sets matches (an empty or absent
 * selector matches everything):
 *   users, userGroups  the requesting user, one of its groups;
 *   verbs              the request verb (get, list, watch, create, update, patch, delete...);
 *   resources / namespaces  resource requests only. `namespaces` lists namespaces
 *                      ("" for cluster-scoped). Each `resources` entry names a `group`
 *                      ("" or absent is the core group; there is no group wildcard)
 *                      and `resources`: empty means every resource of the group;
 *                      "pods" matches only pods, "pods/exec" that subresource, "*"
 *                      every resource and subresource, "* /exec" (no space) that
 *                      subresource of every resource, "pods/*" pods and all its
 *                      subresources; `resourceNames` narrows to named objects;
 *   nonResourceURLs    non-resource requests only (a rule with only nonResourceURLs
 *                      never matches a resource request).
 *
 * The rules here ask, for a request of a given kind (a group, resource, subresource and
 * the verbs it can use), which rules *can* match it ('some': a selector such as users or
 * namespaces decides), and which match *every* such request ('all'): a rule after an
 * 'all' rule is never reached for that request.
 */
import { indexPath } from '../../engine/json-path';
import { sharedForObject } from '../../engine/pod-spec';
import { arr, isKindInGroup, isObject, prop, str } from '../../engine/values';

/** Whether the object is an audit Policy (audit.k8s.io, any version). */
export function isAuditPolicy(object: unknown): boolean {
  return isKindInGroup(object, 'Policy', 'audit.k8s.io');
}

/** One rule of an audit Policy, with its path. */
export interface AuditRuleEntry {
  readonly rule: { [key: string]: any };
  readonly path: string;
  readonly level: string | undefined;
}

/**
 * The rules of an audit Policy (none if the object is not one). The list is shared by
 * the audit rules that check the object, and frozen.
 */
export function auditRulesOf(object: unknown): readonly AuditRuleEntry[] {
  if (!isAuditPolicy(object)) return [];
  // read once per object and shared by the audit rules that check it
  return sharedForObject(object, auditRulesOf, readAuditRules);
}

function readAuditRules(object: unknown): readonly AuditRuleEntry[] {
  const out: AuditRuleEntry[] = [];
  arr(prop(object, 'rules')).forEach((rule, i) => {
    if (isObject(rule)) out.push(Object.freeze({ rule, path: indexPath('rules', i), level: str(prop(rule, 'level')) }));
  });
  return Object.freeze(out);
}

/** A kind of request. */
export interface AuditRequest {
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** The verbs such a request can use; absent means any verb. */
  readonly verbs?: readonly string[];
}

/** How much of a kind of request a rule matches. */
type Coverage = 'none' | 'some' | 'all';

function strings(v: unknown): string[] {
  return arr(v).filter((s): s is string => typeof s === 'string');
}

function resourceMatches(entry: string, req: AuditRequest): boolean {
  const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  if (entry === '*' || entry === combined) return true;
  if (req.subresource && entry === `*/${req.subresource}`) return true;
  return entry.endsWith('/*') && entry.slice(0, -2) === req.resource;
}

function resourceCoverage(rule: unknown, req: AuditRequest): Coverage {
  const groups = arr(prop(rule, 'resources'));
  if (groups.length === 0) return 'all';
  let best: Coverage = 'none';
  for (const gr of groups) {
    if (!isObject(gr)) continue;
    if ((str(prop(gr, 'group')) ?? '') !== req.group) continue;
    const resources = strings(prop(gr, 'resources'));
    if (resources.length > 0 && !resources.some((r) => resourceMatches(r, req))) continue;
    if (strings(prop(gr, 'resourceNames')).length > 0) best = 'some';
    else return 'all';
  }
  return best;
}

/** How much of a kind of resource request an audit rule matches. */
function coverageOf(rule: unknown, req: AuditRequest): Coverage {
  const hasResources = arr(prop(rule, 'resources')).length > 0;
  const hasNamespaces = strings(prop(rule, 'namespaces')).length > 0;
  if (!hasResources && !hasNamespaces && strings(prop(rule, 'nonResourceURLs')).length > 0) return 'none';
  let partial = hasNamespaces
    || strings(prop(rule, 'users')).length > 0
    || strings(prop(rule, 'userGroups')).length > 0;
  const verbs = strings(prop(rule, 'verbs'));
  if (verbs.length > 0) {
    if (req.verbs === undefined) {
      partial = true;
    } else {
      const matched = req.verbs.filter((v) => verbs.includes(v));
      if (matched.length === 0) return 'none';
      if (matched.length < req.verbs.length) partial = true;
    }
  }
  const resources = resourceCoverage(rule, req);
  if (resources === 'none') return 'none';
  return partial || resources === 'some' ? 'some' : 'all';
}

/**
 * The rules that the first-match walk reaches for a kind of request and that can match
 * it, in order, up to and including the first one that matches every such request.
 */
export function reachingRules(rules: readonly AuditRuleEntry[], req: AuditRequest): Array<AuditRuleEntry & { coverage: Coverage }> {
  const out: Array<AuditRuleEntry & { coverage: Coverage }> = [];
  for (const r of rules) {
    const coverage = coverageOf(r.rule, req);
    if (coverage === 'none') continue;
    out.push({ ...r, coverage });
    if (coverage === 'all') break;
  }
  return out;
}

/** An audit rule that is the first to match some kinds of request, with their names. */
export interface AuditRuleHit extends AuditRuleEntry {
  /** requestName of each kind of request it is the first match for, in request order. */
  readonly names: readonly string[];
}

/**
 * The rules that the first-match walk reaches for one or more of the requests and that
 * `keep` accepts for that request, in the order of `rules`, each with the names of those
 * requests (in the order of `requests`).
 */
export function firstMatchHits<R extends AuditRequest>(
  rules: readonly AuditRuleEntry[],
  requests: readonly R[],
  keep: (rule: AuditRuleEntry, request: R) => boolean,
): AuditRuleHit[] {
  const names = new Map<string, string[]>();
  for (const request of requests) {
    for (const hit of reachingRules(rules, request)) {
      if (!keep(hit, request)) continue;
      const list = names.get(hit.path);
      if (list) list.push(requestName(request));
      else names.set(hit.path, [requestName(request)]);
    }
  }
  const out: AuditRuleHit[] = [];
  for (const r of rules) {
    const hitNames = names.get(r.path);
    if (hitNames) out.push({ ...r, names: hitNames });
  }
  return out;
}

/** `pods/exec` (or `tokenreviews.authentication.k8s.io`) for messages. */
export function requestName(req: AuditRequest): string {
  const r = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  return req.group === '' ? r : `${r}.${req.group}`;
}
