/**
 * Rule options work from the configuration file: every rule that reads an option declares
 * it, and the README's example configuration loads and takes effect.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Config, Engine } from '../../src';

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
});
