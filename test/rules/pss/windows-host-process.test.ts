import { findings, pod } from './pss-test-util';
import { windowsHostProcess } from '../../../src/rules/pss/windows-host-process';

describe('pss-windows-host-process', () => {
  test('reports hostProcess on the pod and containers', () => {
    expect(findings(windowsHostProcess, pod(`
      securityContext:
        windowsOptions: {hostProcess: true}
      containers:
      - name: app
        securityContext:
          windowsOptions: {hostProcess: true}
      - name: ok
        securityContext:
          windowsOptions: {hostProcess: false}
    `))).toEqual([
      { path: 'spec.securityContext.windowsOptions.hostProcess', message: 'pod must not set securityContext.windowsOptions.hostProcess to true: remove it or set it to false' },
      { path: 'spec.containers[0].securityContext.windowsOptions.hostProcess', message: 'container "app" must not set securityContext.windowsOptions.hostProcess to true: remove it or set it to false' },
    ]);
  });
});
