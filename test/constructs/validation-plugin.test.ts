import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/app/main';
import { Profile, Severity } from '../../src';
import { IValidationContext, KubehardenValidation, ValidationViolation } from '../../src/constructs';

/** A context built the way the cdk8s CLI builds it, recording what the plugin reports. */
function context(manifests: string[]) {
  const violations: ValidationViolation[] = [];
  const logs: string[] = [];
  let submitted: { status: string; metadata?: { [key: string]: string } } | undefined;
  const ctx: IValidationContext = {
    manifests,
    report: {
      addViolation: (v) => {
        if (submitted) throw new Error('Violations cannot be added to report after its submitted');
        violations.push(v);
      },
      submit: (status, metadata) => { submitted = { status, metadata }; },
    },
    logger: { log: (m) => logs.push(m) },
  };
  return { ctx, violations, logs, submitted: () => submitted };
}

function write(yaml: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-plugin-')), 'app.k8s.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

const PRIVILEGED = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: agent, namespace: infra}',
  'spec:',
  '  containers:',
  '  - name: a',
  '    image: registry.example.com/a:1.0.0',
  '    securityContext: {privileged: true}',
  '',
].join('\n');

describe('KubehardenValidation (cdk8s CLI plugin)', () => {
  test('the example app passes', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-plugin-app-'));
    buildApp({ outdir }).synth();
    const c = context(fs.readdirSync(outdir).map((f) => path.join(outdir, f)));
    await new KubehardenValidation().validate(c.ctx);
    expect(c.violations).toEqual([]);
    expect(c.submitted()).toEqual({ status: 'success', metadata: expect.objectContaining({ profile: 'hardened', findings: '0', suppressed: '1' }) });
  });

  test('a privileged pod fails, with rule, resource, path, line and fix', async () => {
    const file = write(PRIVILEGED);
    const c = context([file]);
    await new KubehardenValidation({ profile: Profile.BASELINE }).validate(c.ctx);
    expect(c.submitted()?.status).toBe('failure');
    expect(c.violations).toEqual([{
      ruleName: 'pss-privileged [critical]',
      recommendation: expect.stringMatching(/privileged/i),
      fix: expect.stringMatching(/privileged/),
      violatingResources: [{
        resourceName: 'agent',
        manifestPath: file,
        locations: [expect.stringMatching(/^spec\.containers\[0\]\.securityContext\.privileged \(line 8\): /)],
      }],
    }]);
  });

  test('a suppressed finding is no violation; failOn filters by severity', async () => {
    const suppressed = write(PRIVILEGED.replace('namespace: infra}', 'namespace: infra, annotations: {ignore.kubeharden.io/pss-privileged: "the CNI agent programs the host"}}'));
    const c1 = context([suppressed]);
    await new KubehardenValidation({ profile: Profile.BASELINE }).validate(c1.ctx);
    expect(c1.violations).toEqual([]);
    expect(c1.submitted()?.status).toBe('success');

    const medium = write(PRIVILEGED.replace('securityContext: {privileged: true}', 'securityContext: {}'));
    const c2 = context([medium]);
    await new KubehardenValidation({ profile: Profile.HARDENED, failOn: Severity.CRITICAL }).validate(c2.ctx);
    expect(c2.submitted()?.status).toBe('success');
  });

  test('unreadable input is logged and fails', async () => {
    const c = context(['/nonexistent/kubeharden.yaml']);
    await new KubehardenValidation().validate(c.ctx);
    expect(c.logs[0]).toMatch(/kubeharden: \/nonexistent\/kubeharden.yaml.*cannot read/);
    expect(c.submitted()?.status).toBe('failure');
  });

  test('refuses an unknown severity or profile', () => {
    expect(() => new KubehardenValidation({ failOn: 'urgent' as Severity })).toThrow(/failOn/);
    expect(() => new KubehardenValidation({ profile: 'strict' as Profile })).toThrow(/unknown profile/);
  });
});
