/**
 * What the CLI needs from its process: output streams, standard input, environment.
 * Tests inject their own; `processIo()` is the real one.
 */

/** Somewhere to write text. */
export interface OutputStream {
  write(text: string): unknown;
}

/** The CLI's view of its process. */
export interface CliIo {
  /** Where reports, rule lists and help go. */
  readonly stdout: OutputStream;
  /** Where error messages and usage problems go. */
  readonly stderr: OutputStream;
  /** Standard input, read by `check -` (and by `check` without paths when it is not a TTY). */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** Whether standard input is a terminal. @default false */
  readonly stdinIsTTY?: boolean;
  /** Whether standard output is a terminal (enables colour). @default false */
  readonly stdoutIsTTY?: boolean;
  /** Environment variables (NO_COLOR, FORCE_COLOR, KUBEHARDEN_DEBUG). @default {} */
  readonly env?: { readonly [name: string]: string | undefined };
  /**
   * The directory SARIF artifact URIs are made relative to (input paths and `--output`
   * are resolved by the file system as usual). @default process.cwd()
   */
  readonly cwd?: string;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Whether to colour text written to standard output: only on a terminal, never when
 * NO_COLOR is set to a non-empty value; FORCE_COLOR (other than `0` or `false`)
 * enables it off a terminal, but NO_COLOR still wins.
 */
export function useColour(io: CliIo): boolean {
  const env = io.env ?? {};
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return io.stdoutIsTTY === true;
}
