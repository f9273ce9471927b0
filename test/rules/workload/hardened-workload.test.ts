import { Engine, Profile } from '../../../src';
import { WORKLOAD_RULES } from '../../../src/rules/workload';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: web
        image: registry.example.com/web:1.2.3@${DIGEST}
        env:
        - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: "1", memory: 256Mi}
        securityContext:
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
        volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes:
      - {name: tmp, emptyDir: {}}
`;

test('a hardened Deployment passes every workload rule', () => {
  const report = new Engine({ profile: Profile.HARDENED, ruleOptions: { 'allowed-registries': { registries: ['registry.example.com'] } } }).checkText(yaml, 'x.yaml');
  expect(report.errors).toEqual([]);
  const ids = new Set(WORKLOAD_RULES.map((r) => r.metadata.id));
  expect(report.findings.filter((f) => ids.has(f.ruleId))).toEqual([]);
});

test('workload rules have unique kebab-case ids and belong to the hardened profile only', () => {
  const ids = WORKLOAD_RULES.map((r) => r.metadata.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of WORKLOAD_RULES) {
    expect(r.metadata.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(r.metadata.profiles).toEqual(['hardened']);
    expect(r.metadata.category).toBe('workload');
  }
});
