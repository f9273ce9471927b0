import { Chart, Testing } from 'cdk8s';
import { check, IMAGE, one, unsuppressed } from './util';
import { HardenedDeployment, HardenedNamespace } from '../../src/constructs';

describe('HardenedNamespace', () => {
  test('PSA restricted enforce/audit/warn pinned, a default deny, zero findings with workloads', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const ns = new HardenedNamespace(chart, 'ns', { name: 'shop', labels: { team: 'web' } });
    new HardenedDeployment(chart, 'web', { image: IMAGE });
    const objects = Testing.synth(chart);
    const n = one(objects, 'Namespace');
    expect(n.metadata).toEqual({
      name: 'shop',
      labels: {
        'team': 'web',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.33',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'v1.33',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.33',
      },
    });
    const deny = objects.find((o) => o.metadata.name === ns.defaultDeny.apiObject.name);
    expect(deny.metadata.namespace).toBe('shop');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
    expect(objects.filter((o) => o.kind === 'ResourceQuota' || o.kind === 'LimitRange')).toEqual([]);
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test('optional ResourceQuota and LimitRange', () => {
    const chart = new Chart(Testing.app(), 'c');
    new HardenedNamespace(chart, 'ns', {
      name: 'shop',
      podSecurityVersion: 'v1.35',
      quota: { requestsCpu: '4', limitsCpu: '8', requestsMemory: '8Gi', limitsMemory: '16Gi', pods: 40, persistentVolumeClaims: 5, requestsStorage: '100Gi' },
      limits: { defaultCpuLimit: '1', maxMemory: '4Gi' },
    });
    const objects = Testing.synth(chart);
    expect(one(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.35');
    expect(one(objects, 'ResourceQuota')).toMatchObject({
      metadata: { namespace: 'shop' },
      spec: {
        hard: {
          'requests.cpu': '4',
          'limits.cpu': '8',
          'requests.memory': '8Gi',
          'limits.memory': '16Gi',
          'requests.storage': '100Gi',
          'pods': '40',
          'persistentvolumeclaims': '5',
          'services.nodeports': '0',
          'services.loadbalancers': '0',
        },
      },
    });
    expect(one(objects, 'LimitRange').spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      default: { cpu: '1', memory: '256Mi' },
      max: { memory: '4Gi' },
    }]);
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test.each([
    [{ name: 'Shop' }, /DNS label/],
    [{ name: 'shop', podSecurityVersion: 'latest' }, /pin a Kubernetes version/],
  ])('refuses %j', (props, message) => {
    expect(() => new HardenedNamespace(new Chart(Testing.app(), 'c'), 'ns', props)).toThrow(message);
  });
});
