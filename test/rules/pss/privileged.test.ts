import { findings, pod } from './pss-test-util';
import { privileged } from '../../../src/rules/pss/privileged';

describe('pss-privileged', () => {
  test('reports every privileged container, init container and ephemeral container', () => {
    expect(findings(privileged, pod(`
      containers:
      - name: app
        securityContext: {privileged: true}
      - name: ok
        securityContext: {privileged: false}
      initContainers:
      - name: setup
        securityContext: {privileged: true}
      ephemeralContainers:
      - name: debug
        securityContext: {privileged: true}
    `))).toEqual([
      { path: 'spec.containers[0].securityContext.privileged', message: 'container "app" must not set securityContext.privileged to true: remove it or set it to false' },
      { path: 'spec.initContainers[0].securityContext.privileged', message: 'init container "setup" must not set securityContext.privileged to true: remove it or set it to false' },
      { path: 'spec.ephemeralContainers[0].securityContext.privileged', message: 'ephemeral container "debug" must not set securityContext.privileged to true: remove it or set it to false' },
    ]);
  });

  test('finds the pod template of a Deployment', () => {
    const manifest = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: d}', 'spec:', '  template:', '    spec:',
      '      initContainers:', '      - name: a', '      - name: b', '        securityContext: {privileged: true}',
    ].join('\n');
    expect(findings(privileged, manifest).map((f) => f.path)).toEqual(['spec.template.spec.initContainers[1].securityContext.privileged']);
  });

  test('allows unset and false', () => {
    expect(findings(privileged, pod(`
      containers:
      - name: a
      - name: b
        securityContext: {privileged: false}
    `))).toEqual([]);
  });
});
