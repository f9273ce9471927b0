/**
 * Proves the ValidatingAdmissionPolicy oracle (test/oracle/admission, driven
 * by admission-oracle.ts) compiles and evaluates policies as kube-apiserver
 * does. Needs Go >= 1.26; the first run builds the oracle (several minutes on
 * a cold build cache, plus module downloads on a cold module cache).
 */
import { AdmissionCase, AdmissionOracle, CaseOutcome, CaseResult, isCaseError, PolicyReport, startAdmissionOracle } from './admission-oracle';

let oracle: AdmissionOracle;

beforeAll(async () => {
  oracle = await startAdmissionOracle();
}, 15 * 60_000);

afterAll(async () => {
  await oracle?.close();
});

const podRules = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }];

function policy(name: string, spec: Record<string, unknown>): unknown {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: { matchConstraints: { resourceRules: podRules }, ...spec },
  };
}

function binding(name: string, policyName: string, spec: Record<string, unknown> = {}): unknown {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: { policyName, validationActions: ['Deny'], ...spec },
  };
}

function pod(name: string, images: string[], labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'apps', labels },
    spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
  };
}

function namespace(name: string, labels: Record<string, string> = {}): unknown {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function pairs(outcome: CaseOutcome): CaseResult[] {
  if (isCaseError(outcome)) {
    throw new Error(`case failed: ${outcome.error}`);
  }
  return outcome;
}

async function one(c: AdmissionCase): Promise<CaseResult> {
  const [outcome] = await oracle.evaluate([c]);
  const result = pairs(outcome);
  expect(result).toHaveLength(1);
  return result[0];
}

function report(reports: PolicyReport[], name: string): PolicyReport {
  const found = reports.find((r) => r.name === name);
  if (!found) {
    throw new Error(`no report for ${name}`);
  }
  return found;
}

test('a validation denies or admits; messageExpression and variables come back', async () => {
  const compiled = await oracle.load({
    policies: [policy('no-latest', {
      variables: [{ name: 'images', expression: 'object.spec.containers.map(c, c.image)' }],
      validations: [{
        expression: "variables.images.all(i, !i.endsWith(':latest'))",
        messageExpression: "'pod ' + object.metadata.name + ' uses a latest tag'",
        message: 'static message',
        reason: 'Forbidden',
      }],
    })],
    bindings: [binding('no-latest-binding', 'no-latest')],
  });
  const rep = report(compiled.policies, 'no-latest');
  expect(rep.serverErrors).toEqual([]);
  expect(rep.admittedByServer).toBe(true);
  expect(rep.expressions.map((e) => e.path)).toEqual([
    'spec.variables[0].expression', 'spec.validations[0].expression', 'spec.validations[0].messageExpression',
  ]);

  const denied = await one({ object: pod('web', ['nginx:latest']), operation: 'CREATE' });
  expect(denied).toMatchObject({ policy: 'no-latest', binding: 'no-latest-binding', matched: true, decision: 'deny' });
  expect(denied.failures).toEqual([{ validation: 0, message: 'pod web uses a latest tag', reason: 'Forbidden', evaluation: 'deny' }]);
  expect(denied.message).toBe("ValidatingAdmissionPolicy 'no-latest' with binding 'no-latest-binding' denied request: pod web uses a latest tag");
  expect(denied.runtimeCost).toBeGreaterThan(0);

  const admitted = await one({ object: pod('web', ['nginx:1.27']), operation: 'CREATE' });
  expect(admitted).toMatchObject({ matched: true, decision: 'admit', failures: [] });
});

test('validationActions Warn and Audit do not deny; failurePolicy Ignore admits on errors', async () => {
  await oracle.load({
    policies: [
      policy('named', { validations: [{ expression: "object.metadata.name.startsWith('ok-')", message: 'name must start with ok-' }] }),
      policy('broken', { failurePolicy: 'Ignore', validations: [{ expression: 'object.spec.nodeName == "x"' }] }),
    ],
    bindings: [binding('warn', 'named', { validationActions: ['Warn', 'Audit'] }), binding('ignore', 'broken')],
  });
  const [outcome] = await oracle.evaluate([{ object: pod('bad', ['a:1']) }]);
  const [warn, ignore] = pairs(outcome);
  expect(warn).toMatchObject({ binding: 'warn', decision: 'admit' });
  expect(warn.warnings).toEqual(["Validation failed for ValidatingAdmissionPolicy 'named' with binding 'warn': name must start with ok-"]);
  expect(warn.auditFailures).toHaveLength(1);
  // nodeName is unset: the field access is an evaluation error, which Ignore admits.
  expect(ignore).toMatchObject({ binding: 'ignore', decision: 'admit', failures: [] });
  expect(ignore.error).toMatch(/no such key: nodeName/);
});

test('API server defaulting is applied before evaluation (imagePullPolicy)', async () => {
  await oracle.load({
    policies: [policy('pull-always', { validations: [{ expression: "object.spec.containers.all(c, c.imagePullPolicy == 'Always')" }] })],
    bindings: [binding('pull-always', 'pull-always')],
  });
  // kube-apiserver defaults imagePullPolicy to Always for :latest and IfNotPresent otherwise.
  const [latest, tagged] = await oracle.evaluate([{ object: pod('a', ['nginx:latest']) }, { object: pod('b', ['nginx:1.27']) }]);
  expect(pairs(latest)[0].decision).toBe('admit');
  expect(pairs(tagged)[0].decision).toBe('deny');
  await oracle.load({
    policies: [policy('pull-always', { validations: [{ expression: "object.spec.containers.all(c, has(c.imagePullPolicy) && c.imagePullPolicy == 'Always')" }] })],
    bindings: [binding('pull-always', 'pull-always')],
    applyDefaults: false,
  });
  const [raw] = await oracle.evaluate([{ object: pod('a', ['nginx:latest']) }]);
  expect(pairs(raw)[0].decision).toBe('deny');
});

test('a params ConfigMap is read via params.data', async () => {
  await oracle.load({
    policies: [{
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'max-replicas' },
      spec: {
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] },
        validations: [{ expression: 'object.spec.replicas <= int(params.data.maxReplicas)', messageExpression: "'at most ' + params.data.maxReplicas" }],
      },
    }],
    bindings: [binding('max-replicas', 'max-replicas', {
      paramRef: { name: 'limits', namespace: 'config', parameterNotFoundAction: 'Deny' },
    }), binding('missing-param', 'max-replicas', {
      paramRef: { name: 'nope', namespace: 'config', parameterNotFoundAction: 'Deny' },
    })],
    params: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits', namespace: 'config' }, data: { maxReplicas: '3' } }],
  });
  const deployment = (replicas: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'apps' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
    },
  });
  const [few, many] = await oracle.evaluate([{ object: deployment(2) }, { object: deployment(5) }]);
  expect(pairs(few).map((p) => [p.binding, p.decision])).toEqual([['max-replicas', 'admit'], ['missing-param', 'error']]);
  expect(pairs(many)[0]).toMatchObject({ decision: 'deny', failures: [{ validation: 0, message: 'at most 3' }] });
  expect(pairs(many)[1].error).toMatch(/no params found/);
});

