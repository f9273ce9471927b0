/**
 * While the engine checks one object, its rules share the pod view, the container list
 * and the values derived from them; nothing is shared across objects or outside a check.
 */
import { Engine } from '../../src';
import { containersOf, enterPodScope, leavePodScope, podOf, PodScope, sharedForObject, sharedForPod } from '../../src/engine/pod-spec';
import { defineRule } from '../../src/engine/rule';
import { Profile, Severity } from '../../src/engine/types';

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'a:1' }], initContainers: [{ name: 'init', image: 'b:1' }] } } },
});

describe('pod scope', () => {
  // what a session does around the rules of each object: its own scope, installed for one object
  const scope = new PodScope();
  let outer: PodScope | undefined;
  const enter = (object: unknown) => {
    outer = enterPodScope(scope, object);
  };
  const leave = () => leavePodScope(scope, outer);
  afterEach(() => leave());

  test('inside a scope the container list is computed once, frozen, and shared', () => {
    const object = deployment('web');
    enter(object);
    const pod = podOf(object)!;
    expect(podOf(object)).toBe(pod);
    const first = containersOf(pod);
    expect(first.map((c) => c.path)).toEqual(['spec.template.spec.containers[0]', 'spec.template.spec.initContainers[0]']);
    expect(Object.isFrozen(first)).toBe(true);
    expect(containersOf(pod)).toBe(first);
  });

  test('a new scope, or none, computes again', () => {
    const a = deployment('a');
    enter(a);
    const listA = containersOf(podOf(a)!);
    const b = deployment('b');
    enter(b);
    const listB = containersOf(podOf(b)!);
    expect(listB).not.toBe(listA);
    expect(listB[0].container).toBe(b.spec.template.spec.containers[0]);
    leave();
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
    enter(object);
    const pod = podOf(object)!;
    expect(sharedForPod(pod, keyA, count)).toBe(1);
    expect(sharedForPod(pod, keyA, count)).toBe(1);
    expect(sharedForPod(pod, keyB, count)).toBe(2);
    leave();
    expect(sharedForPod(pod, keyA, count)).toBe(3);
    expect(sharedForPod(pod, keyA, count)).toBe(4);
  });

  test('values derived from the object itself are shared the same way, and only for the object in scope', () => {
    const object = { kind: 'Role', rules: [] };
    const other = { kind: 'Role', rules: [] };
    let calls = 0;
    const key = {};
    const count = () => ++calls;
    enter(object);
    expect(sharedForObject(object, key, count)).toBe(1);
    expect(sharedForObject(object, key, count)).toBe(1);
    expect(sharedForObject(other, key, count)).toBe(2);
    expect(sharedForObject(other, key, count)).toBe(3);
    enter(other);
    expect(sharedForObject(other, key, count)).toBe(4);
    expect(sharedForObject(object, key, count)).toBe(5);
    leave();
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

  test('a nested scope (a rule that runs an engine of its own) gives the outer one back', () => {
    const object = deployment('outer');
    enter(object);
    const pod = podOf(object)!;
    const list = containersOf(pod);
    const inner = new PodScope();
    const inside = deployment('inner');
    const previous = enterPodScope(inner, inside);
    expect(previous).toBe(scope);
    expect(containersOf(podOf(inside)!)).toBe(containersOf(podOf(inside)!));
    // the outer object is not the inner scope's: computed on each call meanwhile
    expect(containersOf(pod)).not.toBe(list);
    leavePodScope(inner, previous);
    expect(inner.object).toBeUndefined();
    expect(podOf(object)).toBe(pod);
    expect(containersOf(pod)).toBe(list);
  });

  test('leaving releases the object and everything derived from it', () => {
    const object = deployment('web');
    enter(object);
    containersOf(podOf(object)!);
    sharedForObject(object, {}, () => 1);
    leave();
    expect(scope.object).toBeUndefined();
    expect(scope.pod).toBeNull();
    expect(scope.containers).toBeUndefined();
    expect(scope.derived).toHaveLength(0);
  });

  test('two engines checking objects in turn each share within their own object', () => {
    const seen: unknown[] = [];
    const rule = defineRule({
      id: 'nested',
      title: 'nested',
      severity: Severity.LOW,
      category: 'test',
      profiles: [Profile.HARDENED],
      controls: [],
      rationale: 'test',
      remediation: 'test',
      kinds: ['Deployment'],
    }, (o) => {
      const before = containersOf(podOf(o)!);
      if (o.metadata.name === 'a') new Engine({ catalog: [rule2] }).checkObjects([deployment('b')]);
      seen.push(before === containersOf(podOf(o)!));
      return [];
    });
    const rule2 = defineRule({ ...rule.metadata, id: 'inner' }, (o) => {
      seen.push(containersOf(podOf(o)!) === containersOf(podOf(o)!));
      return [];
    });
    new Engine({ catalog: [rule] }).checkObjects([deployment('a')]);
    expect(seen).toEqual([true, true]);
  });
});
