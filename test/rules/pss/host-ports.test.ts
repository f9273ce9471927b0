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
});
