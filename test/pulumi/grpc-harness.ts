/**
 * Runs a policy pack the way the Pulumi CLI does, and talks to it over gRPC.
 *
 * The CLI (pulumi-language-nodejs RunPlugin, kind "analyzer") starts
 * `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack-dir>`
 * with the pack folder as working directory, the stack's identity in PULUMI_NODEJS_* and its
 * configuration in PULUMI_CONFIG; it reads the first line of stdout as the port, dials
 * 127.0.0.1:<port>, calls Handshake (UNIMPLEMENTED is accepted), ConfigureStack, then
 * GetAnalyzerInfo, GetPluginInfo, Configure (the --policy-pack-config levels), and per
 * resource Remediate and Analyze, and AnalyzeStack at the end.
 *
 * The message classes are the generated stubs that ship in the pack's own @pulumi/pulumi
 * (proto/*_pb.js: no .proto files ship), loaded from the pack folder as the pack loads them.
 */
import { ChildProcess, spawn } from 'child_process';
import { createRequire } from 'module';
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import type * as AnalyzerPb from '@pulumi/pulumi/proto/analyzer_pb';

const START_TIMEOUT_MS = 45_000;

/** The generated stubs of the pack's @pulumi/pulumi. */
export interface Stubs {
  readonly pulumiVersion: string;
  readonly pulumiDir: string;
  readonly analyzer: typeof AnalyzerPb;
  readonly analyzerService: grpc.ServiceDefinition;
  readonly engine: any;
  readonly engineService: grpc.ServiceDefinition;
  readonly Struct: { fromJavaScript(v: Record<string, unknown>): any };
  readonly Empty: new () => any;
}

/** Loads the stubs from the @pulumi/pulumi that `packDir` resolves. */
export function loadStubs(packDir: string): Stubs {
  const fromPack = createRequire(path.join(packDir, 'index.js'));
  const manifest = fromPack.resolve('@pulumi/pulumi/package.json');
  const fromPulumi = createRequire(manifest);
  return {
    pulumiVersion: fromPulumi('./package.json').version,
    pulumiDir: path.dirname(manifest),
    analyzer: fromPulumi('./proto/analyzer_pb.js'),
    analyzerService: fromPulumi('./proto/analyzer_grpc_pb.js').AnalyzerService,
    engine: fromPulumi('./proto/engine_pb.js'),
    engineService: fromPulumi('./proto/engine_grpc_pb.js').EngineService,
    // the same module instances the stubs' serializers check against
    Struct: fromPulumi('google-protobuf/google/protobuf/struct_pb.js').Struct,
    Empty: fromPulumi('google-protobuf/google/protobuf/empty_pb.js').Empty,
  };
}

/** A log record the pack sent to the engine. */
export interface EngineLog {
  readonly severity: number;
  readonly message: string;
  readonly urn: string;
}

/** The engine's gRPC service, as far as a policy pack uses it (Log, root resource). */
export interface FakeEngine {
  readonly address: string;
  readonly logs: EngineLog[];
  close(): Promise<void>;
}

