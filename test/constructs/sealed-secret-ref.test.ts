import { Chart, Testing } from 'cdk8s';
import { seal } from './sealing';
import { check, IMAGE, one, testChart, unsuppressed } from './util';
import { HardenedDeployment, SealedSecretRef, SealingScope } from '../../src/constructs';
import { looksSealed } from '../../src/constructs/sealed-secret-ref';

const PLAINTEXT = 'hunter2-correct-horse-battery';

describe('SealedSecretRef', () => {
  test('a strict SealedSecret from kubeseal ciphertext, feeding env and volumes', () => {
    const chart = testChart();
    const sealed = seal(PLAINTEXT);
    const db = new SealedSecretRef(chart, 'db', { name: 'db-credentials', encryptedData: { 'password': sealed, 'ca.crt': seal('cert') } });
    new HardenedDeployment(chart, 'api', {
      image: IMAGE,
      secretEnv: { DB_PASSWORD: db.envValue('password') },
      secretVolumes: [db.volume('/etc/db', ['ca.crt'])],
    });
    const objects = Testing.synth(chart);
    const ss = one(objects, 'SealedSecret');
    expect(ss).toEqual({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'db-credentials', namespace: 'shop' },
      spec: {
        encryptedData: { 'password': sealed, 'ca.crt': expect.any(String) },
        template: { metadata: { name: 'db-credentials', namespace: 'shop' }, type: 'Opaque' },
      },
    });
    const c = one(objects, 'Deployment').spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } }]);
    expect(one(objects, 'Deployment').spec.template.spec.volumes).toContainEqual({
      name: 'secret-0', secret: { secretName: 'db-credentials', defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
    expect(JSON.stringify(objects)).not.toContain(PLAINTEXT);
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test.each([
    ['plaintext', PLAINTEXT],
    ['base64 of plaintext', Buffer.from(PLAINTEXT).toString('base64')],
    ['a long base64 value without the kubeseal layout', Buffer.alloc(600, 7).toString('base64')],
    ['truncated ciphertext', () => seal(PLAINTEXT).slice(0, 300)],
    ['ciphertext with whitespace', () => seal(PLAINTEXT).replace(/(.{60})/, '$1\n')],
    ['an empty value', ''],
  ])('refuses %s, without printing it', (_what, v) => {
    const value = typeof v === 'function' ? v() : v;
    let message = '';
    try {
      new SealedSecretRef(testChart(), 'db', { name: 'db-credentials', encryptedData: { password: value } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/encryptedData\["password"\] does not look like kubeseal ciphertext \(the value is not shown\)/);
    if (value.length > 0) expect(message).not.toContain(value.slice(0, 8));
    expect(message).not.toContain(PLAINTEXT);
  });

  test('looksSealed accepts 2048 and 4096-bit layouts', () => {
    const make = (rsa: number, body: number) => {
      const b = Buffer.alloc(2 + rsa + body, 1);
      b.writeUInt16BE(rsa);
      return b.toString('base64');
    };
    expect(looksSealed(make(256, 16))).toBe(true);
    expect(looksSealed(make(512, 40))).toBe(true);
    expect(looksSealed(make(512, 15))).toBe(false);
    expect(looksSealed(make(100, 40))).toBe(false);
    expect(looksSealed(42)).toBe(false);
  });

  test('namespace-wide and cluster-wide scopes need a reason that lands in the manifest', () => {
    for (const scope of [SealingScope.NAMESPACE_WIDE, SealingScope.CLUSTER_WIDE]) {
      expect(() => new SealedSecretRef(testChart(), 'db', { name: 'db', encryptedData: { k: seal('v') }, scope })).toThrow(/give scopeAcknowledgement/);
      const chart = testChart();
      const reason = 'shared pull credentials, rotated monthly';
      new SealedSecretRef(chart, 'db', { name: 'db', encryptedData: { k: seal('v') }, scope, scopeAcknowledgement: { reason } });
      const objects = Testing.synth(chart);
      const ss = one(objects, 'SealedSecret');
      expect(ss.metadata.annotations[`sealedsecrets.bitnami.com/${scope}`]).toBe('true');
      expect(ss.metadata.annotations[`loosened.kubeharden.io/sealing-scope-${scope}`]).toBe(reason);
      const report = check(objects);
      expect(unsuppressed(report)).toEqual([]);
      if (scope === SealingScope.CLUSTER_WIDE) {
        expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'sealed-secret-cluster-wide', suppressed: true, suppressionReason: reason }));
      }
    }
  });

  test('strict scope needs a namespace', () => {
    expect(() => new SealedSecretRef(new Chart(Testing.app(), 'c'), 'db', { name: 'db', encryptedData: { k: seal('v') } })).toThrow(/bound to its namespace/);
  });

  test('reference mode: no object, keys checked', () => {
    const chart = testChart();
    const ref = SealedSecretRef.fromExisting(chart, 'payments', { name: 'payments-api-key', keys: ['token'] });
    expect(ref.apiObject).toBeUndefined();
    expect(ref.envValue('token')).toEqual({ secretName: 'payments-api-key', key: 'token' });
    expect(() => ref.envValue('password')).toThrow(/no key "password" \(keys: token\)/);
    expect(SealedSecretRef.fromExisting(chart, 'any', { name: 'x' }).envValue('whatever').key).toBe('whatever');
    expect(Testing.synth(chart).filter((o) => o.kind === 'SealedSecret')).toEqual([]);
  });

  test.each([
    [{ name: 'Bad_Name', encryptedData: { k: 'x' } }, /DNS subdomain/],
    [{ name: 'db', encryptedData: {} }, /at least one sealed value/],
    [{ name: 'db', encryptedData: { 'bad key': 'x' } }, /not a valid Secret key/],
  ])('refuses invalid props %#', (props, message) => {
    expect(() => new SealedSecretRef(testChart(), 'db', props as any)).toThrow(message);
  });
});
