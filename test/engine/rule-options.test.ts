/**
 * Rule options work from the configuration file: every rule that reads an option declares
 * it, and the README's example configuration loads and takes effect, in every entry point
 * (the Engine, a Guard, the cdk8s validation plugin, the Pulumi policies and the CLI), from
 * the file and as an options object.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { CheckOptions, Config, Engine, Reports } from '../../src';
import { Guard, KubehardenValidation, ValidationViolation } from '../../src/constructs';
import { parseDocument } from '../../src/engine/input/yaml-document';
import { kubehardenPolicies } from '../../src/pulumi';
import { runCli } from '../cli/helpers';
import { analyze } from '../pulumi/harness';

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

test('the README configuration block loads, and its allowed-registries option takes effect', () => {
  const block = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(README);
  expect(block).not.toBeNull();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-readme-'));
  const file = path.join(dir, 'kubeharden.config.yaml');
  fs.writeFileSync(file, block![1]);
  const loaded = Config.load(file);
  expect(loaded.errors).toEqual([]);
  const engine = new Engine(Config.toEngineOptions(loaded.config!));
  const pod = (image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image }] } });
  const ids = (image: string) => engine.checkObjects([pod(image)]).findings.map((f) => f.ruleId);
  expect(ids('docker.io/library/nginx:1.25')).toContain('allowed-registries');
  expect(ids('registry.example.com/shop/web:1.0')).not.toContain('allowed-registries');
});

test('an option a rule does not declare is refused, with the options it accepts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-opt-'));
  const file = path.join(dir, 'kubeharden.config.yaml');
  fs.writeFileSync(file, 'rules:\n  allowed-registries:\n    options: { registry: [a] }\n');
  expect(Config.load(file).errors.map((e) => e.message)).toEqual(['rules.allowed-registries.options.registry: unknown option; allowed-registries accepts registries']);
  // and where options are given in code
  expect(() => new Engine({ rules: { 'allowed-registries': { options: { registry: ['a'] } } } })).toThrow(
    'Engine options: rules.allowed-registries.options.registry: unknown option; allowed-registries accepts registries',
  );
});

describe('the README configuration block, in every entry point', () => {
  const block = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(README)![1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-readme-all-'));
  const file = path.join(dir, 'kubeharden.config.yaml');
  fs.writeFileSync(file, block);
  // the block as an options object: what a program would write in code
  const asObject = parseDocument(block).value as CheckOptions;
  const pod = (name: string, image: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' }, spec: { containers: [{ name: 'c', image }] } });
  const outside = pod('outside', 'docker.io/library/nginx:1.25');
  const inside = pod('inside', 'registry.example.com/shop/web:1.0');
  /** Whether allowed-registries fails the pod (critical in the block: at or above its failOn). */
  const expectRegistryVerdict = (failing: string[]) => {
    expect(failing).toContain('allowed-registries outside');
    expect(failing).not.toContain('allowed-registries inside');
    expect(failing.filter((f) => f.startsWith('image-digest '))).toEqual([]); // disabled
  };

  test('Engine', () => {
    for (const options of [asObject, Config.toEngineOptions(Config.load(file).config!)]) {
      const engine = new Engine(options);
      expect(engine.failOn).toBe('medium');
      expectRegistryVerdict(Reports.findingsAtOrAbove(engine.checkObjects([outside, inside]), engine.failOn).map((f) => `${f.ruleId} ${f.object.name}`));
    }
  });

  test('Guard', () => {
    for (const options of [asObject, { configFile: file }]) {
      const chart = new Chart(Testing.app(), 'readme');
      Guard.of(chart, options);
      for (const o of [outside, inside]) new ApiObject(chart, o.metadata.name, o);
      const lines = Guard.of(chart).violations().filter((l) => l.startsWith('['));
      expect(lines.find((l) => l.includes(' allowed-registries '))).toMatch(/^\[critical\] allowed-registries Pod shop\/outside /);
      expectRegistryVerdict(lines.map((l) => l.split(' ')[1] + ' ' + l.split(' ')[3].split('/')[1]));
    }
  });

  test('KubehardenValidation', async () => {
    const manifest = path.join(dir, 'app.k8s.yaml');
    fs.writeFileSync(manifest, [outside, inside].map((o) => JSON.stringify(o)).join('\n---\n'));
    for (const props of [asObject, { configFile: file }]) {
      const violations: ValidationViolation[] = [];
      const report = { addViolation: (v: ValidationViolation) => violations.push(v), submit: () => undefined };
      await new KubehardenValidation(props).validate({ manifests: [manifest], report, logger: { log: () => undefined } });
      expect(violations.find((v) => v.ruleName.startsWith('allowed-registries '))?.ruleName).toBe('allowed-registries [critical]');
      expectRegistryVerdict(violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName.split(' ')[0]} ${r.resourceName}`)));
    }
  });

  test('kubehardenPolicies', async () => {
    for (const options of [asObject, { configFile: file }]) {
      const policies = kubehardenPolicies(options);
      expect(policies.find((p) => p.name === 'allowed-registries')).toMatchObject({ severity: 'critical' });
      expect(policies.find((p) => p.name === 'image-digest')).toBeUndefined();
      const failing: string[] = [];
      for (const o of [outside, inside]) {
        const r = { type: 'kubernetes:core/v1:Pod', name: o.metadata.name, urn: `urn:pulumi:test::readme::kubernetes:core/v1:Pod::${o.metadata.name}`, inputs: o };
        for (const v of (await analyze(policies, r)).violations) failing.push(`${v.policy} ${o.metadata.name}`);
      }
      expectRegistryVerdict(failing);
    }
  });

  test('kubeharden check --config', async () => {
    const manifest = path.join(dir, 'pods.yaml');
    fs.writeFileSync(manifest, [outside, inside].map((o) => JSON.stringify(o)).join('\n---\n'));
    const r = await runCli(['check', manifest, '--config', file, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expectRegistryVerdict(Reports.findingsAtOrAbove(report, 'medium' as any).map((f) => `${f.ruleId} ${f.object.name}`));
  });
});
