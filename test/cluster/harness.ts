/**
 * A real Kubernetes API server on loopback for kubeharden's cluster tests, as envtest
 * runs one: etcd and kube-apiserver built from Go modules (test/cluster/build.sh), no
 * kubelet, no nodes, no scheduler. A kube-controller-manager runs two controllers only:
 * `serviceaccount-controller` (each namespace's `default` ServiceAccount) and
 * `validatingadmissionpolicy-status-controller` (a ValidatingAdmissionPolicy's
 * status.observedGeneration and type checking). See test/cluster/README.md.
 *
 *   const cluster = await startCluster();
 *   const r = await cluster.create(pod, { dryRun: true, namespace: 'demo' });
 *   // r.allowed, r.status, r.message, r.warnings
 *   await cluster.stop();
 *
 * Only Node's standard library is used. Every port is on 127.0.0.1; the data, keys,
 * certificates and logs live in one temporary folder that stop() removes.
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const HERE = __dirname;
const BUILD_SCRIPT = path.join(HERE, 'build.sh');
const LOG_TAIL_LINES = 40;

/** What `GET /version` answers. */
export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
  readonly [key: string]: unknown;
}

export interface Response {
  readonly status: number;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: any;
  /** Each `Warning` header's text, in order. */
  readonly warnings: string[];
}

