/* eslint-disable @typescript-eslint/no-require-imports */

/**
 * Validates a synthesized object against the official Kubernetes (kubernetes-models)
 * or Bitnami sealed-secrets (@kubernetes-models/sealed-secrets) schema of its kind.
 * audit.k8s.io Policy is not a served API and has no model: it is not validated here.
 *
 * @returns the validation error message, or undefined when the object is valid
 */
export function schemaError(o: any): string | undefined {
  const model = modelOf(o.apiVersion, o.kind);
  try {
    new model(o).validate();
    return undefined;
  } catch (e) {
    return `${o.kind}/${o.metadata?.name}: ${(e as Error).message}`;
  }
}

/** Whether the object has a schema model. */
export function hasModel(o: any): boolean {
  return o.apiVersion !== 'audit.k8s.io/v1';
}

function modelOf(apiVersion: string, kind: string): any {
  if (apiVersion === 'bitnami.com/v1alpha1') {
    return require('@kubernetes-models/sealed-secrets/bitnami.com/v1alpha1')[kind];
  }
  const mod = require(`kubernetes-models/${apiVersion}`);
  if (!mod[kind]) throw new Error(`no kubernetes-models model for ${apiVersion} ${kind}`);
  return mod[kind];
}
