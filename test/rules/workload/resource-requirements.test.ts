/**
 * The four resource rules (cpu-requests, cpu-limits, memory-requests, memory-limits)
 * share one check over resources.<kind>.<resource>; each is tested here with its own
 * fixture built from the same shape.
 */
import { cpuLimits } from '../../../src/rules/workload/cpu-limits';
import { cpuRequests } from '../../../src/rules/workload/cpu-requests';
import { memoryLimits } from '../../../src/rules/workload/memory-limits';
import { memoryRequests } from '../../../src/rules/workload/memory-requests';
import { check, expectTotal, lineOf } from '../hardened-check';

const CASES = [
  { rule: cpuRequests, kind: 'requests', resource: 'cpu', other: 'memory', what: 'a cpu request' },
  { rule: cpuLimits, kind: 'limits', resource: 'cpu', other: 'memory', what: 'a cpu limit' },
  { rule: memoryRequests, kind: 'requests', resource: 'memory', other: 'cpu', what: 'a memory request' },
  { rule: memoryLimits, kind: 'limits', resource: 'memory', other: 'cpu', what: 'a memory limit' },
] as const;

describe.each(CASES)('$rule.metadata.id', ({ rule, kind, resource, other, what }) => {
  const otherKind = kind === 'limits' ? 'requests' : 'limits';
  const id = rule.metadata.id;
  const field = `resources.${kind}.${resource}`;
  // containers: set, empty string, only the other resource and kind, numeric value
  const yaml = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: app:1
      containers:
      - name: set
        image: app:1
        resources:
          ${kind}: {${resource}: "1"}
      - name: empty
        image: app:1
        resources:
          ${kind}:
            ${resource}: ""
      - name: other-only
        image: app:1
        resources:
          ${kind}: {${other}: "1"}
          ${otherKind}: {${resource}: "1"}
      - name: numeric
        image: app:1
        resources: {${kind}: {${resource}: 2}}
      ephemeralContainers:
      - name: debug
        image: busybox:1.36
`;

  test(`one finding per container (and init container) without ${field}`, () => {
    const { findings } = check(yaml, id);
    expect(findings.map((f) => [f.path, f.line])).toEqual([
      [`spec.template.spec.initContainers[0].${field}`, lineOf(yaml, '- name: migrate')],
      [`spec.template.spec.containers[1].${field}`, lineOf(yaml, `${resource}: ""`)],
      [`spec.template.spec.containers[2].${field}`, lineOf(yaml, `${kind}: {${other}: "1"}`)],
    ]);
    expect(findings[0].message).toBe(`init container "migrate" must set ${field} (${what})`);
    expect(findings[1].message).toContain('container "empty"');
  });

  test('passes when every container sets it; ephemeral containers are exempt', () => {
    const ok = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: app:1
    resources: {${kind}: {${resource}: 100m}}
  ephemeralContainers:
  - name: debug
    image: busybox:1.36
`;
    expect(check(ok, id).findings).toEqual([]);
  });

  test('never throws on wrong-typed input', () => {
    expectTotal(rule, {
      kind: 'Deployment',
      spec: { template: { spec: { containers: [{ name: 'a', resources: { [kind]: { [resource]: '1' } } }], initContainers: [{ name: 'b' }] } } },
    });
  });
});
