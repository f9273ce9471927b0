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
import { ChildProcessWithoutNullStreams } from 'child_process';
import { LineSplitter, startOracleBinary, writeToChild } from './ndjson-child';

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


/** Requests written per stdin write, so big batches do not build one huge string. */
const WRITE_CHUNK = 512;
const STDERR_KEEP = 16 * 1024;

/** Builds the oracle if its sources changed and starts it (see startOracleBinary). */
export async function startDecodeOracle(): Promise<DecodeOracle> {
  return new OracleProcess(await startOracleBinary('decode'));
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
