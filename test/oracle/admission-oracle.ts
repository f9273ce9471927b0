/**
 * Differential-testing oracle for ValidatingAdmissionPolicies: compiles
 * policies and evaluates them on objects with the code kube-apiserver runs,
 * by driving a small Go program (test/oracle/admission) built on
 * k8s.io/apiserver and k8s.io/kubernetes. See test/oracle/README.md.
 *
 *   const oracle = await startAdmissionOracle();
 *   const report = await oracle.load({ policies, bindings, params: [] });
 *   const [pairs] = await oracle.evaluate([{ object: pod, operation: 'CREATE' }]);
 *   await oracle.close();
 *
 * Only Node's standard library is used.
 */
import { ChildProcessWithoutNullStreams } from 'child_process';
import { LineSplitter, startOracleBinary, writeToChild } from './ndjson-child';

export interface PolicySet {
  readonly policies: unknown[];
  readonly bindings: unknown[];
  /** Param objects (e.g. ConfigMaps) that bindings' paramRef can select. */
  readonly params?: unknown[];
  /**
   * CustomResourceDefinitions: their kinds are type-checked against the CRD's schema, and
   * their objects pruned, defaulted and validated as the API server does (they stay
   * loaded for later loads, as in a cluster).
   */
  readonly crds?: unknown[];
  /**
   * "1.30": compile new expressions in that version's CEL environment
   * (environment.MustBaseEnvSet). Default: the API server's default compatibility version.
   */
  readonly kubernetesVersion?: string;
  /** Apply the API server's defaulting to case objects (default true). */
  readonly applyDefaults?: boolean;
  /** Type-check and estimate costs (default true); false only compiles, for a set already checked. */
  readonly check?: boolean;
}

export interface ExpressionReport {
  /** e.g. `spec.validations[0].expression`. */
  readonly path: string;
  /** Worst-case estimated cost (null when it could not be estimated). */
  readonly estimatedCost: number | null;
  /** The per-call runtime limit (celconfig.PerCallLimit). */
  readonly limit: number;
  /** Estimated with the OpenAPI schema of a matched kind (false: dyn types, unbounded lists). */
  readonly typed: boolean;
  readonly gvk?: string;
  readonly exceedsLimit: boolean;
}

export interface TypeWarning {
  readonly path: string;
  readonly warning: string;
  /** The status controller checks this expression too (validations and messageExpressions only). */
  readonly serverChecks: boolean;
}

export interface PolicyReport {
  readonly name: string;
  /** serverErrors plus typed cost estimates over the per-call limit. */
  readonly errors: string[];
  /** What kube-apiserver rejects the policy for on create. */
  readonly serverErrors: string[];
  readonly admittedByServer: boolean;
  readonly typeWarnings: TypeWarning[];
  readonly expressions: ExpressionReport[];
}

export interface CompileReport {
  readonly kubernetesVersion: string;
  readonly policies: PolicyReport[];
  readonly bindings: { name: string; policy: string; errors: string[] }[];
  readonly paramErrors: string[];
  /** CRDs that could not be loaded. */
  readonly crdErrors: string[];
}

export interface AdmissionCase {
  readonly object: unknown;
  readonly oldObject?: unknown;
  readonly operation?: 'CREATE' | 'UPDATE';
  /** The Namespace object of a namespaced object (default: one with only the kubernetes.io/metadata.name label). */
  readonly namespace?: unknown;
  readonly userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  /** GVR and scope of a kind that is not built in. */
  readonly resource?: { group: string; version: string; resource: string; namespaced?: boolean };
}

export interface Failure {
  readonly validation: number;
  readonly message: string;
  readonly reason?: string;
  /** `deny`: the validation was false; `error`: it could not be evaluated (failurePolicy Fail). */
  readonly evaluation: 'deny' | 'error';
  readonly param?: string;
}

export interface CaseResult {
  readonly policy: string;
  readonly binding: string;
  readonly matched: boolean;
  readonly decision: 'admit' | 'deny' | 'error';
  /** The API server's answer when this pair rejects the request. */
  readonly message?: string;
  readonly failures: Failure[];
  readonly warnings: string[];
  readonly auditFailures: Failure[];
  readonly auditAnnotations: Record<string, string>;
  readonly runtimeCost: number;
  readonly error?: string;
}

/** A case the oracle could not evaluate (bad object, unknown kind). */
export interface CaseError {
  readonly error: string;
}

