/**
 * The regular expressions users give as `secretNamePatterns` run in JavaScript in
 * `kubeharden check` and in RE2 (CEL's `matches`) in the admission policies. The options
 * validator takes only the patterns it holds to read the same way in both
 * (src/engine/patterns.ts). This test holds it to that: patterns generated from the
 * whole grammar it takes, matched against ConfigMap keys by the engine and by the
 * policies that Kubernetes' own admission code evaluates; the verdicts must be the same.
 */
import * as fc from 'fast-check';
import { isCaseError, rulePolicySet, startAdmissionOracle, AdmissionOracle } from './admission-oracle';
import { Engine, Profile } from '../../src';
import { portablePatternProblem } from '../../src/engine/patterns';

jest.setTimeout(20 * 60 * 1000);

const RULE = 'configmap-credentials';

let oracle: AdmissionOracle;
beforeAll(async () => {
  oracle = await startAdmissionOracle();
});
afterAll(async () => {
  await oracle?.close();
});

/** Patterns of the grammar the validator takes: literals, escapes, classes, groups, counts, anchors, alternation. */
const atom: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a', 'B', 'z', 'K', 'k', 's', 'S', '0', '7', '_', '-', '.', 'x', 'Y'),
  fc.constantFrom('\\.', '\\-', '\\_', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\b', '\\B', '^', '$', '\\$', '\\^'),
  fc.constantFrom('[a-z]', '[^a-z]', '[A-Z0-9]', '[_.-]', '[^-]', '[\\w.]', '[\\d]', '[k]', '[^_]', '[a\\-z]', '[a-\\d]', '[-\\d]'),
);
const pattern: fc.Arbitrary<string> = fc.letrec<{ expr: string; term: string; piece: string }>((tie) => ({
  piece: fc.tuple(
    fc.oneof({ weight: 4, arbitrary: atom }, { weight: 1, arbitrary: tie('expr').map((e) => `(${e})`) }, { weight: 1, arbitrary: tie('expr').map((e) => `(?:${e})`) }),
    // counts RE2 reads otherwise ({01}) are in the grammar: the validator must refuse them
    fc.constantFrom('', '', '', '*', '+', '?', '*?', '+?', '??', '{2}', '{1,3}', '{2,}', '{0,1}', '{01}', '{1,02}'),
  ).map(([a, q]) => a + q),
  term: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((ps) => ps.join('')),
  expr: fc.array(tie('term'), { minLength: 1, maxLength: 2 }).map((ts) => ts.join('|')),
})).expr.filter((p) => portablePatternProblem(p) === undefined);

/** ConfigMap keys ([-._a-zA-Z0-9]+): a few letters the patterns name, cases mixed. */
const key = fc.stringMatching(/^[-._a-zA-Z0-9]{1,8}$/).map((k) => k.replace(/^[.]+$/, 'x'));

interface Trial {
  readonly patterns: string[];
  readonly keys: string[];
}

const trial: fc.Arbitrary<Trial> = fc.record({
  patterns: fc.array(pattern, { minLength: 1, maxLength: 2 }),
  keys: fc.uniqueArray(fc.oneof(key, fc.constantFrom('skey', 'SKEY', 'a_b', 'x-y', 'k', 'K', 'ab12', 'z.z', '0', '__')), { minLength: 8, maxLength: 16 }),
});

function configMap(k: string, i: number) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'apps' }, data: { [k]: 'value' } };
}

test('patterns the validator takes match the same keys in JavaScript (check) and in RE2 (the policies)', async () => {
  const trials = fc.sample(trial, { numRuns: 150, seed: 2026 });
  const differences: string[] = [];
  let denied = 0;
  let cases = 0;
  for (const { patterns, keys } of trials) {
    const engine = new Engine({ profile: Profile.HARDENED, rules: { [RULE]: { options: { secretNamePatterns: patterns } } } });
    const policySet = rulePolicySet(engine.admissionPolicies({ kubernetesVersion: '1.30' }), RULE, '1.30');
    const report = await oracle.load(policySet);
    expect(report.policies.map((p) => p.serverErrors ?? [])).toEqual(policySet.policies.map(() => []));
    const objects = keys.map(configMap);
    const outcomes = await oracle.evaluate(objects.map((object) => ({ object, operation: 'CREATE' })));
    objects.forEach((object, i) => {
      const outcome = outcomes[i];
      if (isCaseError(outcome)) throw new Error(`oracle: ${outcome.error}`);
      for (const r of outcome) if (r.error || r.decision === 'error') throw new Error(`oracle: ${r.error ?? r.failures.map((f) => f.message).join('; ')}`);
      const byPolicy = outcome.some((r) => r.decision === 'deny');
      const byCheck = engine.checkObjects([object]).findings.some((f) => f.ruleId === RULE && !f.suppressed);
      cases++;
      if (byPolicy) denied++;
      if (byPolicy !== byCheck) differences.push(`patterns ${JSON.stringify(patterns)}, key ${JSON.stringify(keys[i])}: check ${byCheck}, policy ${byPolicy}`);
    });
  }
  expect(differences.slice(0, 10)).toEqual([]);
  // the corpus must exercise both verdicts
  expect(denied).toBeGreaterThan(cases / 20);
  expect(denied).toBeLessThan(cases - cases / 20);
});
