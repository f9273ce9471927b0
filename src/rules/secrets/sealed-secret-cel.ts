/**
 * CEL building blocks of the SealedSecret rules' admission forms. A custom resource
 * reaches a policy as its JSON (with no typed defaults), and the SealedSecret CRD marks
 * `spec.template.metadata` and `spec.template.data` nullable: a field may be present and
 * null, which `has()` alone does not tell, and a field of null cannot be selected.
 */

/** CEL: every field down the path is set and is a map (not null). */
export function mapAt(base: string, ...fields: string[]): string {
  const out: string[] = [];
  for (let i = 1; i <= fields.length; i++) {
    const path = [base, ...fields.slice(0, i)].join('.');
    out.push(`has(${path})`, `type(${path}) == map`);
  }
  return `(${out.join(' && ')})`;
}
