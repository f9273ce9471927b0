/**
 * Differential-testing oracle: decodes Kubernetes manifest streams exactly as
 * `kubectl apply -f FILE` does, by driving a small Go program
 * (test/oracle/decode) built on k8s.io/apimachinery and k8s.io/cli-runtime.
 * See test/oracle/README.md.
 *
 *   const oracle = await startDecodeOracle();
 *   const [result] = await oracle.decode([Buffer.from('kind: A\na: yes\n')]);
 *   // result.docs[0] = { index: 0, objects: [{ kind: 'A', a: true }] }
 *   await oracle.close();
 *
 * Only Node's standard library is used.
 */
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { LineSplitter, writeToChild } from './ndjson-child';

/** A document of the stream that decoded: the objects kubectl would apply (Lists flattened). */
export interface OracleObjectsDoc {
  /**
   * 0-based ordinal of the decoder call that produced this document. It counts
   * the empty and `null` documents kubectl skips too, so gaps show skipped documents.
   */
  readonly index: number;
  /** Each object as Go's `json.Marshal(unstructured.Object)` gives it, parsed. */
  readonly objects: unknown[];
}

/** A document of the stream that kubectl rejects. */
export interface OracleErrorDoc {
  readonly index: number;
  /** kubectl's error message (`STDIN` stands for the file name). */
  readonly error: string;
  /**
   * Present when kubectl would still apply part of the document: the items of a
   * List that passed, when other items were rejected.
   */
  readonly partial?: unknown[];
}

export type OracleDoc = OracleObjectsDoc | OracleErrorDoc;

export interface OracleResult {
  /** In stream order. */
  readonly docs: OracleDoc[];
  /**
   * True when the decoder could not go on after an error (a JSON stream with a
   * syntax error after its second object): the rest of the stream was not read.
   * (kubectl itself stops a file at the first parse error; the oracle goes on
   * wherever the decoder can.)
   */
  readonly stopped: boolean;
}

export interface DecodeOracle {
  /** Decodes each stream (the raw bytes of one manifest file); results are in the same order. */
  decode(streams: Buffer[]): Promise<OracleResult[]>;
  /** Ends the Go process. */
  close(): Promise<void>;
}

/** Type guard for the error variant. */
export function isErrorDoc(doc: OracleDoc): doc is OracleErrorDoc {
  return 'error' in doc;
}

const ORACLE_DIR = __dirname;
const BUILD_SCRIPT = path.join(ORACLE_DIR, 'build.sh');
const BINARY = path.resolve(ORACLE_DIR, '..', '..', 'build', 'oracle', 'decode');

/** Requests written per stdin write, so big batches do not build one huge string. */
const WRITE_CHUNK = 512;
const STDERR_KEEP = 16 * 1024;

/**
 * Builds the oracle if its sources changed (test/oracle/build.sh, run
 * synchronously) and starts it. Throws a clear error when Go is missing or the
 * Go modules cannot be downloaded.
 */
export async function startDecodeOracle(): Promise<DecodeOracle> {
  buildOracle();
  const child = spawn(BINARY, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (err) => reject(new Error(`cannot start the decode oracle ${BINARY}: ${err.message}`)));
  });
  return new OracleProcess(child);
}

function buildOracle(): void {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error) {
    const code = (go.error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT'
      ? 'the decode oracle needs the Go toolchain (Go >= 1.26), but `go` is not on PATH; install Go or skip the oracle tests (see test/oracle/README.md)'
      : `cannot run \`go version\`: ${go.error.message}`);
  }
  const res = spawnSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (res.error) {
    throw new Error(`cannot run ${BUILD_SCRIPT}: ${res.error.message}`);
  }
  if (res.status === 0) {
    return;
  }
  const output = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim();
  switch (res.status) {
    case 2:
      throw new Error(`the decode oracle needs the Go toolchain, which is missing:\n${output}`);
    case 3:
      throw new Error(`cannot build the decode oracle: its Go modules could not be downloaded (no network or no Go module proxy). Run test/oracle/build.sh once with network access.\n${output}`);
    default:
      throw new Error(`test/oracle/build.sh failed (exit status ${res.status ?? res.signal}):\n${output}`);
  }
}

interface Pending {
  resolve(result: OracleResult): void;
  reject(err: Error): void;
}

class OracleProcess implements DecodeOracle {
  private readonly pending = new Map<string, Pending>();
  private readonly lines = new LineSplitter((line) => this.onLine(line));
  private stderrTail = '';
  private nextId = 0;
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.lines.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    // EPIPE when the process died; the exit handler reports it.
    child.stdin.on('error', () => undefined);
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.fail(new Error(`the decode oracle exited (code ${code}, signal ${signal})${this.stderrTail ? `:\n${this.stderrTail}` : ''}`));
        resolve();
      });
    });
    child.once('error', (err) => this.fail(new Error(`decode oracle process error: ${err.message}`)));
  }

  async decode(streams: Buffer[]): Promise<OracleResult[]> {
    if (this.failure) {
      throw this.failure;
    }
    const results: Promise<OracleResult>[] = [];
    let lines: string[] = [];
    for (const stream of streams) {
      const id = String(this.nextId++);
      results.push(new Promise<OracleResult>((resolve, reject) => this.pending.set(id, { resolve, reject })));
      lines.push(JSON.stringify({ id, data: stream.toString('base64') }));
      if (lines.length >= WRITE_CHUNK) {
        await this.write(lines);
        lines = [];
      }
    }
    if (lines.length > 0) {
      await this.write(lines);
    }
    return Promise.all(results);
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin.end();
    }
    await this.exited;
  }

  private async write(lines: string[]): Promise<void> {
    if (this.failure) {
      throw this.failure;
    }
    await writeToChild(this.child, lines.join('\n') + '\n');
  }

  private onLine(line: string): void {
    let msg: { id?: unknown; docs?: unknown; stopped?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      this.protocolError(`unparseable response line: ${line.slice(0, 200)}`);
      return;
    }
    const id = typeof msg.id === 'string' ? msg.id : undefined;
    const waiter = id === undefined ? undefined : this.pending.get(id);
    if (!waiter || !Array.isArray(msg.docs) || typeof msg.stopped !== 'boolean') {
      this.protocolError(`unexpected response: ${line.slice(0, 200)}`);
      return;
    }
    this.pending.delete(id!);
    waiter.resolve({ docs: msg.docs as OracleDoc[], stopped: msg.stopped });
  }

  private protocolError(message: string): void {
    this.fail(new Error(`decode oracle protocol error: ${message}`));
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
