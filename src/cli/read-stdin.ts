/**
 * Reads standard input into a check session as a stream (`helm template … | kubeharden check -`):
 * documents are checked as they arrive, so memory stays flat on large inputs.
 */
import { StringDecoder } from 'string_decoder';
import { errorDetail } from './error-detail';
import { CheckSession, STDIN_FILE } from '../engine/check-session';

/**
 * Streams `input` into the session under the file name `-`. A read failure becomes
 * an input error of the report; it never throws.
 */
export async function readStdinInto(session: CheckSession, input: AsyncIterable<string | Uint8Array> | undefined): Promise<void> {
  const stream = session.openStream(STDIN_FILE);
  if (input === undefined) {
    session.addError({ file: STDIN_FILE, line: 0, column: 0, message: 'cannot read: standard input is not available' });
    stream.end();
    return;
  }
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of input) {
      stream.push(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    }
    stream.push(decoder.end());
  } catch (e) {
    session.addError({ file: STDIN_FILE, line: 0, column: 0, message: `cannot read standard input: ${errorDetail(e)}` });
  }
  stream.end();
}
