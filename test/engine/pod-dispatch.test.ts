/**
 * The session hands pod rules the pod it found once per object (podCheckOf): that shortcut
 * must say exactly what the rule's own check says on the whole object, for every pod rule,
 * over the pod-security-admission fixtures and workloads of every kind.
 */
import * as fs from 'fs';
import { Engine } from '../../src/engine/engine';
import { decodeManifestStream } from '../../src/engine/input/decode';
import { podOf } from '../../src/engine/pod-spec';
import { podCheckOf } from '../../src/engine/rule';
import { Profile } from '../../src/engine/types';
import { psaFixtures } from '../fixtures/psa';

test('every pod rule: the check of the pod equals the check of the object', () => {
  const engine = new Engine({ profile: Profile.HARDENED });
  const contexts = engine._setup().contexts;
  const podRules = engine.rules.filter((r) => podCheckOf(r));
  expect(podRules.length).toBeGreaterThan(20);
  const decode = (file: string) => decodeManifestStream(fs.readFileSync(file)).flatMap((d) => d.objects.map((o) => o.value));
  const objects = psaFixtures().slice(0, 1500).flatMap((f) => decode(f.file));
  const wrap = (spec: any) => [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { metadata: {}, spec } } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec } } } } },
  ];
  const all = objects.flatMap((o: any) => [o, ...wrap(o.spec)]);
  let compared = 0;
  for (const o of all) {
    const pod = podOf(o);
    if (!pod) continue;
    for (const rule of podRules) {
      const context = contexts.get(rule.metadata.id)!;
      expect(podCheckOf(rule)!._checkPod(pod, context)).toEqual(rule.check(o, context));
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(50000);
});
