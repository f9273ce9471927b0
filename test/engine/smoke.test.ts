import { Engine, Profile } from '../../src';

test('privileged container is found with its path and line', () => {
  const yaml = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web, namespace: shop}',
    'spec:',
    '  template:',
    '    spec:',
    '      initContainers:',
    '      - name: a',
    '        image: a:1',
    '      - name: b',
    '        securityContext:',
    '          privileged: true',
    '      containers: []',
  ].join('\n');
  const report = new Engine({ profile: Profile.BASELINE }).checkText(`# leading\n---\n${yaml}\n`, 'x.yaml');
  expect(report.errors).toEqual([]);
  expect(report.findings).toHaveLength(1);
  expect(report.findings[0]).toMatchObject({
    ruleId: 'pss-privileged',
    path: 'spec.template.spec.initContainers[1].securityContext.privileged',
    line: 14,
    file: 'x.yaml',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
  });
});
