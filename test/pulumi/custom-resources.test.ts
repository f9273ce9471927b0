/**
 * The policy pack judges the pods inside custom resources as the engine does (built-in
 * kinds and kinds declared with podTemplates), under their own type tokens.
 */
import { analyze, Captured, violatedPolicies } from './harness';
import { Profile } from '../../src/engine/types';
import { kubehardenPolicies } from '../../src/pulumi';

const privileged = { name: 'app', image: 'registry.example.com/app:1.0', securityContext: { privileged: true } };

const resource = (apiVersion: string, kind: string, spec: object): Captured => ({
  type: `kubernetes:${apiVersion}:${kind}`,
  name: 'cr',
  urn: `urn:pulumi:test::app::kubernetes:${apiVersion}:${kind}::cr`,
  inputs: { apiVersion, kind, metadata: { name: 'cr', namespace: 'team' }, spec },
});

test('an Argo Rollout with a privileged container violates pss-privileged', async () => {
  const policies = kubehardenPolicies({ profile: Profile.BASELINE });
  const rollout = resource('argoproj.io/v1alpha1', 'Rollout', { template: { spec: { containers: [privileged] } } });
  expect(violatedPolicies(await analyze(policies, rollout))).toContain('pss-privileged');
  const fine = resource('argoproj.io/v1alpha1', 'Rollout', { template: { spec: { containers: [{ ...privileged, securityContext: {} }] } } });
  expect(violatedPolicies(await analyze(policies, fine))).not.toContain('pss-privileged');
});

test('a Tekton Task and a declared in-house kind are judged too', async () => {
  const policies = kubehardenPolicies({ profile: Profile.BASELINE, podTemplates: [{ apiVersion: 'ci.example.com/*', kind: 'Runner', paths: ['spec.pod'] }] });
  expect(violatedPolicies(await analyze(policies, resource('tekton.dev/v1', 'Task', { steps: [privileged] })))).toContain('pss-privileged');
  expect(violatedPolicies(await analyze(policies, resource('ci.example.com/v1', 'Runner', { pod: { spec: { containers: [privileged] } } })))).toContain('pss-privileged');
  const undeclared = kubehardenPolicies({ profile: Profile.BASELINE });
  expect(violatedPolicies(await analyze(undeclared, resource('ci.example.com/v1', 'Runner', { pod: { spec: { containers: [privileged] } } })))).not.toContain('pss-privileged');
});
