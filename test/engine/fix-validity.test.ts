/**
 * A fix never produces an object the API server rejects: every fixed object that was
 * valid before still validates against the official schema of its kind (kubernetes-models)
 * and has no security-context problem that the API server's cross-field validation would
 * refuse (src/engine/api-validation.ts, whose rules are tested here one by one).
 */
import * as fs from 'fs';
import * as path from 'path';
import { apiValidationProblems } from '../../src/engine/api-validation';
import { Engine } from '../../src/engine/engine';
import { decodeManifestStream } from '../../src/engine/input/decode';
import { Profile } from '../../src/engine/types';
import { schemaError } from '../constructs/schema';
import { psaFixtures } from '../fixtures/psa';

const ROOT = path.join(__dirname, '..', '..');

function objectsOf(file: string): any[] {
  return decodeManifestStream(fs.readFileSync(file)).flatMap((d) => d.objects.map((o) => o.value));
}

const BUILT_IN = /^(v1|apps\/v1|batch\/v1|rbac\.authorization\.k8s\.io\/v1|networking\.k8s\.io\/v1|policy\/v1)$/;

describe('the API server\'s security-context validation', () => {
  const pod = (spec: any, metadata: any = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec });
  const c = (securityContext: any) => ({ name: 'a', image: 'a', securityContext });
  test.each([
    ['allowPrivilegeEscalation false with privileged', pod({ containers: [c({ allowPrivilegeEscalation: false, privileged: true })] }), /privileged true/],
    ['allowPrivilegeEscalation false with CAP_SYS_ADMIN', pod({ containers: [c({ allowPrivilegeEscalation: false, capabilities: { add: ['CAP_SYS_ADMIN'] } })] }), /CAP_SYS_ADMIN/],
    ['negative runAsUser', pod({ containers: [c({ runAsUser: -1 })] }), /runAsUser: must be between/],
    ['Localhost without a profile', pod({ securityContext: { seccompProfile: { type: 'Localhost' } }, containers: [c({})] }), /localhostProfile: required/],
    ['a profile beside RuntimeDefault', pod({ containers: [c({ appArmorProfile: { type: 'RuntimeDefault', localhostProfile: 'x' } })] }), /only with type Localhost/],
    ['Unmasked without user namespaces', pod({ containers: [c({ procMount: 'Unmasked' })] }), /Unmasked needs/],
    ['hostUsers false with hostNetwork', pod({ hostUsers: false, hostNetwork: true, containers: [c({})] }), /hostNetwork: not allowed/],
    ['Linux fields on a windows pod', pod({ os: { name: 'windows' }, containers: [c({ allowPrivilegeEscalation: false })] }), /not allowed on a windows pod/],
    ['windowsOptions on a linux pod', pod({ os: { name: 'linux' }, containers: [c({ windowsOptions: {} })] }), /not allowed on a linux pod/],
    ['a seccomp annotation that disagrees with the field', pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [c({})] },
      { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }), /disagrees/],
  ])('refuses %s', (_name, object, message) => {
    expect(apiValidationProblems(object).join('\n')).toMatch(message);
  });

  test('accepts what the API server accepts', () => {
    expect(apiValidationProblems(pod({
      hostUsers: false,
      securityContext: { runAsUser: 1000, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } },
      containers: [c({ allowPrivilegeEscalation: false, privileged: false, capabilities: { add: ['SYS_ADMIN'] }, procMount: 'Unmasked' })],
    }, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'localhost/p.json' } }))).toEqual([]);
  });
});

describe('fixed objects stay valid', () => {
  const engine = new Engine({
    profile: Profile.HARDENED,
    rules: { 'read-only-root-filesystem': { options: { writablePaths: ['/tmp', '/var/cache'] } }, 'memory-limits': { options: { default: '256Mi' } } },
  });

  function invalidAfterFixing(objects: any[], label: string): string[] {
    const out: string[] = [];
    const fixed = engine.fixObjects(objects).objects;
    objects.forEach((o, i) => {
      const f = fixed[i].fixed;
      if (JSON.stringify(o) === JSON.stringify(f)) return;
      if (typeof o?.apiVersion === 'string' && BUILT_IN.test(o.apiVersion) && schemaError(o) === undefined) {
        const e = schemaError(f);
        if (e) out.push(`${label}#${i}: ${e}`);
      }
      if (apiValidationProblems(f).length > apiValidationProblems(o).length) out.push(`${label}#${i}: ${apiValidationProblems(f).join('; ')}`);
    });
    return out;
  }

  test('the pod-security-admission fixtures', () => {
    const out: string[] = [];
    let fixedCount = 0;
    for (const f of psaFixtures().filter((x) => x.outcome === 'fail')) {
      const objects = objectsOf(f.file);
      out.push(...invalidAfterFixing(objects, `${f.level}/${f.version}/${f.name}`));
      fixedCount += objects.length;
    }
    expect(out.slice(0, 10)).toEqual([]);
    expect(fixedCount).toBeGreaterThan(1000);
  });

  test('the insecure examples and the custom resource fixtures', () => {
    const files = [
      ...fs.readdirSync(path.join(ROOT, 'examples', 'insecure')).map((f) => path.join(ROOT, 'examples', 'insecure', f)),
      ...fs.readdirSync(path.join(ROOT, 'test', 'engine', 'fixtures', 'custom-resources')).filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join(ROOT, 'test', 'engine', 'fixtures', 'custom-resources', f)),
    ];
    const out: string[] = [];
    for (const file of files) out.push(...invalidAfterFixing(objectsOf(file), path.relative(ROOT, file)));
    expect(out).toEqual([]);
  });
});
