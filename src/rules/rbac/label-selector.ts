/*
 * Label selectors as the aggregation controller reads an aggregationRule's
 * clusterRoleSelectors (metav1.LabelSelectorAsSelector, labels.Requirement.Matches):
 *   - no matchLabels and no matchExpressions: labels.Everything(), every ClusterRole;
 *     a `null` entry of clusterRoleSelectors decodes as that empty selector;
 *   - matchLabels k: v             the label k is present with value v;
 *   - In [v...]                    the label is present with one of the values;
 *   - NotIn [v...]                 the label is absent, or its value is none of them;
 *   - Exists / DoesNotExist        the label is present / absent;
 *   all of them at once (AND). In and NotIn need values, Exists and DoesNotExist take
 *   none, and any other operator is an error: such a selector makes the controller fail
 *   (and the API server refuse the ClusterRole), so it selects nothing here.
 */
import { isObject, prop, str } from '../../engine/values';

/** Whether the selector has no requirement at all (it selects everything). */
export function isEmptySelector(selector: unknown): boolean {
  if (selector === null) return true;
  if (!isObject(selector)) return false;
  const labels = prop(selector, 'matchLabels');
  const exprs = prop(selector, 'matchExpressions');
  return (labels === undefined || labels === null || (isObject(labels) && Object.keys(labels).length === 0))
    && (exprs === undefined || exprs === null || (Array.isArray(exprs) && exprs.length === 0));
}

/** Whether a selector of clusterRoleSelectors selects an object with these labels. */
export function selectorMatches(selector: unknown, labels: { readonly [key: string]: string }): boolean {
  if (selector === null) return true;
  if (!isObject(selector)) return false;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  const matchLabels = prop(selector, 'matchLabels');
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isObject(matchLabels)) return false;
    for (const k of Object.keys(matchLabels)) {
      if (typeof matchLabels[k] !== 'string' || !has(k) || labels[k] !== matchLabels[k]) return false;
    }
  }
  const exprs = prop(selector, 'matchExpressions');
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) return false;
    for (const e of exprs) {
      const key = str(prop(e, 'key'));
      const raw = prop(e, 'values');
      const values = raw === undefined || raw === null ? [] : raw;
      if (key === undefined || !Array.isArray(values) || !values.every((v) => typeof v === 'string')) return false;
      switch (prop(e, 'operator')) {
        case 'In':
          if (values.length === 0 || !has(key) || !values.includes(labels[key])) return false;
          break;
        case 'NotIn':
          if (values.length === 0 || (has(key) && values.includes(labels[key]))) return false;
          break;
        case 'Exists':
          if (values.length > 0 || !has(key)) return false;
          break;
        case 'DoesNotExist':
          if (values.length > 0 || has(key)) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}

/** The string labels of an object's metadata. */
export function labelsOf(object: unknown): { [key: string]: string } {
  const out: { [key: string]: string } = Object.create(null);
  const labels = prop(prop(object, 'metadata'), 'labels');
  if (!isObject(labels)) return out;
  for (const k of Object.keys(labels)) if (typeof labels[k] === 'string') out[k] = labels[k];
  return out;
}
