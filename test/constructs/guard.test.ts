import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import { IMAGE, testChart } from './util';
import { Profile, Reports, Severity } from '../../src';
import { Guard, HardenedDeployment, Suppressions } from '../../src/constructs';

function privilegedPod(chart: Chart, id = 'agent'): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: id },
    spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0.0', securityContext: { privileged: true } }] },
  });
}

describe('Guard', () => {
  test('fails synth on a privileged raw ApiObject with a readable finding', () => {
    const chart = new Chart(Testing.app(), 'infra', { namespace: 'infra' });
    Guard.of(chart, { profile: Profile.BASELINE });
    privilegedPod(chart);
    expect(() => Testing.synth(chart)).toThrow(
      /\[critical\] pss-privileged Pod infra\/agent spec\.containers\[0\]\.securityContext\.privileged: .*\(construct infra\/agent\)/,
    );
  });

  test('passes once the finding is suppressed with a reason', () => {
    const chart = new Chart(Testing.app(), 'infra', { namespace: 'infra' });
    const guard = Guard.of(chart, { profile: Profile.BASELINE });
    const pod = privilegedPod(chart);
    Suppressions.add(pod, 'pss-privileged', 'the CNI agent must program the host network');
    const [synthesized] = Testing.synth(chart);
    expect(synthesized.metadata.annotations).toEqual({ 'ignore.kubeharden.io/pss-privileged': 'the CNI agent must program the host network' });
    const report = guard.check();
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'pss-privileged', suppressed: true, suppressionReason: 'the CNI agent must program the host network' })]);
  });

  test('app.synth() fails too, and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-guard-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'infra');
    Guard.of(chart, { profile: Profile.BASELINE });
    privilegedPod(chart);
    expect(() => app.synth()).toThrow(/pss-privileged/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('checks Include\'d YAML', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-include-'));
    const file = path.join(dir, 'vendor.yaml');
    fs.writeFileSync(file, [
      'apiVersion: v1', 'kind: Pod', 'metadata: {name: vendor-agent}',
      'spec:', '  hostNetwork: true', '  containers:', '  - name: a', '    image: registry.example.com/a:1.0.0', '',
    ].join('\n'));
    const chart = new Chart(Testing.app(), 'infra');
    Guard.of(chart, { profile: Profile.BASELINE });
    const included = new Include(chart, 'vendor', { url: file });
    expect(() => Testing.synth(chart)).toThrow(/pss-host-namespaces Pod vendor-agent spec\.hostNetwork.*\(construct infra\/vendor\/vendor-agent/);
    Suppressions.add(included, 'pss-host-namespaces', 'vendor agent needs the node network');
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a hardened chart passes the hardened profile', () => {
    const chart = testChart();
    Guard.of(chart);
    new HardenedDeployment(chart, 'web', { image: IMAGE, ports: [{ port: 8080 }] });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('failOn filters by severity; Guard.of is idempotent', () => {
    const chart = new Chart(Testing.app(), 'infra');
    const guard = Guard.of(chart, { profile: Profile.BASELINE, severities: { 'pss-privileged': Severity.LOW }, failOn: Severity.HIGH });
    expect(Guard.of(chart)).toBe(guard);
    privilegedPod(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(guard.check().summary.findings).toBe(1);
  });

  test('one line per finding of Reports.findingsAtOrAbove; objects sharing an identity name the first construct', () => {
    const chart = new Chart(Testing.app(), 'infra', { namespace: 'infra' });
    const guard = Guard.of(chart, { profile: Profile.BASELINE, failOn: Severity.HIGH });
    for (const id of ['first', 'second']) {
      new ApiObject(chart, id, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'agent' },
        spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0.0', securityContext: { privileged: true } }] },
      });
    }
    const failing = Reports.findingsAtOrAbove(guard.check(), Severity.HIGH);
    expect(failing.length).toBeGreaterThanOrEqual(2);
    const violations = guard.violations();
    expect(violations).toHaveLength(failing.length + 1);
    for (const [i, f] of failing.entries()) {
      expect(violations[i]).toContain(` ${f.ruleId} Pod infra/agent ${f.path}: `);
      expect(violations[i]).toMatch(/ \(construct infra\/first\)$/);
    }
  });

  test('disabledRules', () => {
    const chart = new Chart(Testing.app(), 'infra');
    Guard.of(chart, { profile: Profile.BASELINE, disabledRules: ['pss-privileged'] });
    privilegedPod(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});

describe('Suppressions', () => {
  test('annotates every object under a construct', () => {
    const chart = testChart();
    const d = new HardenedDeployment(chart, 'web', { image: IMAGE, ports: [{ port: 8080 }] });
    Suppressions.add(d, 'image-digest', 'internal mirror rewrites tags to digests');
    const objects = Testing.synth(chart).filter((o) => o.metadata.name?.includes('web'));
    expect(objects.length).toBeGreaterThanOrEqual(4);
    for (const o of objects) expect(o.metadata.annotations['ignore.kubeharden.io/image-digest']).toBe('internal mirror rewrites tags to digests');
  });

  test.each([
    ['pss-privileged', 'too short', /reason of at least 10 characters/],
    ['pss-privileged', '          ', /reason of at least 10 characters/],
    ['PSS Privileged', 'a good long reason', /not a kubeharden rule id/],
  ])('refuses %s / %j', (rule, reason, message) => {
    const chart = new Chart(Testing.app(), 'c');
    const pod = privilegedPod(chart);
    expect(() => Suppressions.add(pod, rule, reason)).toThrow(message);
  });

  test('refuses a construct without objects', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => Suppressions.add(chart, 'pss-privileged', 'a good long reason')).toThrow(/holds no Kubernetes object/);
  });
});