export interface CreateOptions {
  /** Server-side dry run (`dryRun=All`): validated and admitted, never stored. */
  readonly dryRun?: boolean;
  /** Namespace for a namespaced kind; default: the object's metadata.namespace, else `default`. */
  readonly namespace?: string;
  /** Server-side field validation; default `Strict` (an unknown or duplicate field is a 422). */
  readonly fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface CreateResult extends Response {
  /** True when the server accepted the object (2xx). */
  readonly allowed: boolean;
  /** The server's message for a rejection (a Status' `message`), empty when allowed. */
  readonly message: string;
}

export interface StartOptions {
  /** An audit policy file (audit.k8s.io/v1 Policy) the server loads at start: `--audit-policy-file`. */
  readonly auditPolicyFile?: string;
  /** Feature gates to set, added to those the harness sets itself. */
  readonly featureGates?: { readonly [gate: string]: boolean };
  /** Extra kube-apiserver flags, e.g. `--v=4`. */
  readonly extraArgs?: readonly string[];
  /** How long to wait for etcd and then for `/readyz`; default 120 s each. */
  readonly startTimeoutMs?: number;
}

/** Where a kind is served. */
export interface ResourceInfo {
  readonly apiVersion: string;
  readonly kind: string;
  /** Plural resource name, e.g. `validatingadmissionpolicies`. */
  readonly resource: string;
  readonly namespaced: boolean;
}

export interface WaitForPolicyOptions {
  /** Namespace for a namespaced probe; default: the probe's metadata.namespace, else `default`. */
  readonly namespace?: string;
  /** Default 60 s. */
  readonly timeoutMs?: number;
}

export interface Cluster {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** Bearer token of an administrator (group `system:masters`). Keep it out of any output. */
  readonly token: string;
  /** PEM of the server's self-signed serving certificate (with the CA that signed it). */
  readonly ca: string;
  readonly version: ServerVersion;
  /** The minor version as a number, e.g. 37. */
  readonly minor: number;
  /** A kubeconfig file for kubectl (`--kubeconfig`), with the admin token. */
  readonly kubeconfig: string;
  /** The temporary folder: logs (`kube-apiserver.log`, `etcd.log`, `kube-controller-manager.log`), keys, data. */
  readonly dir: string;
  /** Milliseconds from spawning etcd to `/readyz` answering ok (the build is not counted). */
  readonly startupMs: number;
  /** The kube-apiserver flags used (file paths point into `dir`; no secret is among them). */
  readonly args: readonly string[];
  /** JSON over HTTPS, authenticated with the admin token. */
  request(method: string, urlPath: string, body?: unknown, query?: { [key: string]: string }): Promise<Response>;
  /** Where the server serves `apiVersion`/`kind` (from discovery), or undefined. */
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** POSTs the object to its collection. */
  create(object: any, options?: CreateOptions): Promise<CreateResult>;
  /**
   * Creates (or, when they exist, replaces) objects for a test's setup, in order, and throws on
   * the first the server rejects. A Namespace also gets its `default` ServiceAccount (no
   * controller manager runs here to add it); a CustomResourceDefinition is waited for until
   * Established and its kind is served.
   */
  apply(objects: readonly any[]): Promise<Response[]>;
  /**
   * Waits until the ValidatingAdmissionPolicy `name` is in effect: its status.observedGeneration
   * has caught up with its generation (set by the controller manager's status controller, with
   * the type-checking result), and a dry-run create of `probe` is denied by it (policies and
   * bindings take effect asynchronously). Resolves with the policy's status
   * (`typeChecking.expressionWarnings` lists CEL type errors). Throws after the timeout.
   */
  waitForPolicy(name: string, probe: any, options?: WaitForPolicyOptions): Promise<any>;
  /** Ends kube-apiserver and etcd and removes the temporary folder. */
  stop(): Promise<void>;
}

/** Children still running, killed if the test process exits without stop(). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * A watchdog: it polls this process and, once this process is gone (even killed with
 * SIGKILL, where no exit hook runs), kills `pids` and removes the temporary folder `dir`.
 */
function spawnWatchdog(pids: number[], dir: string): ChildProcess {
  const quoted = `'${dir.replace(/'/g, "'\\''")}'`;
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${pids.join(' ')} 2>/dev/null; sleep 1; rm -rf ${quoted}; exit 0`;
  const dog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  dog.unref();
  return dog;
}

function tail(file: string, lines = LOG_TAIL_LINES): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs build.sh; resolves with the two binary paths, rejects with the script's own words. */
function build(): Promise<{ apiserver: string; etcd: string; controllerManager: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => {
      err += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        const why = code === 2 ? 'Go is not installed' : code === 3 ? 'the Go modules could not be downloaded' : 'the build failed';
        reject(new Error(`test/cluster/build.sh exited ${code} (${why}):\n${err.split('\n').slice(-30).join('\n')}`));
        return;
      }
      const [apiserver, etcd, controllerManager] = out.trim().split('\n');
      if (!apiserver || !etcd || !controllerManager) {
        reject(new Error(`test/cluster/build.sh printed no binary paths:\n${out}`));
        return;
      }
      resolve({ apiserver, etcd, controllerManager });
    });
  });
}

/** A port that was free a moment ago on 127.0.0.1 (the caller retries if it is taken since). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts etcd with kernel-chosen ports; resolves with its client URL once it is ready. */
function startEtcd(bin: string, dir: string, timeoutMs: number): Promise<{ child: ChildProcess; url: string }> {
  const log = path.join(dir, 'etcd.log');
  const logFd = fs.openSync(log, 'a');
  const child = spawn(bin, ['-data-dir', path.join(dir, 'etcd-data'), '-client-port', '0', '-peer-port', '0'], {
    stdio: ['ignore', 'pipe', logFd],
  });
  fs.closeSync(logFd);
  live.add(child);
  child.on('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`etcd was not ready after ${timeoutMs} ms; ${log} ends with:\n${tail(log)}`));
    }, timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^ready (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`etcd exited (${signal ?? code}) before it was ready; ${log} ends with:\n${tail(log)}`));
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

function stopChild(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      live.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Splits raw `Warning` headers (`299 - "text"`) into their texts. */
function parseWarnings(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== 'warning') continue;
    const value = rawHeaders[i + 1];
    const re = /\d{3} \S+ "((?:[^"\\]|\\.)*)"/g;
    let m: RegExpExecArray | null;
    let any = false;
    while ((m = re.exec(value)) !== null) {
      out.push(m[1].replace(/\\(.)/g, '$1'));
      any = true;
    }
    if (!any) out.push(value);
  }
  return out;
}

function minorOf(version: { minor?: string; gitVersion?: string }): number {
  const m = /^v?\d+\.(\d+)/.exec(version.gitVersion ?? '') ?? /^(\d+)/.exec(version.minor ?? '');
  if (!m) throw new Error(`cannot read a minor version from ${JSON.stringify(version)}`);
  return Number(m[1]);
}

/**
 * What this version needs so that MutatingAdmissionPolicy is served: nothing from 1.36 on
 * (GA, admissionregistration.k8s.io/v1, on by default); the beta gate and v1beta1 in 1.34 and
 * 1.35; the alpha gate and v1alpha1 in 1.32 and 1.33.
 */
export function mutatingAdmissionPolicySetup(minor: number): { gate?: string; runtimeConfig?: string; apiVersion?: string } {
  if (minor >= 36) return { apiVersion: 'admissionregistration.k8s.io/v1' };
  if (minor >= 34) return { gate: 'MutatingAdmissionPolicy', runtimeConfig: 'admissionregistration.k8s.io/v1beta1=true', apiVersion: 'admissionregistration.k8s.io/v1beta1' };
  if (minor >= 32) return { gate: 'MutatingAdmissionPolicy', runtimeConfig: 'admissionregistration.k8s.io/v1alpha1=true', apiVersion: 'admissionregistration.k8s.io/v1alpha1' };
  return {};
}

/** `kube-apiserver --version` → `Kubernetes v1.37.2` → 37. */
function binaryMinor(bin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', () => {
      const m = /v\d+\.(\d+)\./.exec(out);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`${bin} --version printed no version: ${out.trim()}`));
    });
  });
}

function kubeconfigYaml(url: string, ca: string, token: string): string {
  // JSON is YAML: no YAML library is needed.
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubeharden-test', cluster: { 'server': url, 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name: 'kubeharden-test', context: { cluster: 'kubeharden-test', user: 'admin' } }],
    ['current-context']: 'kubeharden-test',
  }, null, 2);
}

/**
 * Builds (when needed) and starts etcd and kube-apiserver on loopback. Rejects, with the
 * tail of the server's log, when either fails to start.
 */
export async function startCluster(options: StartOptions = {}): Promise<Cluster> {
  installExitHook();
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const bins = await build();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-cluster-'));
  let etcd: ChildProcess | undefined;
  let apiserver: ChildProcess | undefined;
  let controllerManager: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;
  const cleanup = async () => {
    await stopChild(controllerManager);
    await stopChild(apiserver);
    await stopChild(etcd);
    if (watchdog?.pid) {
      try {
        process.kill(watchdog.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const started = Date.now();
    const minor = await binaryMinor(bins.apiserver);
    const e = await startEtcd(bins.etcd, dir, timeoutMs);
    etcd = e.child;

    // Service-account token keys (RSA, as kube-controller-manager and kubelet expect).
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const saKey = path.join(dir, 'service-account.key');
    const saPub = path.join(dir, 'service-account.pub');
    fs.writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    fs.writeFileSync(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
    const token = crypto.randomBytes(24).toString('hex');
    const tokenFile = path.join(dir, 'tokens.csv');
    // token,user,uid,"group1,group2"
    fs.writeFileSync(tokenFile, `${token},kubeharden-admin,kubeharden-admin,"system:masters"\n`, { mode: 0o600 });
    const certDir = path.join(dir, 'certs');
    fs.mkdirSync(certDir);
    const log = path.join(dir, 'kube-apiserver.log');

    const map = mutatingAdmissionPolicySetup(minor);
    const gates: { [gate: string]: boolean } = {};
    if (map.gate) gates[map.gate] = true;
    Object.assign(gates, options.featureGates ?? {});
    const baseArgs = (port: number): string[] => {
      const args = [
        `--etcd-servers=${e.url}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        // the kubernetes Service's endpoints cannot be a loopback address: keep none
        '--endpoint-reconciler-type=none',
        `--secure-port=${port}`,
        `--cert-dir=${certDir}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        `--token-auth-file=${tokenFile}`,
        '--authorization-mode=RBAC',
        '--enable-admission-plugins=PodSecurity,ValidatingAdmissionPolicy,MutatingAdmissionPolicy',
        '--service-cluster-ip-range=10.0.0.0/24',
        '--allow-privileged=true',
      ];
      if (map.runtimeConfig) args.push(`--runtime-config=${map.runtimeConfig}`);
      const gateList = Object.entries(gates).map(([k, v]) => `${k}=${v}`);
      if (gateList.length > 0) args.push(`--feature-gates=${gateList.join(',')}`);
      if (options.auditPolicyFile) {
        args.push(`--audit-policy-file=${options.auditPolicyFile}`, `--audit-log-path=${path.join(dir, 'audit.log')}`);
      }
      args.push(...(options.extraArgs ?? []));
      return args;
    };

    let url = '';
    let args: string[] = [];
    let ca = '';
    // The port is free when chosen but may be taken before the server binds it: retry.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      url = `https://127.0.0.1:${port}`;
      args = baseArgs(port);
      fs.appendFileSync(log, `\n==== kube-apiserver start (attempt ${attempt}) ====\n`);
      const logFd = fs.openSync(log, 'a');
      const child = spawn(bins.apiserver, args, { stdio: ['ignore', logFd, logFd] });
      fs.closeSync(logFd);
      apiserver = child;
      live.add(child);
      child.on('exit', () => live.delete(child));
      if (watchdog?.pid) {
        try {
          process.kill(watchdog.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      watchdog = spawnWatchdog([etcd.pid!, child.pid!], dir);
      const outcome = await waitReady(child, url, certDir, token, log, timeoutMs);
      if (outcome.ok) {
        ca = outcome.ca;
        break;
      }
      if (outcome.portTaken && attempt < 3) continue;
      throw new Error(outcome.error);
    }
    const startupMs = Date.now() - started;
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigYaml(url, ca, token), { mode: 0o600 });
    controllerManager = startControllerManager(bins.controllerManager, dir, kubeconfig);
    try {
      process.kill(watchdog!.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    watchdog = spawnWatchdog([etcd.pid!, apiserver!.pid!, controllerManager.pid!], dir);

    const agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca });
    const request = (method: string, urlPath: string, body?: unknown, query?: { [key: string]: string }): Promise<Response> =>
      httpRequest(agent, url, token, method, urlPath, body, query);

    const versionResponse = await request('GET', '/version');
    const version = versionResponse.body as ServerVersion;
    const discovery = new Discovery(request);

    const create = async (object: any, opts: CreateOptions = {}): Promise<CreateResult> => {
      const target = await discovery.collectionPath(object, opts.namespace);
      const query: { [key: string]: string } = { fieldValidation: opts.fieldValidation ?? 'Strict' };
      if (opts.dryRun) query.dryRun = 'All';
      const r = await request('POST', target, object, query);
      const allowed = r.status >= 200 && r.status < 300;
      const message = allowed ? '' : (typeof r.body === 'object' && r.body && typeof r.body.message === 'string' ? r.body.message : String(r.body));
      return { ...r, allowed, message };
    };

    const apply = async (objects: readonly any[]): Promise<Response[]> => {
      const out: Response[] = [];
      for (const object of objects) {
        const name = `${object?.kind}/${object?.metadata?.name}`;
        let r: Response = await create(object);
        if (r.status === 409) {
          const target = await discovery.objectPath(object);
          const current = await request('GET', target);
          const replacement = { ...object, metadata: { ...object.metadata, resourceVersion: current.body?.metadata?.resourceVersion } };
          r = await request('PUT', target, replacement, { fieldValidation: 'Strict' });
        }
        if (r.status < 200 || r.status >= 300) {
          throw new Error(`apply ${name}: the server answered ${r.status}: ${r.body?.message ?? JSON.stringify(r.body)}`);
        }
        out.push(r);
        if (object.apiVersion === 'v1' && object.kind === 'Namespace') {
          const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: object.metadata.name } };
          const s = await create(sa);
          if (!s.allowed && s.status !== 409) throw new Error(`apply ${name}: its default ServiceAccount was refused (${s.status}): ${s.message}`);
        }
        if (object.kind === 'CustomResourceDefinition' && String(object.apiVersion).startsWith('apiextensions.k8s.io/')) {
          await waitForCrd(request, discovery, object, 60_000);
        }
      }
      return out;
    };

