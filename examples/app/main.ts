/**
 * The kubeharden example app: a small shop with a web front end, an API and a
 * PostgreSQL database, every object hardened by default and every flow explicit.
 *
 *   ingress-nginx --8080--> web --8080--> api --5432--> db
 *
 * `buildApp()` defines it; `synth.ts` writes it to examples/app/dist/ (`npm run demo`
 * does that and checks the result with `kubeharden check`).
 */
import { App, AppProps, ApiObject, Chart } from 'cdk8s';
import {
  AuditLevel, AuditPolicy, Guard, HardenedDeployment, HardenedNamespace, HardenedStatefulSet,
  LeastPrivilegeRole, Profile, SealedSecretRef, SubjectKind,
} from '../../src';

/** Namespace of the shop. */
export const NAMESPACE = 'shop';

/** Images, pinned by tag and digest. */
const IMAGES = {
  web: 'registry.example.com/shop/web:2.3.0@sha256:5c1f0cbbd1e0a3bd8f2d3b1c4f3a8e2b9d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
  api: 'registry.example.com/shop/api:1.8.4@sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b',
  postgres: 'registry.example.com/mirror/postgres:16.4@sha256:1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3',
  migrate: 'registry.example.com/shop/migrate:1.8.4@sha256:3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a',
  exporter: 'registry.example.com/mirror/nginx-exporter:1.3.0@sha256:7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e',
};

/**
 * The database credentials, sealed for namespace shop, name db-credentials
 * (`kubeseal --raw --namespace shop --name db-credentials --from-file=/dev/stdin`).
 * Only the cluster's sealed-secrets controller can decrypt them.
 */
const SEALED_DB_CREDENTIALS = {
  username:
    'AgCgyQlQ88Uys8VzWxMtxHKS+ofwrEdY47224hpNGxfa5bglc2wSFP1TsDsCCfMEoDnO80367cjYpCpd3tjtB7UwQQNlEG2C6ayy' +
    'dJ3A7jqUsspxD0LvEVbSgbYG2fJ/cDwJQDjZJa7rUAPKQV9wJQrvHG3LXAnuIKehwUsD8YaKBSOuNCX17nS0FVb47dt3q8WSmwEm' +
    '+95/E4yC5LGI3uBrw/YvkqQ9vpUO6FEgDbB251UOZ1k4DfMTvGTRlQe74ADHFJ4edUbHzMas9Z6QsgUcrHDgL5QKDVZ0+UwAXY44' +
    '4PB58yd1Q6jOSJ3hL5qY0P7TgZbUuwpIbLhohpJaBsHMhcRMAnfEcPx+C1LI2iUgrRXY46FK5q5oErVVghEKmYKhzX+btKwSCg3I' +
    'At0b/FWIMZWFr2hWvSJntb3d9LopVwhzsHoO72XJKIjRHUNSfr7NGFq+xzAsBa4oPMDSId7sesb+PIAX88jsY3FoGWCuihyN53Db' +
    'Oc66VbobXggTJrViENNdrRJ0X0ks/YWKCxZEGM20GHcy+jWUfkdl+uuGO3bXrkPXy9aKh2/oKEvPcBSFJ+BQ6BoZ9/6WggCuqs0w' +
    'MxfJKPi/fx5LbiZHh0ZRBr0xhxnfTc2+on8HrfIAVTVMGq3t4X3EauOYRtAUfsNfzRkAM93Yo3h8jtLDTVIvp44KBQ8SoSiGmbJj' +
    'WztnW3cYIRqX',
  password:
    'AgBGVis9XF1SuFQGXSKNDGUT12ucMaTIKcpHGInnPHBuZxE12e5tOUsodmANc/BNJPev+Y8bgA05wZbDUQwCQ7DcFezDDAgEKwGJ' +
    'U+QvgbaXBcKIDLh5meaz18AA8E3aywfJKRjRzVBrQDCwiD9VpzS11mNtRH51AvuMLSdIHELZA2XfVGzg4H9AmDE4yVYKpEW32FT2' +
    '8vH97P6+L0vEfEHzXhI6zwhCkxcDmX07EbbAATJhu71nI0usMCdoDjWPtcMWA7sO/BnriJU/6XHrSDZSPKWL2cm4wWfi7hvkIupv' +
    'QPhITohAgvCyx7JrNyIcZfBHpv2H7+EKpnTpfQYCG6Un/Y0eZklb5luN3Q+nudJ04UDWx/052MUkyOzIOQWJmodpfMhm2hEdFEJ5' +
    'BP0jL4kanP3Hkm9rrP1hIuYJmU1EsaQIsdVp9yChcOViflinjADXFsmayTVOVkL9jvfMSu8EzsIFPcZ6eBnvbp3OhimcwL80U/4Q' +
    'nGiGfDguCYSOeOa/yiJiEoPMruCMXBvlGfJnetjzonYHJREdItiF+zK9tjAChH4iOYFQ/JCihU+OMXFEdvL5q6QdnB9R58cd9rcq' +
    'CBs6NhdT5cctKnEGyu4ttaqgB7n73DctHxKUGbBaj8hXtyMDkr89JsGXENl6O8bDg3CecAHpa0l/jw9CiyKpdyiE3QbGsG1Joi73' +
    '9GGoJUNmMdfE3llZ5+QBKE7D7s1NTvsEtyuSo98=',
};

/**
 * Builds the example app.
 *
 * @param props cdk8s App options (e.g. `outdir`)
 */