export type CaseOutcome = CaseResult[] | CaseError;

/**
 * The policies of one rule from a generated set, with their bindings and the parameters,
 * as one PolicySet for the oracle (compiled only: the set's type checks are the compile
 * tests' business).
 */
export function rulePolicySet(set: { readonly objects: readonly any[] }, rule: string, kubernetesVersion: string): PolicySet & { policies: any[] } {
  const policies = set.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.labels['kubeharden.io/rule'] === rule);
  const names = new Set(policies.map((p) => p.metadata.name));
  return {
    check: false,
    policies,
    bindings: set.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding' && names.has(o.spec.policyName)),
    params: set.objects.filter((o) => o.kind === 'ConfigMap'),
    kubernetesVersion,
    applyDefaults: false,
  };
}

export function isCaseError(outcome: CaseOutcome): outcome is CaseError {
  return !Array.isArray(outcome);
}

export interface AdmissionOracle {
  /** Compiles a policy set; later `evaluate` calls use it. */
  load(set: PolicySet): Promise<CompileReport>;
  /** Evaluates each case against the last loaded set; one outcome per case, in order. */
  evaluate(cases: AdmissionCase[]): Promise<CaseOutcome[]>;
  close(): Promise<void>;
}

const STDERR_KEEP = 16 * 1024;
/** Cases sent per request line. */
const CASES_PER_LINE = 2000;

/** Builds the oracle if its sources changed and starts it (see startOracleBinary). */
export async function startAdmissionOracle(): Promise<AdmissionOracle> {
  return new OracleProcess(await startOracleBinary('admission'));
}

interface Response {
  id?: string;
  compile?: CompileReport;
  results?: CaseOutcome[];
  error?: string;
}

interface Pending {
  resolve(response: Response): void;
  reject(err: Error): void;
}

class OracleProcess implements AdmissionOracle {
  private readonly pending = new Map<string, Pending>();
  private readonly lines = new LineSplitter((line) => this.onLine(line));
  private stderrTail = '';
  private nextId = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.lines.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.stdin.on('error', () => undefined);
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.fail(new Error(`the admission oracle exited (code ${code}, signal ${signal})${this.stderrTail ? `:\n${this.stderrTail}` : ''}`));
        resolve();
      });
    });
    child.once('error', (err) => this.fail(new Error(`admission oracle process error: ${err.message}`)));
  }

  async load(set: PolicySet): Promise<CompileReport> {
    const res = await this.request({ load: { ...set, params: set.params ?? [] } });
    if (res.error !== undefined || !res.compile) {
      throw new Error(`admission oracle: load failed: ${res.error ?? 'no compile report'}`);
    }
    return res.compile;
  }

  async evaluate(cases: AdmissionCase[]): Promise<CaseOutcome[]> {
    const parts: Promise<Response>[] = [];
    for (let i = 0; i < cases.length; i += CASES_PER_LINE) {
      parts.push(this.request({ cases: cases.slice(i, i + CASES_PER_LINE) }));
    }
    const out: CaseOutcome[] = [];
    for (const res of await Promise.all(parts)) {
      if (res.error !== undefined || !Array.isArray(res.results)) {
        throw new Error(`admission oracle: evaluate failed: ${res.error ?? 'no results'}`);
      }
      out.push(...res.results);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.end();
    }
    await this.exited;
  }

  private request(body: Record<string, unknown>): Promise<Response> {
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    const id = String(this.nextId++);
    const result = new Promise<Response>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const line = JSON.stringify({ id, ...body }) + '\n';
    // One write at a time, each after the previous one drained.
    this.writing = this.writing.then(() => this.write(line));
    return result;
  }

  private async write(line: string): Promise<void> {
    if (!this.failure) await writeToChild(this.child, line);
  }


  private onLine(line: string): void {
    let msg: Response;
    try {
      msg = JSON.parse(line);
    } catch {
      this.protocolError('unparseable response line');
      return;
    }
    const waiter = msg.id === undefined ? undefined : this.pending.get(msg.id);
    if (!waiter) {
      this.protocolError(`response for an unknown request${msg.error ? `: ${msg.error}` : ''}`);
      return;
    }
    this.pending.delete(msg.id!);
    waiter.resolve(msg);
  }

  private protocolError(message: string): void {
    this.fail(new Error(`admission oracle protocol error: ${message}`));
    this.child.kill();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.pending.values()) {
      waiter.reject(this.failure);
    }
    this.pending.clear();
  }
}
