import { findings, pod } from './pss-test-util';
import { hostPorts } from '../../../src/rules/pss/host-ports';

describe('pss-host-ports', () => {
  test('reports each non-zero hostPort', () => {
    expect(findings(hostPorts, pod(`
      containers:
      - name: web
        ports:
        - containerPort: 80
        - containerPort: 443
          hostPort: 443
      ephemeralContainers:
      - name: debug
        ports: [{containerPort: 9000, hostPort: 9000}]
    `))).toEqual([
      { path: 'spec.containers[0].ports[1].hostPort', message: 'container "web" must not use hostPort 443: remove hostPort (or set it to 0) and expose the port through a Service' },
      { path: 'spec.ephemeralContainers[0].ports[0].hostPort', message: 'ephemeral container "debug" must not use hostPort 9000: remove hostPort (or set it to 0) and expose the port through a Service' },
    ]);
  });

  test('allows hostPort 0 and no hostPort', () => {
    expect(findings(hostPorts, pod('containers: [{name: a, ports: [{containerPort: 80, hostPort: 0}, {containerPort: 81}]}]'))).toEqual([]);
  });

  describe('hostNetwork: true defaults each container port\'s hostPort to its containerPort', () => {
    const spec = `
      hostNetwork: true
      initContainers:
      - name: init
        ports: [{containerPort: 9100}]
      containers:
      - name: web
        ports:
        - containerPort: 8080
        - {containerPort: 8443, hostPort: 0}
        - {containerPort: 9000, hostPort: 9001}
        - {containerPort: 0}
      ephemeralContainers:
      - name: debug
    `;
    const defaulted = (who: string, port: number) => `${who} binds host port ${port}: with hostNetwork: true every container port is also a host port (hostPort defaults to containerPort); remove hostNetwork and expose the port through a Service`;

    test('a Pod: ports without hostPort (or with hostPort 0) are host ports', () => {
      expect(findings(hostPorts, pod(spec))).toEqual([
        { path: 'spec.initContainers[0].ports[0].hostPort', message: defaulted('init container "init"', 9100) },
        { path: 'spec.containers[0].ports[0].hostPort', message: defaulted('container "web"', 8080) },
        { path: 'spec.containers[0].ports[1].hostPort', message: defaulted('container "web"', 8443) },
        { path: 'spec.containers[0].ports[2].hostPort', message: 'container "web" must not use hostPort 9001: remove hostPort (or set it to 0) and expose the port through a Service' },
      ]);
    });

    test('a pod template too, at every version (the Pods created from it are defaulted)', () => {
      const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: agent}
spec:
  template:
    spec:
      hostNetwork: true
      containers: [{name: agent, ports: [{containerPort: 9100}]}]
`;
      for (const v of ['v1.0', 'v1.27', 'v1.28', 'latest']) {
        expect(findings(hostPorts, deployment, v)).toEqual([
          { path: 'spec.template.spec.containers[0].ports[0].hostPort', message: defaulted('container "agent"', 9100) },
        ]);
      }
    });

    test('without hostNetwork, or with hostNetwork: false, a port without hostPort passes', () => {
      const ports = 'containers: [{name: web, ports: [{containerPort: 8080}, {containerPort: 8443, hostPort: 0}]}]';
      expect(findings(hostPorts, pod(ports))).toEqual([]);
      expect(findings(hostPorts, pod(`hostNetwork: false\n${ports}`))).toEqual([]);
      expect(findings(hostPorts, pod(`hostNetwork: null\n${ports}`))).toEqual([]);
    });

    test('a hostNetwork pod without ports passes this check (host-namespaces reports hostNetwork)', () => {
      expect(findings(hostPorts, pod('hostNetwork: true\ncontainers: [{name: a}, {name: b, ports: []}]'))).toEqual([]);
    });
  });
});

