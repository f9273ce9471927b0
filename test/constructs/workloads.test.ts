import { Testing } from 'cdk8s';
import { check, expectHardenedPod, IMAGE, one, podSpecOf, testChart, unsuppressed } from './util';
import { Profile } from '../../src';
import {
  ConcurrencyPolicy, HardenedCronJob, HardenedDaemonSet, HardenedDeployment, HardenedJob, HardenedStatefulSet,
} from '../../src/constructs';

describe.each([
  ['Deployment', (c: any) => new HardenedDeployment(c, 'w', { image: IMAGE })],
  ['StatefulSet', (c: any) => new HardenedStatefulSet(c, 'w', { image: IMAGE })],
  ['Job', (c: any) => new HardenedJob(c, 'w', { image: IMAGE })],
  ['CronJob', (c: any) => new HardenedCronJob(c, 'w', { image: IMAGE, schedule: '*/5 * * * *' })],
  ['DaemonSet', (c: any) => new HardenedDaemonSet(c, 'w', { image: IMAGE })],
])('%s with only the required props', (kind, make) => {
  const chart = testChart();
  const w = make(chart);
  const objects = Testing.synth(chart);
  const workload = one(objects, kind);

  test('is hardened', () => {
    expectHardenedPod(podSpecOf(workload));
    expect(podSpecOf(workload).serviceAccountName).toBe(one(objects, 'ServiceAccount').metadata.name);
    expect(workload.metadata.name).toBe(w.apiObject.name);
  });

  test('has zero findings in the hardened and restricted profiles', () => {
    expect(unsuppressed(check(objects))).toEqual([]);
    expect(unsuppressed(check(objects, Profile.RESTRICTED))).toEqual([]);
  });

  test('has its own deny-by-default NetworkPolicy', () => {
    const p = objects.find((o) => o.metadata.name === w.networkPolicy.name);
    expect(p.spec.podSelector.matchLabels).toEqual(w.pod.selectorLabels);
    expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });
});

test('StatefulSet: headless Service, volume claims mounted writable', () => {
  const chart = testChart();
  const db = new HardenedStatefulSet(chart, 'db', {
    image: IMAGE,
    name: 'db',
    ports: [{ port: 5432, name: 'postgres' }],
    storage: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '20Gi', storageClassName: 'encrypted' }],
    writablePaths: ['/var/run/postgresql'],
  });
  const objects = Testing.synth(chart);
  const sts = one(objects, 'StatefulSet');
  const svc = one(objects, 'Service');
  expect(svc.spec.clusterIP).toBe('None');
  expect(svc.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }]);
  expect(sts.spec.serviceName).toBe(db.service.name);
  expect(sts.spec.replicas).toBe(1);
  expect(sts.spec.volumeClaimTemplates).toEqual([{
    metadata: { name: 'data', labels: db.pod.selectorLabels },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'encrypted', resources: { requests: { storage: '20Gi' } } },
  }]);
  expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
  expect(unsuppressed(check(objects))).toEqual([]);
  expect(() => new HardenedStatefulSet(testChart(), 'x', { image: IMAGE, storage: [{ name: 'Bad', mountPath: '/d' }] })).toThrow(/DNS label/);
  expect(() => new HardenedStatefulSet(testChart(), 'x', { image: IMAGE, storage: [{ name: 'd', mountPath: 'rel' }] })).toThrow(/absolute/);
});

test('Job: never restarts in place, retry and clean-up limits', () => {
  const chart = testChart();
  new HardenedJob(chart, 'migrate', { image: IMAGE, args: ['up'], backoffLimit: 1, activeDeadlineSeconds: 600, completions: 1, parallelism: 1 });
  const job = one(Testing.synth(chart), 'Job');
  expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400, completions: 1, parallelism: 1 });
  expect(job.spec.template.spec.restartPolicy).toBe('Never');
  expect(() => new HardenedJob(testChart(), 'x', { image: IMAGE, backoffLimit: -1 })).toThrow(/backoffLimit/);
});

