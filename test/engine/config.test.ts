import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Config, Engine, Profile, Severity } from '../../src';
import { defineRule } from '../../src/engine/rule';

const rule = defineRule({
  id: 'image-allowed-registries',
  title: 't',
  severity: Severity.MEDIUM,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [],
  rationale: '',
  remediation: '',
  kinds: ['Pod'],
  options: [{ name: 'registries', type: 'string[]', description: 'allowed registries' }],
}, (o, ctx) => (ctx.options.registries ?? []).includes('ghcr.io/acme') ? [{ path: 'spec', message: `configured for ${o.metadata.name}` }] : []);
const other = defineRule({
  id: 'other-rule',
  title: 't',
  severity: Severity.LOW,
  category: 'x',
  profiles: [Profile.HARDENED],
  controls: [],
  rationale: '',
  remediation: '',
  kinds: ['Pod'],
}, () => [{ path: '', message: 'always' }]);
const catalog = [rule, other];

test('a valid configuration becomes engine options', () => {
  const text = [
    'profile: restricted',
    'pssVersion: v1.30',
    'failOn: high',
    'excludeNamespaces: [kube-system]',
    'rules:',
    '  image-allowed-registries:',
    '    severity: critical',
    '    options: {registries: [ghcr.io/acme]}',
    '  other-rule: false',
  ].join('\n');
  const result = Config.parse(text, 'kubeharden.config.yaml', catalog);
  expect(result.errors).toEqual([]);
  expect(result.config).toEqual({
    profile: 'restricted',
    pssVersion: 'v1.30',
    failOn: 'high',
    excludeNamespaces: ['kube-system'],
    rules: {
      'image-allowed-registries': { severity: 'critical', options: { registries: ['ghcr.io/acme'] } },
      'other-rule': { enabled: false },
    },
  });
  const engine = new Engine(Config.toEngineOptions(result.config!, { profile: Profile.HARDENED, catalog }));
  const report = engine.checkObjects([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }]);
  expect(report.findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([['image-allowed-registries', 'critical', 'configured for p']]);
});

test('every invalid key is named, with its line and column', () => {
  const text = [
    'profile: strict', // 1
    'pssVersion: 1.30', // 2
    'failOn: urgent', // 3
    'colour: true', // 4
    'rules:', // 5
    '  image-allowed-registry: {}', // 6
    '  other-rule: {enabled: no, severity: huge, extra: 1}', // 7
    '  image-allowed-registries:', // 8
    '    options: {registries: ghcr.io, mirrors: []}', // 9
  ].join('\n');
  const result = Config.parse(text, 'kubeharden.config.yaml', catalog);
  expect(result.config).toBeUndefined();
  const got = result.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
  expect(got).toEqual(expect.arrayContaining([
    '1:1 profile: unknown profile; expected baseline, restricted or hardened',
    expect.stringMatching(/^2:1 pssVersion: write the version as a string/),
    '3:1 failOn: expected one of critical, high, medium, low',
    expect.stringMatching(/^4:1 colour: unknown key/),
    '6:3 rules.image-allowed-registry: unknown rule; did you mean image-allowed-registries?',
    expect.stringMatching(/^7:\d+ rules\.other-rule\.severity: expected one of/),
    expect.stringMatching(/^7:\d+ rules\.other-rule\.extra: unknown key/),
    expect.stringMatching(/^9:\d+ rules\.image-allowed-registries\.options\.registries: expected a list of strings$/),
    expect.stringMatching(/^9:\d+ rules\.image-allowed-registries\.options\.mirrors: unknown option; image-allowed-registries accepts registries$/),
  ]));
  expect(result.errors).toHaveLength(9);
});

test('configuration files are found in a directory and read', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-config-'));
  expect(Config.find(dir)).toBeUndefined();
  fs.writeFileSync(path.join(dir, 'kubeharden.config.json'), '{"profile": "baseline"}');
  const found = Config.find(dir)!;
  expect(found).toBe(path.join(dir, 'kubeharden.config.json'));
  expect(Config.load(found).config).toEqual({ profile: 'baseline' });
  expect(Config.load(path.join(dir, 'nope.yaml')).errors[0].message).toMatch(/cannot read configuration/);
  expect(Config.parse('profile: [', 'bad.yaml').errors[0].message).toMatch(/invalid YAML/);
});
