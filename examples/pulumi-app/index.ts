/**
 * A Pulumi program for the kubeharden policy pack: some resources are hardened, some
 * are deliberately not, and a kubeharden cdk8s chart is deployed through a ConfigGroup.
 *
 *   pulumi preview --policy-pack ../pulumi-policy-pack
 *
 * Expected: the `legacy-agent` Deployment, the `nightly-report` CronJob and the `ops`
 * ClusterRole are reported; the `checkout` Deployment and the chart's objects pass. The
 * `canary` Pod takes its image and its runAsNonRoot setting from other resources'
 * outputs, unknown during a first preview: kubeharden judges only what it can see.
 */
import * as k8s from '@pulumi/kubernetes';
import { App, Chart } from 'cdk8s';
// Resolves once kubeharden is built or installed.
// eslint-disable-next-line import/no-unresolved
import { HardenedDeployment } from 'kubeharden';

// An auto-named namespace: its name is only known once it exists.
const shop = new k8s.core.v1.Namespace('shop', {});
const namespace = shop.metadata.name;

const hardenedContainer = {
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    capabilities: { drop: ['ALL'] },
  },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
};

// Hardened by hand: passes every rule of the restricted profile.
export const checkout = new k8s.apps.v1.Deployment('checkout', {
  metadata: { namespace, labels: { app: 'checkout' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'checkout' } },
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true },
        containers: [{
          name: 'checkout',
          image: 'registry.example.com/shop/checkout@sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904c0a3b1b2d3e4f5a6b7c8d9e0',
          ports: [{ containerPort: 8080 }],
          ...hardenedContainer,
        }],
      },
    },
  },
});

// Violates baseline: a privileged agent on the host network.
export const legacyAgent = new k8s.apps.v1.Deployment('legacy-agent', {
  metadata: { namespace: 'ops', labels: { app: 'legacy-agent' } },
  spec: {
    selector: { matchLabels: { app: 'legacy-agent' } },
    template: {
      metadata: { labels: { app: 'legacy-agent' } },
      spec: {
        hostNetwork: true,
        containers: [{
          name: 'agent',
          image: 'registry.example.com/ops/agent:latest',
          securityContext: { privileged: true },
        }],
      },
    },
  },
});

// Violates restricted: no securityContext at all (remediation can fix most of it).
export const nightlyReport = new k8s.batch.v1.CronJob('nightly-report', {
  metadata: { namespace: 'ops' },
  spec: {
    schedule: '0 2 * * *',
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [{ name: 'report', image: 'registry.example.com/ops/report:1.4.2' }],
          },
        },
      },
    },
  },
});

// Violates the RBAC rules: every verb on every resource.
export const ops = new k8s.rbac.v1.ClusterRole('ops', {
  rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
});

// Values computed from other resources: unknown during a first preview.
const buildInfo = new k8s.core.v1.ConfigMap('build-info', { data: { tag: '2.3.1' } });
export const canary = new k8s.core.v1.Pod('canary', {
  metadata: { namespace },
  spec: {
    securityContext: {
      seccompProfile: { type: 'RuntimeDefault' },
      runAsNonRoot: buildInfo.metadata.name.apply((n) => n.length > 0),
    },
    containers: [{
      name: 'canary',
      image: buildInfo.metadata.name.apply((n) => `registry.example.com/shop/canary:${n}`),
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }],
  },
});

// A kubeharden cdk8s chart, deployed by Pulumi: its objects are registered as
// kubernetes:apps/v1:Deployment (and so on) children of the ConfigGroup, and the same
// policies check them.
const app = new App();
const chart = new Chart(app, 'storefront', { namespace: 'storefront' });
new HardenedDeployment(chart, 'web', {
  image: 'registry.example.com/shop/web@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ports: [{ port: 8080 }],
});
export const storefront = new k8s.yaml.v2.ConfigGroup('storefront', { objs: chart.toJson() });
