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
      // (a request defaults to the limit: "other-only" sets limits.${resource}, so only the limit rules report it)
      ...(kind === 'limits' ? [[`spec.template.spec.containers[2].${field}`, lineOf(yaml, `${kind}: {${other}: "1"}`)]] : []),
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

describe.each([
  { rule: cpuRequests, resource: 'cpu', other: 'memory' },
  { rule: memoryRequests, resource: 'memory', other: 'cpu' },
] as const)('$rule.metadata.id: a request defaults to the limit', ({ rule, resource, other }) => {
  const id = rule.metadata.id;
  const field = `resources.requests.${resource}`;
  const workload = (kind: string, containers: string) => (kind === 'Pod'
    ? `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${containers.replace(/^/gm, '  ')}\n`
    : `apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n${containers.replace(/^/gm, '      ')}\n`);

  test.each(['Pod', 'Deployment', 'DaemonSet'])('%s: a container with a limit and no request passes', (kind) => {
    const yaml = workload(kind, `initContainers:
- {name: init, image: app:1, resources: {limits: {${resource}: "1"}}}
containers:
- {name: no-requests, image: app:1, resources: {limits: {${resource}: "1", ${other}: "1"}}}
- {name: other-request, image: app:1, resources: {limits: {${resource}: 2}, requests: {${other}: "1"}}}
- {name: null-requests, image: app:1, resources: {limits: {${resource}: "1"}, requests: null}}`);
    expect(check(yaml, id).findings).toEqual([]);
  });

  test.each(['Pod', 'Deployment'])('%s: no limit to default from, or a request present but empty, is still reported', (kind) => {
    const yaml = workload(kind, `containers:
- {name: other-limit, image: app:1, resources: {limits: {${other}: "1"}}}
- {name: empty-limit, image: app:1, resources: {limits: {${resource}: ""}}}
- {name: empty-request, image: app:1, resources: {limits: {${resource}: "1"}, requests: {${resource}: ""}}}
- {name: null-request, image: app:1, resources: {limits: {${resource}: "1"}, requests: {${resource}: null}}}
- {name: no-resources, image: app:1}`);
    const base = kind === 'Pod' ? 'spec' : 'spec.template.spec';
    expect(check(yaml, id).findings.map((f) => f.path)).toEqual([0, 1, 2, 3, 4].map((i) => `${base}.containers[${i}].${field}`));
  });

  test('the limit rules are not affected: a request does not default a limit', () => {
    const yaml = workload('Pod', `containers:\n- {name: a, image: app:1, resources: {requests: {${resource}: "1"}}}`);
    expect(check(yaml, resource === 'cpu' ? 'cpu-limits' : 'memory-limits').findings.map((f) => f.path)).toEqual([`spec.containers[0].resources.limits.${resource}`]);
  });
});