test('namespaceSelector and objectSelector match as on the server', async () => {
  await oracle.load({
    policies: [policy('prod-only', {
      matchConstraints: { resourceRules: podRules, namespaceSelector: { matchLabels: { env: 'prod' } } },
      validations: [{ expression: 'false', message: 'always denied' }],
    })],
    bindings: [binding('selected', 'prod-only', {
      matchResources: { objectSelector: { matchExpressions: [{ key: 'harden', operator: 'In', values: ['yes'] }] } },
    })],
  });
  const results = await oracle.evaluate([
    { object: pod('a', ['x:1'], { harden: 'yes' }), namespace: namespace('apps', { env: 'prod' }) },
    { object: pod('b', ['x:1'], { harden: 'yes' }), namespace: namespace('apps', { env: 'dev' }) },
    { object: pod('c', ['x:1'], { harden: 'no' }), namespace: namespace('apps', { env: 'prod' }) },
    // The namespace of the object: no labels but kubernetes.io/metadata.name.
    { object: pod('d', ['x:1'], { harden: 'yes' }) },
  ]);
  expect(results.map((r) => [pairs(r)[0].matched, pairs(r)[0].decision])).toEqual([
    [true, 'deny'], [false, 'admit'], [false, 'admit'], [false, 'admit'],
  ]);
});

test('matchConditions exclude requests', async () => {
  await oracle.load({
    policies: [policy('skip-system', {
      matchConditions: [{ name: 'not-system', expression: "!object.metadata.name.startsWith('system-')" }],
      validations: [{ expression: 'false' }],
    })],
    bindings: [binding('skip-system', 'skip-system')],
  });
  const [system, other] = await oracle.evaluate([{ object: pod('system-a', ['x:1']) }, { object: pod('user-a', ['x:1']) }]);
  expect(pairs(system)[0]).toMatchObject({ matched: false, decision: 'admit' });
  expect(pairs(other)[0]).toMatchObject({ matched: true, decision: 'deny', failures: [{ message: 'failed expression: false' }] });
});

