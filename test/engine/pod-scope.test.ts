/**
 * While the engine checks one object, its rules share the pod view, the container list
 * and the values derived from them; nothing is shared across objects or outside a check.
 */
import { Engine } from '../../src';
import { containersOf, enterPodScope, leavePodScope, podOf, sharedForObject, sharedForPod } from '../../src/engine/pod-spec';
import { defineRule } from '../../src/engine/rule';
import { Profile, Severity } from '../../src/engine/types';

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'a:1' }], initContainers: [{ name: 'init', image: 'b:1' }] } } },
});

describe('pod scope', () => {
  afterEach(() => leavePodScope());

  test('inside a scope the container list is computed once, frozen, and shared', () => {
    const object = deployment('web');
    enterPodScope(object);
    const pod = podOf(object)!;
    expect(podOf(object)).toBe(pod);
    const first = containersOf(pod);
    expect(first.map((c) => c.path)).toEqual(['spec.template.spec.containers[0]', 'spec.template.spec.initContainers[0]']);
    expect(Object.isFrozen(first)).toBe(true);
    expect(containersOf(pod)).toBe(first);
  });

  test('a new scope, or none, computes again', () => {
    const a = deployment('a');
    enterPodScope(a);
    const listA = containersOf(podOf(a)!);
    const b = deployment('b');
    enterPodScope(b);
    const listB = containersOf(podOf(b)!);
    expect(listB).not.toBe(listA);
    expect(listB[0].container).toBe(b.spec.template.spec.containers[0]);
    leavePodScope();
    const pod = podOf(b)!;
    expect(containersOf(pod)).not.toBe(containersOf(pod));
    expect(containersOf(pod)).toEqual(listB);
  });

  test('derived values are computed once per key inside a scope, and on each call outside', () => {
    const object = deployment('web');
    let calls = 0;
    const keyA = {};
    const keyB = {};
    const count = () => ++calls;
    enterPodScope(object);
    const pod = podOf(object)!;
    expect(sharedForPod(pod, keyA, count)).toBe(1);
    expect(sharedForPod(pod, keyA, count)).toBe(1);
    expect(sharedForPod(pod, keyB, count)).toBe(2);
    leavePodScope();
    expect(sharedForPod(pod, keyA, count)).toBe(3);
    expect(sharedForPod(pod, keyA, count)).toBe(4);
  });

  test('values derived from the object itself are shared the same way, and only for the object in scope', () => {
    const object = { kind: 'Role', rules: [] };
    const other = { kind: 'Role', rules: [] };
    let calls = 0;
    const key = {};
    const count = () => ++calls;
    enterPodScope(object);
    expect(sharedForObject(object, key, count)).toBe(1);
    expect(sharedForObject(object, key, count)).toBe(1);
    expect(sharedForObject(other, key, count)).toBe(2);
    expect(sharedForObject(other, key, count)).toBe(3);
    enterPodScope(other);
    expect(sharedForObject(other, key, count)).toBe(4);
    expect(sharedForObject(object, key, count)).toBe(5);
    leavePodScope();
    expect(sharedForObject(other, key, count)).toBe(6);
    expect(sharedForObject(undefined, key, count)).toBe(7);
  });

  test('the engine gives every rule of an object the same list, and each object its own', () => {
    const seen: { name: string; list: unknown }[] = [];
    const rule = (id: string) => defineRule({
      id,
      title: id,
      severity: Severity.LOW,
      category: 'test',
      profiles: [Profile.HARDENED],
      controls: [],
      rationale: 'test',
      remediation: 'test',
      kinds: ['Deployment'],
    }, (o) => {
      seen.push({ name: o.metadata.name, list: containersOf(podOf(o)!) });
      return [];
    });
    new Engine({ catalog: [rule('one'), rule('two')] }).checkObjects([deployment('a'), deployment('b')]);
    expect(seen.map((s) => s.name)).toEqual(['a', 'a', 'b', 'b']);
    expect(seen[1].list).toBe(seen[0].list);
    expect(seen[3].list).toBe(seen[2].list);
    expect(seen[2].list).not.toBe(seen[0].list);
  });
});
