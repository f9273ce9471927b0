/**
 * An existing cdk8s-plus app, hardened in one line: `Hardening.of(chart)` applies the
 * rules' fixes to every object of the chart at synth (cdk8s-plus's own defaults fail the
 * restricted profile), and the Guard then judges the result. It runs in the shop
 * namespace, whose default-deny NetworkPolicy the main app (main.ts) defines.
 *
 * cdk8s-plus-33 is a devDependency of kubeharden, so this chart lives in a file of its own
 * (`synth.ts` synthesizes it beside the main app).
 */
import { App, AppProps, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { DefaultDenyNetworkPolicy, Guard, Hardening, Profile } from '../../src';
import { NAMESPACE } from './main';

const IMAGES = {
  reports: 'registry.example.com/shop/reports:0.9.2@sha256:4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0',
  shipper: 'registry.example.com/mirror/fluent-bit:3.1.4@sha256:8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7',
};

/** Adds the cdk8s-plus chart (a two-container Deployment) to an app, or to a new one. */
export function buildCdk8sPlusApp(props: AppProps = {}): App {
  const app = new App(props);
  const chart = new Chart(app, 'cdk8s-plus-reports', { namespace: NAMESPACE, disableResourceNameHashes: true });
  // the Guard judges this chart on its own: it carries its namespace's default deny too
  new DefaultDenyNetworkPolicy(chart, 'default-deny');
  const serviceAccount = new kplus.ServiceAccount(chart, 'reports-sa', { automountToken: false });
  const reports = new kplus.Deployment(chart, 'reports', {
    replicas: 2,
    serviceAccount,
    containers: [{ name: 'reports', image: IMAGES.reports, portNumber: 8080 }],
  });
  reports.addContainer({ name: 'log-shipper', image: IMAGES.shipper });
  // the one added line: the fixes, with the options only the app's owner can choose
  Hardening.of(chart, {
    profile: Profile.HARDENED,
    rules: {
      'pss-run-as-user': { options: { uid: 10001 } },
      'read-only-root-filesystem': { options: { writablePaths: ['/tmp'] } },
    },
  });
  Guard.of(chart, { profile: Profile.HARDENED });
  return app;
}