test('a type error against the Pod schema is a type warning; a syntax error is an error', async () => {
  const compiled = await oracle.load({
    policies: [
      policy('typo', { validations: [{ expression: 'object.spec.containers.foo == 1' }] }),
      policy('syntax', { validations: [{ expression: 'object.spec.(' }] }),
    ],
    bindings: [],
  });
  const typo = report(compiled.policies, 'typo');
  expect(typo.serverErrors).toEqual([]);
  expect(typo.typeWarnings).toHaveLength(1);
  expect(typo.typeWarnings[0]).toMatchObject({ path: 'spec.validations[0].expression', serverChecks: true });
  expect(typo.typeWarnings[0].warning).toMatch(/does not support field selection/);
  const syntax = report(compiled.policies, 'syntax');
  expect(syntax.admittedByServer).toBe(false);
  expect(syntax.serverErrors.join('\n')).toMatch(/^spec\.validations\[0\]\.expression: FieldValueInvalid: compilation failed/);
});

test('estimated cost: nested comprehensions over unbounded lists exceed the per-call limit', async () => {
  const nested = 'object.spec.containers.all(c, object.spec.containers.all(d, c.name != d.name || c.image == d.image))';
  const compiled = await oracle.load({
    policies: [policy('costly', { validations: [{ expression: nested }, { expression: 'size(object.metadata.name) < 64' }] })],
    bindings: [binding('costly', 'costly')],
  });
  const rep = report(compiled.policies, 'costly');
  const [costly, cheap] = rep.expressions;
  expect(costly).toMatchObject({ path: 'spec.validations[0].expression', typed: true, gvk: '/v1, Kind=Pod', limit: 1_000_000, exceedsLimit: true });
  expect(costly.estimatedCost!).toBeGreaterThan(1_000_000);
  expect(cheap).toMatchObject({ typed: true, exceedsLimit: false });
  expect(cheap.estimatedCost!).toBeLessThan(100);
  // kube-apiserver does not check estimated costs of policies: only the oracle flags it.
  expect(rep.admittedByServer).toBe(true);
  expect(rep.errors).toHaveLength(1);
  expect(rep.errors[0]).toMatch(/^spec\.validations\[0\]\.expression: estimated cost \d+ exceeds the per-call cost limit 1000000/);

  // At run time a pod with 1000 containers (a million inner iterations) runs out of the per-call limit.
  const small = await one({ object: pod('small', ['a:1', 'b:1']) });
  expect(small.decision).toBe('admit');
  expect(small.runtimeCost).toBeGreaterThan(0);
  const big = await one({ object: pod('big', Array.from({ length: 1000 }, (_, i) => `img${i}:1`)) });
  expect(big.decision).toBe('error');
  expect(big.failures[0]).toMatchObject({ validation: 0, evaluation: 'error' });
  expect(big.failures[0].message).toMatch(/cost limit exceeded/);
}, 60_000);

test('CEL libraries by version: format (1.31) is refused at 1.30, accepted by default', async () => {
  const spec = { validations: [{ expression: '!format.dns1123Label().validate(object.metadata.name).hasValue()' }] };
  const at130 = await oracle.load({ policies: [policy('fmt', spec)], bindings: [binding('fmt', 'fmt')], kubernetesVersion: '1.30' });
  expect(at130.kubernetesVersion).toBe('1.30');
  const refused = report(at130.policies, 'fmt');
  expect(refused.admittedByServer).toBe(false);
  expect(refused.serverErrors.join('\n')).toMatch(/spec\.validations\[0\]\.expression: .*undeclared reference to 'format'/);
  // Stored expressions keep working (evaluation uses the StoredExpressions environment).
  expect(pairs((await oracle.evaluate([{ object: pod('Bad_Name', ['x:1']) }]))[0])[0].decision).toBe('deny');

  const byDefault = await oracle.load({ policies: [policy('fmt', spec)], bindings: [binding('fmt', 'fmt')] });
  expect(byDefault.kubernetesVersion).not.toBe('1.30');
  expect(report(byDefault.policies, 'fmt').serverErrors).toEqual([]);
});

test('field validation and strict decoding errors are reported without values', async () => {
  const compiled = await oracle.load({
    policies: [{
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'bad' },
      spec: { failurePolicy: 'Sometimes', matchConstraints: { resourceRules: podRules }, validations: [{ expression: 'true' }], bogus: 'secret-value' },
    }],
    bindings: [binding('b', 'bad', { validationActions: ['Deny', 'Warn'] })],
  });
  const rep = report(compiled.policies, 'bad');
  const text = rep.serverErrors.join('\n');
  expect(text).toMatch(/unknown field "spec.bogus"/);
  expect(text).toMatch(/spec\.failurePolicy: FieldValueNotSupported/);
  expect(text).not.toMatch(/secret-value|Sometimes/);
  expect(compiled.bindings[0].errors.join('\n')).toMatch(/spec\.validationActions: FieldValueInvalid: must not contain both Deny and Warn/);
});

