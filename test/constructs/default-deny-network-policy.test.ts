import { Chart, Testing } from 'cdk8s';
import { check, IMAGE, unsuppressed } from './util';
import { DefaultDenyNetworkPolicy, HardenedDeployment, NetworkProtocol } from '../../src/constructs';

describe('DefaultDenyNetworkPolicy', () => {
  test('denies all ingress and egress, allows DNS by default', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const deny = new DefaultDenyNetworkPolicy(chart, 'deny');
    const [policy, dns] = Testing.synth(chart);
    expect(policy).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: deny.apiObject.name, namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] },
    });
    expect(dns.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
  });

  test('allowDns: false and an explicit namespace', () => {
    const chart = new Chart(Testing.app(), 'c');
    new DefaultDenyNetworkPolicy(chart, 'deny', { namespace: 'payments', allowDns: false });
    const objects = Testing.synth(chart);
    expect(objects).toHaveLength(1);
    expect(objects[0].metadata.namespace).toBe('payments');
  });

  test('helpers: ingress from pods/namespaces by label, egress to pods/namespaces/CIDRs on ports', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const deny = new DefaultDenyNetworkPolicy(chart, 'deny', { allowDns: false });
    const a = deny.allowIngress({ peer: { namespaceLabels: { team: 'edge' }, podLabels: { app: 'ingress' } }, ports: [{ port: 8080 }], podLabels: { app: 'web' } });
    const b = deny.allowIngress({ peer: { podLabels: { app: 'web' } }, podLabels: { app: 'api' } });
    const c = deny.allowEgress({ peer: { cidr: '10.0.0.0/8', except: ['10.0.5.0/24'] }, ports: [{ port: 5432 }, { port: 9000, endPort: 9010, protocol: NetworkProtocol.UDP }] });
    const d = deny.allowEgress({ peer: { namespaceName: 'monitoring' }, ports: [{ port: 4317 }], podLabels: { app: 'api' } });
    const e = deny.allowDnsEgress({ app: 'api' });
    const byName = (n: string) => Testing.synth(chart).find((o) => o.metadata.name === n);
    expect(byName(a.name).spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'edge' } }, podSelector: { matchLabels: { app: 'ingress' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
    expect(byName(b.name).spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }]);
    expect(byName(c.name).spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.5.0/24'] } }],
        ports: [{ protocol: 'TCP', port: 5432 }, { protocol: 'UDP', port: 9000, endPort: 9010 }],
      }],
    });
    expect(byName(d.name).spec.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    expect(byName(e.name).spec.podSelector).toEqual({ matchLabels: { app: 'api' } });
    expect(unsuppressed(check(Testing.synth(chart)))).toEqual([]);
  });

  test.each([
    [{ cidr: '10.0.0.0/8', podLabels: { a: 'b' } }, /either a CIDR/],
    [{ cidr: '300.0.0.0/8' }, /not a CIDR/],
    [{ cidr: '10.0.0.0/8', except: ['x'] }, /not a CIDR/],
    [{}, /needs podLabels/],
    [{ namespaceName: 'a', namespaceLabels: { a: 'b' } }, /not both/],
  ])('refuses peer %j', (peer, message) => {
    const deny = new DefaultDenyNetworkPolicy(new Chart(Testing.app(), 'c'), 'deny');
    expect(() => deny.allowEgress({ peer })).toThrow(message);
  });

  test('refuses bad ports', () => {
    const deny = new DefaultDenyNetworkPolicy(new Chart(Testing.app(), 'c'), 'deny');
    expect(() => deny.allowEgress({ peer: { cidr: '::/0' }, ports: [{ port: 0 }] })).toThrow(/1-65535/);
    expect(() => deny.allowEgress({ peer: { cidr: '::/0' }, ports: [{ port: 100, endPort: 50 }] })).toThrow(/endPort/);
  });

  test('a namespace with workloads and the default deny has zero findings', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new DefaultDenyNetworkPolicy(chart, 'deny');
    new HardenedDeployment(chart, 'web', { image: IMAGE });
    expect(unsuppressed(check(Testing.synth(chart)))).toEqual([]);
  });
});
