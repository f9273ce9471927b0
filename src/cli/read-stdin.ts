/**
 * Reads standard input into a check session as a stream (`helm template … | kubeharden check -`):
 * documents are checked as they arrive, so memory stays flat on large inputs.
 */
import { errorDetail } from './error-detail';
import { CheckSession, STDIN_FILE } from '../engine/check-session';
import { Utf8Reader } from '../engine/input/utf8';

/**
 * Streams `input` into the session under the file name `-`, or under `file`
 * (`--stdin-filename`: the repository path the input was rendered from). A read failure
 * becomes an input error of the report; it never throws.
 */
export async function readStdinInto(
  session: CheckSession,
  input: AsyncIterable<string | Uint8Array> | undefined,
  file: string = STDIN_FILE,
): Promise<void> {
  const stream = session.openStream(file);
  if (input === undefined) {
    session.addError({ file, line: 0, column: 0, message: 'cannot read: standard input is not available' });
    stream.end();
    return;
  }
  const reader = new Utf8Reader();
  let total = 0;
  try {
    for await (const chunk of input) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      total += bytes.byteLength;
      // past the input limit, stop reading: a pipe that never ends must not hang the check
      if (!session._pushBytes(stream, reader, bytes, file, total)) break;
    }
    stream.push(reader.end());
  } catch (e) {
    session.addError({ file, line: 0, column: 0, message: `cannot read standard input: ${errorDetail(e)}` });
  }
  stream.end();
}