export function buildApp(props: AppProps = {}): App {
  const app = new App(props);
  const shop = new Chart(app, 'shop', { namespace: NAMESPACE, disableResourceNameHashes: true });
  // Every object of the chart is checked at synth: any finding fails `app.synth()`.
  Guard.of(shop, { profile: Profile.HARDENED });

  // Pod Security Admission restricted (enforced, pinned), default-deny network policy.
  new HardenedNamespace(shop, 'namespace', {
    name: NAMESPACE,
    quota: { requestsCpu: '4', limitsCpu: '8', requestsMemory: '8Gi', limitsMemory: '16Gi', pods: 30, requestsStorage: '50Gi' },
    limits: { maxCpu: '2', maxMemory: '4Gi' },
  });

  const credentials = new SealedSecretRef(shop, 'db-credentials', {
    name: 'db-credentials',
    encryptedData: SEALED_DB_CREDENTIALS,
  });

  const db = new HardenedStatefulSet(shop, 'db', {
    name: 'db',
    image: IMAGES.postgres,
    runAsUser: 70,
    runAsGroup: 70,
    ports: [{ port: 5432, name: 'postgres' }],
    env: { PGDATA: '/var/lib/postgresql/data/pgdata', POSTGRES_DB: 'shop' },
    secretEnv: {
      POSTGRES_USER: credentials.envValue('username'),
      POSTGRES_PASSWORD: credentials.envValue('password'),
    },
    storage: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '20Gi' }],
    writablePaths: ['/var/run/postgresql'],
    resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' },
    readinessProbe: { command: ['pg_isready', '-U', 'shop'], periodSeconds: 5 },
    livenessProbe: { port: 5432, periodSeconds: 20 },
  });

  const api = new HardenedDeployment(shop, 'api', {
    name: 'api',
    image: IMAGES.api,
    replicas: 3,
    ports: [{ port: 8080 }],
    env: { DB_HOST: 'db', DB_PORT: '5432', DB_NAME: 'shop', FEATURE_FLAGS_CONFIGMAP: 'feature-flags', LOG_LEVEL: 'info' },
    secretEnv: {
      DB_USER: credentials.envValue('username'),
      DB_PASSWORD: credentials.envValue('password'),
    },
    readinessProbe: { httpPath: '/ready', periodSeconds: 5 },
    livenessProbe: { httpPath: '/healthz' },
    // the schema migrations run before the API starts, with the same hardened defaults
    initContainers: [{
      name: 'migrate',
      image: IMAGES.migrate,
      args: ['migrate', 'up'],
      env: { DB_HOST: 'db', DB_PORT: '5432', DB_NAME: 'shop' },
      secretEnv: { DB_USER: credentials.envValue('username'), DB_PASSWORD: credentials.envValue('password') },
    }],
    // the API watches its feature flags through the Kubernetes API
    mountServiceAccountToken: { reason: 'the API watches the feature-flags ConfigMap through the Kubernetes API' },
  });

  const web = new HardenedDeployment(shop, 'web', {
    name: 'web',
    image: IMAGES.web,
    replicas: 2,
    ports: [{ port: 8080 }],
    env: { API_URL: 'http://api:8080' },
    writablePaths: ['/var/cache/nginx'],
    readinessProbe: { httpPath: '/', periodSeconds: 5 },
    livenessProbe: { httpPath: '/' },
    // only the ingress controller reaches the front end
    allowFrom: [{ namespaceName: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } }],
  });
  // a metrics exporter beside nginx, hardened like the main container
  web.addContainer({
    name: 'exporter',
    image: IMAGES.exporter,
    args: ['--nginx.scrape-uri=http://localhost:8080/stub_status'],
    ports: [{ port: 9113, name: 'metrics' }],
    resources: { cpuRequest: '20m', cpuLimit: '100m', memoryRequest: '32Mi', memoryLimit: '64Mi' },
  });

  // The only flows: ingress -> web -> api -> db (and DNS).
  web.allowTo(api.peer(), [{ port: 8080 }]);
  api.allowFrom(web.peer());
  api.allowTo(db.peer(), [{ port: 5432 }]);
  db.allowFrom(api.peer());
  // the API talks to the Kubernetes API server for its feature flags
  api.allowTo({ cidr: '10.96.0.1/32' }, [{ port: 443 }]);

  new ApiObject(shop, 'feature-flags', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'feature-flags' },
    data: { 'checkout.v2': 'true', 'recommendations': 'false' },
  });

  // The API may read and watch that one ConfigMap, nothing else.
  const flagsReader = new LeastPrivilegeRole(shop, 'feature-flags-reader', {
    name: 'feature-flags-reader',
    permissions: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: ['feature-flags'] }],
  });
  flagsReader.bindWorkload(api);

  // On-call engineers may look at pods and their logs in the namespace.
  new LeastPrivilegeRole(shop, 'oncall-viewer', {
    name: 'oncall-viewer',
    permissions: [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
    ],
    subjects: [{ kind: SubjectKind.GROUP, name: 'shop-oncall' }],
  });

  // The kube-apiserver audit policy, in its own chart (a file for --audit-policy-file).
  const audit = new Chart(app, 'audit-policy');
  Guard.of(audit);
  new AuditPolicy(audit, 'policy', {
    name: 'kubeharden',
    rules: [{
      level: AuditLevel.REQUEST_RESPONSE,
      resources: [{ group: 'apps', resources: ['deployments', 'statefulsets'] }],
      namespaces: [NAMESPACE],
      verbs: ['create', 'update', 'patch', 'delete'],
    }],
  });

  return app;
}
