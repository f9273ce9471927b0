/**
 * What the oracles' Node wrappers share: writing request lines to a child process with
 * back-pressure, and splitting its standard output into response lines. Node's standard
 * library only.
 */
import { ChildProcessWithoutNullStreams } from 'child_process';
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