export async function startEngine(stubs: Stubs): Promise<FakeEngine> {
  const logs: EngineLog[] = [];
  const server = new grpc.Server();
  let root = '';
  server.addService(stubs.engineService, {
    log: (call: any, cb: grpc.sendUnaryData<any>) => {
      const r = call.request;
      logs.push({ severity: r.getSeverity(), message: r.getMessage(), urn: r.getUrn() });
      cb(null, new stubs.Empty());
    },
    getRootResource: (_call: any, cb: grpc.sendUnaryData<any>) => {
      const res = new stubs.engine.GetRootResourceResponse();
      res.setUrn(root);
      cb(null, res);
    },
    setRootResource: (call: any, cb: grpc.sendUnaryData<any>) => {
      root = call.request.getUrn();
      cb(null, new stubs.engine.SetRootResourceResponse());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return {
    address: `127.0.0.1:${port}`,
    logs,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** What the CLI knows of the stack (PolicyAnalyzerOptions). */
export interface StackOptions {
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  readonly dryRun: boolean;
  readonly config?: Record<string, string>;
  readonly tags?: Record<string, string>;
}

export interface RunningPack {
  readonly port: number;
  readonly client: AnalyzerClient;
  /** Everything the pack wrote to stderr (and to stdout after the port line). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the pack in `packDir` as the CLI does and connects to it. */
export async function startPack(
  packDir: string, stubs: Stubs, engine: FakeEngine, stack: StackOptions, extraEnv: Record<string, string> = {},
): Promise<RunningPack> {
  const runPolicyPack = createRequire(path.join(packDir, 'index.js')).resolve('@pulumi/pulumi/cmd/run-policy-pack');
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PULUMI_')) delete env[k];
  Object.assign(env, {
    PULUMI_NODEJS_ORGANIZATION: stack.organization,
    PULUMI_NODEJS_PROJECT: stack.project,
    PULUMI_NODEJS_STACK: stack.stack,
    PULUMI_NODEJS_DRY_RUN: String(stack.dryRun),
    PULUMI_ORGANIZATION: stack.organization,
    PULUMI_PROJECT: stack.project,
    PULUMI_STACK: stack.stack,
    PULUMI_DRY_RUN: String(stack.dryRun),
    ...(stack.config ? { PULUMI_CONFIG: JSON.stringify(stack.config) } : {}),
    ...extraEnv,
  });
  const child = spawn(process.execPath, [runPolicyPack, engine.address, packDir], { cwd: packDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  // The pack serves until killed: never leave it behind this process.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  let out = '';
  child.stderr!.on('data', (d) => { out += d; });
  const port = await readPort(child, (rest) => { out += rest; }, () => out);
  const client = new AnalyzerClient(stubs, port);
  await client.handshake(engine.address, packDir);
  await client.configureStack(stack);
  return {
    port,
    client,
    output: () => out,
    stop: async () => {
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * Reads the first line of stdout, which must be the port (as the CLI's plugin loader does);
 * what follows goes to `rest`.
 */
function readPort(child: ChildProcess, rest: (text: string) => void, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    let first: string | undefined = '';
    let settled = false;
    const settle = (err: Error | undefined, port?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      if (err) {
        child.kill('SIGTERM');
        reject(err);
      } else {
        resolve(port!);
      }
    };
    const failure = (why: string) => new Error(`run-policy-pack: ${why}; its stderr:\n${stderr().slice(-4000)}`);
    child.stdout!.on('data', (d: Buffer) => {
      if (first === undefined) return rest(d.toString());
      first += d.toString();
      const nl = first.indexOf('\n');
      if (nl < 0) return undefined;
      const line = first.slice(0, nl).trim();
      const after = first.slice(nl + 1);
      first = undefined;
      if (after) rest(after);
      const port = Number(line);
      if (!/^\d+$/.test(line) || port <= 0 || port > 65535) {
        return settle(failure(`the first line of its stdout is not a port (${line.length} characters)`));
      }
      return settle(undefined, port);
    });
    const onExit = (code: number | null, signal: string | null) => settle(failure(`exited (code ${code}, signal ${signal}) before writing its port`));
    const timer = setTimeout(() => settle(failure(`wrote no port within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.on('exit', onExit);
  });
}

/** A resource as the engine marshals it for analyzers (KeepUnknowns, KeepSecrets). */
export interface WireResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly properties: Record<string, unknown>;
  readonly parent?: string;
}

export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly message: string;
  readonly enforcementLevel: number;
  readonly urn: string;
}

export interface Analysis {
  readonly diagnostics: Diagnostic[];
  readonly notApplicable: { policyName: string; reason: string }[];
}

export interface Remediation {
  readonly policyName: string;
  readonly properties?: Record<string, unknown>;
  readonly diagnostic: string;
}

/** A per-policy entry of --policy-pack-config. */
export interface PolicyConfig {
  readonly enforcementLevel: number;
  readonly properties?: Record<string, unknown>;
}

type Unary = (req: any, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: any) => void) => void;

/** A client of the Analyzer service, built from the shipped service definition. */
export class AnalyzerClient {
  private readonly client: Record<string, Unary> & grpc.Client;

  constructor(private readonly stubs: Stubs, port: number) {
    const Ctor = grpc.makeGenericClientConstructor(stubs.analyzerService as any, 'Analyzer');
    this.client = new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 400 * 1024 * 1024,
    }) as any;
  }

  close(): void {
    this.client.close();
  }

  private call(method: string, req: any): Promise<any> {
    const fn = this.client[method];
    if (typeof fn !== 'function') throw new Error(`the Analyzer service of @pulumi/pulumi ${this.stubs.pulumiVersion} has no ${method}`);
    return new Promise((resolve, reject) =>
      fn.call(this.client, req, new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err, res) => (err ? reject(err) : resolve(res))));
  }

  /** Handshake, as the CLI sends it; returns false when the pack does not implement it. */
  async handshake(engineAddress: string, packDir: string): Promise<boolean> {
    const A = this.stubs.analyzer as any;
    if (!A.AnalyzerHandshakeRequest) return false;
    const req = new A.AnalyzerHandshakeRequest();
    req.setEngineAddress(engineAddress);
    req.setRootDirectory(packDir);
    req.setProgramDirectory(packDir);
    try {
      await this.call('handshake', req);
      return true;
    } catch (e: any) {
      if (e?.code === grpc.status.UNIMPLEMENTED) return false;
      throw e;
    }
  }

  async configureStack(stack: StackOptions): Promise<void> {
    const req = new this.stubs.analyzer.AnalyzerStackConfigureRequest();
    req.setOrganization(stack.organization);
    req.setProject(stack.project);
    req.setStack(stack.stack);
    req.setDryRun(stack.dryRun);
    for (const [k, v] of Object.entries(stack.config ?? {})) req.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(stack.tags ?? {})) req.getTagsMap().set(k, v);
    try {
      await this.call('configureStack', req);
    } catch (e: any) {
      if (e?.code !== grpc.status.UNIMPLEMENTED) throw e;
    }
  }

  async getPluginInfo(): Promise<{ version: string }> {
    const res = await this.call('getPluginInfo', new this.stubs.Empty());
    return { version: res.getVersion() };
  }

  async getAnalyzerInfo(): Promise<AnalyzerPb.AnalyzerInfo> {
    return this.call('getAnalyzerInfo', new this.stubs.Empty());
  }

  async configure(config: Record<string, PolicyConfig>): Promise<void> {
    const req = new this.stubs.analyzer.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(config)) {
      const pc = new this.stubs.analyzer.PolicyConfig();
      pc.setEnforcementlevel(c.enforcementLevel as any);
      pc.setProperties(this.stubs.Struct.fromJavaScript((c.properties ?? {}) as any));
      req.getPolicyconfigMap().set(name, pc);
    }
    await this.call('configure', req);
  }

  async analyze(r: WireResource): Promise<Analysis> {
    const req = new this.stubs.analyzer.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(this.stubs.Struct.fromJavaScript(r.properties as any));
    req.setOptions(this.options(r));
    return this.analysis(await this.call('analyze', req));
  }

  async analyzeStack(resources: WireResource[]): Promise<Analysis> {
    const req = new this.stubs.analyzer.AnalyzeStackRequest();
    req.setResourcesList(resources.map((r) => {
      const m = new this.stubs.analyzer.AnalyzerResource();
      m.setUrn(r.urn);
      m.setType(r.type);
      m.setName(r.name);
      m.setProperties(this.stubs.Struct.fromJavaScript(r.properties as any));
      m.setOptions(this.options(r));
      if (r.parent) m.setParent(r.parent);
      return m;
    }));
    return this.analysis(await this.call('analyzeStack', req));
  }

  async remediate(r: WireResource): Promise<{ remediations: Remediation[]; notApplicable: Analysis['notApplicable'] }> {
    const req = new this.stubs.analyzer.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(this.stubs.Struct.fromJavaScript(r.properties as any));
    req.setOptions(this.options(r));
    const res = await this.call('remediate', req);
    return {
      remediations: res.getRemediationsList().map((m: any) => ({
        policyName: m.getPolicyname(),
        properties: m.getProperties()?.toJavaScript(),
        diagnostic: m.getDiagnostic(),
      })),
      notApplicable: notApplicableOf(res),
    };
  }

  /** AnalyzerResourceOptions as the CLI marshals them for a resource registered with no options. */
  private options(r: WireResource): AnalyzerPb.AnalyzerResourceOptions {
    const A = this.stubs.analyzer;
    const o = new A.AnalyzerResourceOptions();
    o.setProtect(false);
    o.setIgnorechangesList([]);
    o.setDeletebeforereplace(false);
    o.setDeletebeforereplacedefined(false);
    o.setAdditionalsecretoutputsList([]);
    o.setAliasesList([]);
    const t = new A.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(0);
    t.setUpdate(0);
    t.setDelete(0);
    o.setCustomtimeouts(t);
    o.setParent(r.parent ?? '');
    return o;
  }

  private analysis(res: any): Analysis {
    return {
      diagnostics: res.getDiagnosticsList().map((d: any) => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        message: d.getMessage(),
        enforcementLevel: d.getEnforcementlevel(),
        urn: d.getUrn(),
      })),
      notApplicable: notApplicableOf(res),
    };
  }
}

function notApplicableOf(res: any): Analysis['notApplicable'] {
  const list = typeof res.getNotApplicableList === 'function' ? res.getNotApplicableList() : [];
  return list.map((n: any) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}
