/** A RoleBinding or ClusterRoleBinding fixture. */
export function binding(kind: string, roleRef: string, subjects: string, labels = ''): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: b
${kind === 'RoleBinding' ? '  namespace: app\n' : ''}${labels}roleRef:
${roleRef}subjects:
${subjects}`;
}
