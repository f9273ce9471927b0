/**
 * Lists: the adapter decides what a List is exactly as the engine does (`listItems`), so
 * that what it withholds during preview is what the engine would have judged.
 */
import { analyze, Captured, violatedPolicies } from './harness';
import { Engine } from '../../src/engine/engine';
import { listItems } from '../../src/engine/list-items';
import { isSetRule } from '../../src/engine/set-rule';
import { kubehardenPolicies, kubernetesTypeOf, UNKNOWN } from '../../src/pulumi';
import { toKubernetesObject } from '../../src/pulumi/resource-object';
import { RuleRunner } from '../../src/pulumi/rule-runner';

const privilegedPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'agent', namespace: 'shop' },
  spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0', securityContext: { privileged: true } }] },
};
const bogusSuppression = { 'ignore.kubeharden.io/no-such-rule': 'x' };

/** What the engine reports on objects, comparable across documents. */
function findingsOf(engine: Engine, objects: unknown[]): string[] {
  return engine.checkObjects(objects).findings
    .map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name ?? ''} ${f.path} ${f.suppressed}`)
    .sort();
}

describe('listItems', () => {
  test('the items of a list as kubectl reads one (any object with an items key: an array, or null for none), else undefined', () => {
    const items = [privilegedPod];
    expect(listItems({ apiVersion: 'v1', kind: 'List', items })).toBe(items);
    expect(listItems({ apiVersion: 'v1', kind: 'PodList', items })).toBe(items);
    expect(listItems({ apiVersion: 'v1', kind: 'PodList', items: null })).toEqual([]);
    // no items key: not a list to kubectl, whatever the kind
    expect(listItems({ apiVersion: 'v1', kind: 'PodList' })).toBeUndefined();
    expect(listItems({ apiVersion: 'v1', kind: 'PodList', items: undefined })).toBeUndefined();
    // an items key that is not an array: kubectl refuses the document (the engine reports it)
    expect(listItems({ apiVersion: 'v1', kind: 'PodList', items: 'pods' })).toBeUndefined();
    expect(listItems({ apiVersion: 'v1', kind: 'PodList', items: { 0: privilegedPod } })).toBeUndefined();
    // kubectl creates the items of any object with an items array, and drops the object
    expect(listItems({ apiVersion: 'v1', kind: 'ConfigMap', items })).toBe(items);
    expect(listItems({ apiVersion: 'v1', items })).toBe(items);
    for (const v of [undefined, null, 'PodList', 3, [privilegedPod]]) expect(listItems(v)).toBeUndefined();
  });

  test('the engine checks exactly what listItems yields: the items of a List, else the document itself', () => {
    const engine = new Engine();
    const docs: any[] = [
      { apiVersion: 'v1', kind: 'PodList', items: null, metadata: { annotations: bogusSuppression } },
      { apiVersion: 'v1', kind: 'PodList', metadata: { annotations: bogusSuppression } },
      { apiVersion: 'v1', kind: 'List', items: [privilegedPod], metadata: { annotations: bogusSuppression } },
      { apiVersion: 'v1', kind: 'PodList', items: [privilegedPod], metadata: { annotations: bogusSuppression } },
      { apiVersion: 'v1', kind: 'List', items: 'pods', metadata: { name: 'pods', annotations: bogusSuppression } },
      { apiVersion: 'v1', kind: 'ConfigMap', items: [privilegedPod], metadata: { name: 'cm', annotations: bogusSuppression } },
      privilegedPod,
    ];
    for (const doc of docs) {
      if (doc === docs[4]) continue; // refused: see below
      expect(findingsOf(engine, [doc])).toEqual(findingsOf(engine, listItems(doc) ?? [doc]));
    }
    // the cases differ: the wrapper, the items or the document itself carry the findings
    expect(findingsOf(engine, [docs[0]])).toEqual([]);
    expect(findingsOf(engine, [docs[1]]).some((f) => f.startsWith('invalid-suppression PodList'))).toBe(true);
    expect(findingsOf(engine, [docs[3]]).some((f) => f.startsWith('pss-privileged Pod/agent'))).toBe(true);
    // kubectl refuses a document whose items is not a list: an input error, no finding
    const refused = engine.checkObjects([docs[4]]);
    expect(refused.findings).toEqual([]);
    expect(refused.errors.map((e) => e.message)).toEqual([expect.stringMatching(/items must be a sequence/)]);
    // a ConfigMap with an items array is a list to kubectl: its items are created, not the ConfigMap
    expect(findingsOf(engine, [docs[5]]).some((f) => f.startsWith('pss-privileged Pod/agent'))).toBe(true);
    expect(findingsOf(engine, [docs[5]]).some((f) => f.startsWith('invalid-suppression ConfigMap/cm'))).toBe(false);
  });
});

describe('the adapter judges Lists as the engine does', () => {
  const podList = kubernetesTypeOf('kubernetes:core/v1:PodList')!;

  test('items: null is a List without items: no verdict is withheld over the wrapper\'s unknowns', () => {
    const options = { excludeNamespaces: ['legacy'] };
    const engine = new Engine(options);
    const ids = engine.rules.map((r) => r.metadata.id);
    const props = { apiVersion: 'v1', kind: 'PodList', metadata: { name: 'pods', namespace: UNKNOWN, annotations: UNKNOWN }, items: null };
    // whatever the unknowns turn out to be, the engine finds nothing in a List without items
    for (const metadata of [{ name: 'pods', namespace: 'legacy', annotations: bogusSuppression }, { name: 'pods', namespace: 'shop' }]) {
      expect(engine.checkObjects([{ ...props, metadata }]).findings).toEqual([]);
    }
    for (const rule of engine.rules) {
      const runner = new RuleRunner(rule, options, ids.filter((id) => id !== rule.metadata.id));
      const object = toKubernetesObject(podList, props);
      expect(object.unknowns).toBeDefined();
      expect([rule.metadata.id, runner.evaluate([object])]).toEqual([rule.metadata.id, { findings: [], withheld: false }]);
    }
  });

  test('unknown annotations (or namespace) of a List wrapper do not withhold the findings of its items', async () => {
    const options = { excludeNamespaces: ['legacy'] };
    const engine = new Engine(options);
    const setLevel = new Set(engine.rules.filter(isSetRule).map((r) => r.metadata.id));
    const policies = kubehardenPolicies(options);
    const list = (metadata: any, items: any[] = [privilegedPod]): Captured => ({
      type: 'kubernetes:core/v1:PodList',
      name: 'pods',
      urn: 'urn:pulumi:test::app::kubernetes:core/v1:PodList::pods',
      inputs: { apiVersion: 'v1', kind: 'PodList', metadata, items },
    });
    // the engine: the wrapper's annotations and namespace never suppress or exclude an item's findings
    const known = [
      { annotations: { 'ignore.kubeharden.io/pss-privileged': 'node agent needs host devices' }, namespace: 'legacy' },
      { annotations: bogusSuppression },
      {},
    ];
    const expected = (metadata: any) => [...new Set(engine.checkObjects([list(metadata).inputs]).findings
      .filter((f) => !f.suppressed && !setLevel.has(f.ruleId)).map((f) => f.ruleId))].sort();
    const engineVerdict = expected(known[0]);
    expect(engineVerdict).toContain('pss-privileged');
    for (const metadata of known) expect(expected(metadata)).toEqual(engineVerdict);
    // the adapter, with those values unknown: the same violations
    expect(violatedPolicies(await analyze(policies, list({ annotations: UNKNOWN })))).toEqual(engineVerdict);
    expect(violatedPolicies(await analyze(policies, list({ annotations: { 'ignore.kubeharden.io/pss-privileged': UNKNOWN } })))).toEqual(engineVerdict);
    expect(violatedPolicies(await analyze(policies, list({ annotations: UNKNOWN, namespace: UNKNOWN })))).toEqual(engineVerdict);
    // an item's own unknown annotations still might suppress its findings
    const item = { ...privilegedPod, metadata: { ...privilegedPod.metadata, annotations: UNKNOWN } };
    expect(violatedPolicies(await analyze(policies, list({}, [item])))).not.toContain('pss-privileged');
  });
});