    const waitForPolicy = async (name: string, probe: any, opts: WaitForPolicyOptions = {}): Promise<any> => {
      const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
      const vap = await discovery.resolve('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy');
      if (!vap) throw new Error('this server serves no admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy');
      let last = '';
      for (;;) {
        const p = await request('GET', `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${encodeURIComponent(name)}`);
        if (p.status === 200) {
          const generation = p.body.metadata?.generation;
          const observed = p.body.status?.observedGeneration;
          if (generation !== undefined && observed !== undefined && observed >= generation) {
            const r = await create(probe, { dryRun: true, namespace: opts.namespace });
            if (!r.allowed && r.message.includes(`ValidatingAdmissionPolicy '${name}'`)) return p.body.status;
            last = r.allowed ? 'the probe was still admitted' : `the probe was refused by something else (${r.status}): ${r.message}`;
          } else {
            last = `status.observedGeneration ${observed} has not reached generation ${generation}`;
          }
        } else {
          last = `GET answered ${p.status}`;
        }
        if (controllerManager && controllerManager.exitCode !== null) {
          const cmLog = path.join(dir, 'kube-controller-manager.log');
          throw new Error(`kube-controller-manager exited (${controllerManager.exitCode}); ${cmLog} ends with:\n${tail(cmLog)}`);
        }
        if (Date.now() > deadline) throw new Error(`ValidatingAdmissionPolicy ${name} did not take effect: ${last}`);
        await sleep(200);
      }
    };