test('CronJob: schedule required and validated, safe concurrency defaults', () => {
  const chart = testChart();
  new HardenedCronJob(chart, 'report', { image: IMAGE, schedule: '@daily', timeZone: 'Etc/UTC', concurrencyPolicy: ConcurrencyPolicy.REPLACE });
  const cj = one(Testing.synth(chart), 'CronJob');
  expect(cj.spec).toMatchObject({
    schedule: '@daily',
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Replace',
    startingDeadlineSeconds: 300,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    suspend: false,
  });
  expect(cj.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  expect(cj.metadata.name.length).toBeLessThanOrEqual(52);
  for (const schedule of ['', 'every day', '* * *', '0 3 * * * *']) {
    expect(() => new HardenedCronJob(testChart(), 'x', { image: IMAGE, schedule })).toThrow(/not a cron schedule/);
  }
});

test('workloads refuse untagged images the same way', () => {
  expect(() => new HardenedStatefulSet(testChart(), 'x', { image: 'postgres' })).toThrow(/StatefulSet test\/x: container "main" image "postgres" has no tag/);
  expect(() => new HardenedJob(testChart(), 'x', { image: 'busybox:latest' })).toThrow(/Job test\/x: .*"latest"/);
  expect(() => new HardenedCronJob(testChart(), 'x', { image: 'busybox', schedule: '@daily' })).toThrow(/CronJob test\/x/);
});

test('a Job may be allowed to reach a database', () => {
  const chart = testChart();
  const db = new HardenedStatefulSet(chart, 'db', { image: IMAGE, ports: [{ port: 5432, name: 'postgres' }] });
  const job = new HardenedJob(chart, 'migrate', { image: IMAGE, allowTo: [{ peer: db.peer(), ports: [{ port: 5432 }] }] });
  db.allowFrom(job.peer());
  const objects = Testing.synth(chart);
  const dbPolicy = objects.find((o) => o.metadata.name === db.networkPolicy.name);
  expect(dbPolicy.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(job.pod.selectorLabels);
  expect(dbPolicy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
  expect(unsuppressed(check(objects))).toEqual([]);
});

test('count, path and name checks: exact messages', () => {
  const sched = '*/5 * * * *';
  expect(() => new HardenedDeployment(testChart(), 'w', { image: IMAGE, replicas: -1 }))
    .toThrow(new Error('Deployment test/w: replicas must be a whole number >= 0, got -1'));
  expect(() => new HardenedStatefulSet(testChart(), 'w', { image: IMAGE, replicas: 1.5 }))
    .toThrow(new Error('StatefulSet test/w: replicas must be a whole number >= 0, got 1.5'));
  expect(() => new HardenedCronJob(testChart(), 'w', { image: IMAGE, schedule: sched, successfulJobsHistoryLimit: -1 }))
    .toThrow(new Error('CronJob test/w: successfulJobsHistoryLimit must be a whole number >= 0, got -1'));
  expect(() => new HardenedCronJob(testChart(), 'w', { image: IMAGE, schedule: sched, completions: 0 }))
    .toThrow(new Error('CronJob test/w: completions must be a whole number >= 1, got 0'));
  expect(() => new HardenedJob(testChart(), 'w', { image: IMAGE, activeDeadlineSeconds: 0 }))
    .toThrow(new Error('Job test/w: activeDeadlineSeconds must be a whole number >= 1, got 0'));
  expect(() => new HardenedJob(testChart(), 'w', { image: IMAGE, backoffLimit: NaN }))
    .toThrow(new Error('Job test/w: backoffLimit must be a whole number >= 0, got NaN'));
  expect(() => new HardenedStatefulSet(testChart(), 'w', { image: IMAGE, storage: [{ name: 'd', mountPath: '/data/../etc' }] }))
    .toThrow(new Error('StatefulSet test/w: storage mount path "/data/../etc" must be an absolute path without ".."'));
  expect(() => new HardenedStatefulSet(testChart(), 'w', { image: IMAGE, storage: [{ name: 'd', mountPath: '/a' }, { name: 'd', mountPath: '/b' }] }))
    .toThrow(new Error('StatefulSet test/w: storage name "d" must be a unique DNS label'));
  expect(() => new HardenedStatefulSet(testChart(), 'w', { image: IMAGE, storage: [{ name: 'a'.repeat(64), mountPath: '/a' }] }))
    .toThrow(/storage name "a{64}" must be a unique DNS label/);
  expect(() => new HardenedDeployment(testChart(), 'w', { image: IMAGE, ports: [{ port: 80, name: '-web' }] }))
    .toThrow(/: port name "-web" must be at most 15 lowercase letters, digits and dashes, with a letter$/);
});

test('DaemonSet: rolling update one node at a time, a Service only when asked for, sidecars hardened too', () => {
  const chart = testChart();
  const ds = new HardenedDaemonSet(chart, 'agent', {
    image: IMAGE,
    ports: [{ port: 9100, name: 'metrics' }],
    service: true,
    sidecars: [{ name: 'shipper', image: IMAGE }],
  });
  const objects = Testing.synth(chart);
  const d = one(objects, 'DaemonSet');
  expect(d.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
  expect(d.spec.template.spec.containers.map((c: any) => c.name)).toHaveLength(2);
  expect(one(objects, 'Service').spec.selector).toEqual(ds.pod.selectorLabels);
  expect(unsuppressed(check(objects))).toEqual([]);
  expect(unsuppressed(check(objects, Profile.RESTRICTED))).toEqual([]);
  expect(() => new HardenedDaemonSet(testChart(), 'x', { image: IMAGE, service: true })).toThrow(/needs container ports/);
  expect(() => new HardenedDaemonSet(testChart(), 'y', { image: IMAGE, maxUnavailable: 0 })).toThrow(/maxUnavailable/);
});