test('bad cases come back as errors without stopping the batch', async () => {
  await oracle.load({ policies: [policy('p', { validations: [{ expression: 'true' }] })], bindings: [binding('p', 'p')] });
  const results = await oracle.evaluate([
    { object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } },
    {
      object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' } },
      resource: { group: 'example.com', version: 'v1', resource: 'widgets' },
    },
    { object: pod('ok', ['x:1']) },
  ]);
  expect(isCaseError(results[0]) && results[0].error).toMatch(/unknown kind example\.com\/v1, Kind=Widget/);
  // A custom resource the policy does not match.
  expect(pairs(results[1])[0]).toMatchObject({ matched: false });
  expect(pairs(results[2])[0]).toMatchObject({ matched: true, decision: 'admit' });
});

test('throughput: tens of thousands of objects', async () => {
  await oracle.load({
    policies: [
      policy('no-latest', { validations: [{ expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))" }] }),
      policy('limits', { validations: [{ expression: 'object.spec.containers.all(c, has(c.resources.limits) && "memory" in c.resources.limits)' }] }),
      policy('non-root', { validations: [{ expression: 'has(object.spec.securityContext.runAsNonRoot) && object.spec.securityContext.runAsNonRoot' }] }),
    ],
    bindings: [binding('no-latest', 'no-latest'), binding('limits', 'limits'), binding('non-root', 'non-root')],
  });
  const n = 20_000;
  const cases: AdmissionCase[] = Array.from({ length: n }, (_, i) => ({
    object: pod(`p${i}`, i % 3 === 0 ? ['nginx:latest', 'side:1'] : ['nginx:1.27']),
  }));
  const start = process.hrtime.bigint();
  const results = await oracle.evaluate(cases);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  expect(results).toHaveLength(n);
  const denied = results.filter((r) => pairs(r)[0].decision === 'deny').length;
  expect(denied).toBe(Math.ceil(n / 3));
  // eslint-disable-next-line no-console
  console.log(`admission oracle: ${n} objects x 3 policies in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} objects/s`);
}, 5 * 60_000);

test('custom resources: type checks use the CRD schema; objects are pruned, defaulted and validated with it first, errors without values', async () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' },
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'string', enum: ['small', 'large'] },
                  color: { type: 'string', default: 'blue' },
                  labels: { type: 'object', nullable: true, additionalProperties: { type: 'string' } },
                },
              },
            },
          },
        },
      }],
    },
  };
  const widgetRules = [{ apiGroups: ['example.com'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['widgets'] }];
  const widgetPolicy = (name: string, expression: string) => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: { matchConstraints: { resourceRules: widgetRules }, validations: [{ expression }] },
  });
  const compiled = await oracle.load({
    crds: [crd],
    policies: [
      widgetPolicy('blue', "object.spec.color == 'blue'"),
      widgetPolicy('pruned', '!has(object.spec.secretNote)'),
      widgetPolicy('typo', 'object.spec.size.nope == 1'),
    ],
    bindings: [binding('blue', 'blue'), binding('pruned', 'pruned'), binding('typo', 'typo')],
  });
  expect(compiled.crdErrors).toEqual([]);
  expect(report(compiled.policies, 'blue').typeWarnings).toEqual([]);
  expect(report(compiled.policies, 'blue').expressions[0]).toMatchObject({ typed: true, gvk: 'example.com/v1, Kind=Widget' });
  // a string has no fields: the CRD's schema, not dyn, is what the expression was checked against
  expect(report(compiled.policies, 'typo').typeWarnings[0].warning).toMatch(/does not support field selection/);
  const widget = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' }, spec });
  const outcomes = await oracle.evaluate([
    { object: widget({ size: 'small', secretNote: 'hunter2-value', labels: null }) },
    { object: widget({ size: 'small', color: 'red' }) },
    { object: widget({ size: 'medium-secret-value' }) },
    { object: widget({ color: 'blue' }) },
  ]);
  const decisions = (o: CaseOutcome) => Object.fromEntries(pairs(o).filter((p) => p.policy !== 'typo').map((p) => [p.policy, p.decision]));
  // the default color is set and the unknown field pruned before the policies run; a nullable null is kept
  expect(decisions(outcomes[0])).toEqual({ blue: 'admit', pruned: 'admit' });
  expect(decisions(outcomes[1])).toEqual({ blue: 'deny', pruned: 'admit' });
  // the schema refuses these before any policy sees them, naming the field, never the value
  for (const [i, fieldName] of [[2, 'spec.size: FieldValueNotSupported'], [3, 'spec.size: FieldValueRequired']] as const) {
    const o = outcomes[i];
    expect(isCaseError(o) ? o.error : o).toMatch(new RegExp(`^object: invalid Widget: ${fieldName.replace('.', '\\.')}`));
    expect(JSON.stringify(o)).not.toContain('medium-secret-value');
  }
});
