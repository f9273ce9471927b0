import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/app/main';
import { Engine, Profile } from '../../src';

describe('example app', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-example-'));
  buildApp({ outdir }).synth();
  const report = new Engine({ profile: Profile.HARDENED }).checkPaths([outdir]);
  const app = buildApp({ outdir });
  const objects = app.charts.flatMap((c) => c.toJson());
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  test('synthesizes to files with zero findings in the hardened profile', () => {
    expect(fs.readdirSync(outdir).sort()).toEqual(['audit-policy.k8s.yaml', 'shop.k8s.yaml']);
    expect(report.errors).toEqual([]);
    expect(report.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(report.summary.objects).toBe(objects.length);
  });

  test('its one loosening is suppressed with its reason', () => {
    expect(report.findings.filter((f) => f.suppressed).map((f) => [f.ruleId, f.object.name, f.suppressionReason])).toEqual([
      ['automount-service-account-token', 'api', 'the API watches the feature-flags ConfigMap through the Kubernetes API'],
    ]);
  });

  test('network policies allow only ingress -> web -> api -> db', () => {
    const policy = (name: string) => named('NetworkPolicy', `shop-${name}-networkpolicy`);
    const fromLabels = (p: any) => p.spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']));
    const toLabels = (p: any) => p.spec.egress.flatMap((r: any) => r.to.map((t: any) => t.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? t.podSelector?.matchLabels?.['k8s-app'] ?? t.ipBlock?.cidr));
    expect(fromLabels(policy('web'))).toEqual(['ingress-nginx']);
    expect(fromLabels(policy('api'))).toEqual(['web']);
    expect(fromLabels(policy('db'))).toEqual(['api']);
    expect(toLabels(policy('web'))).toEqual(['kube-dns', 'api']);
    expect(toLabels(policy('api'))).toEqual(['kube-dns', 'db', '10.96.0.1/32']);
    expect(toLabels(policy('db'))).toEqual(['kube-dns']);
  });

  test('the database reads its credentials from the SealedSecret', () => {
    const env = named('StatefulSet', 'db').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } });
    expect(named('SealedSecret', 'db-credentials').spec.encryptedData.password).toMatch(/^Ag/);
  });
});
