import { Testing } from 'cdk8s';
import { hasModel, schemaError } from './schema';
import { seal } from './sealing';
import { IMAGE, testChart } from './util';
import { buildApp } from '../../examples/app/main';
import {
  DefaultDenyNetworkPolicy, HardenedCronJob, HardenedDeployment, HardenedJob, HardenedNamespace, HardenedStatefulSet,
  LeastPrivilegeRole, SealedSecretRef, SealingScope, SubjectKind,
} from '../../src/constructs';

test('every construct synthesizes schema-valid objects', () => {
  const chart = testChart();
  new HardenedNamespace(chart, 'ns', { name: 'shop', quota: { pods: 10, limitsMemory: '8Gi' }, limits: { maxCpu: '2' } });
  const secret = new SealedSecretRef(chart, 's', { name: 'creds', encryptedData: { password: seal('x', 'shop', 'creds') } });
  new SealedSecretRef(chart, 'wide', { name: 'wide', encryptedData: { k: seal('y') }, scope: SealingScope.NAMESPACE_WIDE, scopeAcknowledgement: { reason: 'renamed by the operator at runtime' } });
  const db = new HardenedStatefulSet(chart, 'db', { image: IMAGE, ports: [{ port: 5432, name: 'pg' }], storage: [{ name: 'data', mountPath: '/data', size: '5Gi' }] });
  const api = new HardenedDeployment(chart, 'api', {
    image: IMAGE,
    ports: [{ port: 8080 }],
    env: { A: 'b' },
    secretEnv: { P: secret.envValue('password') },
    secretVolumes: [secret.volume('/etc/creds')],
    readinessProbe: { httpPath: '/ready' },
    livenessProbe: { command: ['true'] },
    startupProbe: { initialDelaySeconds: 2 },
    allowTo: [{ peer: db.peer(), ports: [{ port: 5432 }] }, { peer: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, ports: [{ port: 443, endPort: 444 }] }],
  });
  db.allowFrom(api.peer());
  new HardenedJob(chart, 'job', { image: IMAGE, activeDeadlineSeconds: 60 });
  new HardenedCronJob(chart, 'cron', { image: IMAGE, schedule: '0 * * * *', timeZone: 'Etc/UTC' });
  new LeastPrivilegeRole(chart, 'role', { permissions: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], subjects: [{ kind: SubjectKind.GROUP, name: 'g' }] }).bindWorkload(api);
  new LeastPrivilegeRole(chart, 'cr', { clusterWide: true, permissions: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get'] }], subjects: [{ kind: SubjectKind.USER, name: 'u' }] });
  new DefaultDenyNetworkPolicy(chart, 'deny2', { namespace: 'other' }).allowIngress({ peer: { namespaceLabels: { a: 'b' } } });
  const objects = Testing.synth(chart);
  expect(new Set(objects.map((o) => o.kind)).size).toBeGreaterThanOrEqual(14);
  expect(objects.filter(hasModel).map(schemaError).filter((e) => e !== undefined)).toEqual([]);
});

test('the schema validation does catch invalid objects', () => {
  const chart = testChart();
  new HardenedDeployment(chart, 'api', { image: IMAGE });
  const d = Testing.synth(chart).find((o) => o.kind === 'Deployment');
  d.spec.replicas = 'three';
  expect(schemaError(d)).toMatch(/replicas/);
});

test('the example app synthesizes schema-valid objects', () => {
  const app = buildApp({ outdir: '/tmp/kubeharden-example-unused' });
  const objects = app.charts.flatMap((c) => c.toJson());
  expect(objects.length).toBeGreaterThan(20);
  expect(objects.filter(hasModel).map(schemaError).filter((e) => e !== undefined)).toEqual([]);
});