    let stopped = false;
    return {
      url,
      token,
      ca,
      version,
      minor: minorOf(version),
      kubeconfig,
      dir,
      startupMs,
      args,
      request,
      resourceFor: (apiVersion, kind) => discovery.resolve(apiVersion, kind),
      create,
      apply,
      waitForPolicy,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        agent.destroy();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * Starts kube-controller-manager with only the controllers the tests need, talking to the
 * server through the admin kubeconfig, serving nothing itself (`--secure-port=0`).
 */
function startControllerManager(bin: string, dir: string, kubeconfig: string): ChildProcess {
  const log = path.join(dir, 'kube-controller-manager.log');
  const logFd = fs.openSync(log, 'a');
  const child = spawn(bin, [
    `--kubeconfig=${kubeconfig}`,
    '--controllers=serviceaccount-controller,validatingadmissionpolicy-status-controller',
    '--leader-elect=false',
    '--secure-port=0',
    '--bind-address=127.0.0.1',
  ], { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

interface ReadyOutcome {
  readonly ok: boolean;
  readonly ca: string;
  readonly error: string;
  readonly portTaken: boolean;
}

/** Waits for the serving certificate, then for `/readyz` to answer 200. */
async function waitReady(child: ChildProcess, url: string, certDir: string, token: string, log: string, timeoutMs: number): Promise<ReadyOutcome> {
  const deadline = Date.now() + timeoutMs;
  const certFile = path.join(certDir, 'apiserver.crt');
  let last = '';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = tail(log);
      return {
        ok: false,
        ca: '',
        portTaken: /address already in use/.test(text),
        error: `kube-apiserver exited (${child.signalCode ?? child.exitCode}) before it was ready; ${log} ends with:\n${text}`,
      };
    }
    if (fs.existsSync(certFile)) {
      const ca = fs.readFileSync(certFile, 'utf8');
      if (ca.includes('-----END CERTIFICATE-----')) {
        const agent = new https.Agent({ ca, keepAlive: false });
        try {
          const r = await httpRequest(agent, url, token, 'GET', '/readyz', undefined, undefined, 5_000);
          if (r.status === 200) return { ok: true, ca, error: '', portTaken: false };
          last = `/readyz answered ${r.status}: ${typeof r.body === 'string' ? r.body.split('\n').filter((l) => l.includes('failed')).join('; ') : ''}`;
        } catch (e) {
          last = `/readyz: ${(e as Error).message}`;
        } finally {
          agent.destroy();
        }
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      return { ok: false, ca: '', portTaken: false, error: `kube-apiserver was not ready after ${timeoutMs} ms (${last}); ${log} ends with:\n${tail(log)}` };
    }
    await sleep(250);
  }
}

function httpRequest(agent: https.Agent, base: string, token: string, method: string, urlPath: string,
  body?: unknown, query?: { [key: string]: string }, timeoutMs = 60_000): Promise<Response> {
  const target = new URL(urlPath, base);
  for (const [k, v] of Object.entries(query ?? {})) target.searchParams.set(k, v);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(target, {
      method,
      agent,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
      },
      timeout: timeoutMs,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        if (text.length > 0 && /^\s*[[{]/.test(text)) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, warnings: parseWarnings(res.rawHeaders) });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${target.pathname}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Maps apiVersion/kind to resources with the server's discovery, per group version, cached. */
class Discovery {
  private readonly cache = new Map<string, Map<string, ResourceInfo>>();
  constructor(private readonly request: (method: string, urlPath: string) => Promise<Response>) {}

  /** Forgets what was learnt about a group version (after a CRD is added). */
  public forget(apiVersion: string): void {
    this.cache.delete(apiVersion);
  }

  public async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let kinds = this.cache.get(apiVersion);
    if (!kinds || !kinds.has(kind)) {
      kinds = await this.load(apiVersion);
    }
    return kinds.get(kind);
  }

  public async collectionPath(object: any, namespace?: string): Promise<string> {
    const info = await this.require(object);
    const prefix = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
    if (!info.namespaced) return `${prefix}/${info.resource}`;
    const ns = namespace ?? object.metadata?.namespace ?? 'default';
    return `${prefix}/namespaces/${encodeURIComponent(ns)}/${info.resource}`;
  }

  public async objectPath(object: any): Promise<string> {
    return `${await this.collectionPath(object)}/${encodeURIComponent(object.metadata?.name ?? '')}`;
  }

  private async require(object: any): Promise<ResourceInfo> {
    const apiVersion = object?.apiVersion;
    const kind = object?.kind;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      throw new Error(`an object without apiVersion/kind strings cannot be sent (${JSON.stringify({ apiVersion, kind })})`);
    }
    const info = await this.resolve(apiVersion, kind);
    if (!info) throw new Error(`${apiVersion} ${kind}: the server does not serve this kind (not in its discovery)`);
    return info;
  }

  private async load(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    const kinds = new Map<string, ResourceInfo>();
    const r = await this.request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
    if (r.status === 200 && Array.isArray(r.body?.resources)) {
      for (const res of r.body.resources) {
        // subresources (pods/status) share their kind with the resource: skip them
        if (typeof res.name !== 'string' || res.name.includes('/')) continue;
        kinds.set(res.kind, { apiVersion, kind: res.kind, resource: res.name, namespaced: res.namespaced === true });
      }
    }
    this.cache.set(apiVersion, kinds);
    return kinds;
  }
}

async function waitForCrd(request: (m: string, p: string) => Promise<Response>, discovery: Discovery, crd: any, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const name = crd.metadata?.name;
  const group = crd.spec?.group;
  const kind = crd.spec?.names?.kind;
  const versions: string[] = (crd.spec?.versions ?? []).filter((v: any) => v.served).map((v: any) => `${group}/${v.name}`);
  for (;;) {
    const r = await request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}`);
    const established = (r.body?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
    if (established) {
      let all = true;
      for (const v of versions) {
        discovery.forget(v);
        if (!(await discovery.resolve(v, kind))) all = false;
      }
      if (all) return;
    }
    if (Date.now() > deadline) throw new Error(`CustomResourceDefinition ${name} was not established and served within ${timeoutMs} ms`);
    await sleep(200);
  }
}
