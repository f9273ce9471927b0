/**
 * What the oracles' Node wrappers share: writing request lines to a child process with
 * back-pressure, and splitting its standard output into response lines. Node's standard
 * library only.
 */
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';

/** Writes text to the child's standard input; resolves once it is accepted (or the child has exited). */
export async function writeToChild(child: ChildProcessWithoutNullStreams, text: string): Promise<void> {
  if (child.stdin.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      child.stdin.off('drain', done);
      child.off('exit', done);
      resolve();
    };
    child.stdin.on('drain', done);
    child.once('exit', done);
  });
}

/** Splits chunks of UTF-8 output into non-blank lines. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partialLine = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Takes a chunk; calls onLine for each line it completes. */
  public push(chunk: Buffer): void {
    const text = this.partialLine + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() !== '') this.onLine(line);
    }
  }
}

const BUILD_SCRIPT = path.join(__dirname, 'build.sh');

/**
 * Builds an oracle if its sources changed (`test/oracle/build.sh <name>`, run
 * synchronously) and starts it. Throws a clear error when Go is missing or the Go
 * modules cannot be downloaded.
 */
export async function startOracleBinary(name: 'decode' | 'admission'): Promise<ChildProcessWithoutNullStreams> {
  buildOracle(name);
  const binary = path.resolve(__dirname, '..', '..', 'build', 'oracle', name);
  const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (err) => reject(new Error(`cannot start the ${name} oracle ${binary}: ${err.message}`)));
  });
  return child;
}

function buildOracle(name: string): void {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error) {
    const code = (go.error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT'
      ? `the ${name} oracle needs the Go toolchain (Go >= 1.26), but \`go\` is not on PATH; install Go or skip the oracle tests (see test/oracle/README.md)`
      : `cannot run \`go version\`: ${go.error.message}`);
  }
  const res = spawnSync('bash', [BUILD_SCRIPT, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new Error(`cannot run ${BUILD_SCRIPT}: ${res.error.message}`);
  if (res.status === 0) return;
  const output = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim();
  switch (res.status) {
    case 2:
      throw new Error(`the ${name} oracle needs the Go toolchain, which is missing:\n${output}`);
    case 3:
      throw new Error(`cannot build the ${name} oracle: its Go modules could not be downloaded (no network or no Go module proxy). `
        + `Run test/oracle/build.sh ${name} once with network access.\n${output}`);
    default:
      throw new Error(`test/oracle/build.sh ${name} failed (exit status ${res.status ?? res.signal}):\n${output}`);
  }
}
