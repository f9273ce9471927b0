/**
 * The kubeharden command line: `check`, `fix`, `admission`, `rules`, `explain`, `--help`, `--version`.
 *
 * `main(argv, io)` runs in-process and returns the exit code (0 clean, 1 findings,
 * 2 usage or input errors); `run()` is what bin/kubeharden calls. Neither ever lets a
 * stack trace reach the user (set KUBEHARDEN_DEBUG=1 to see one for an internal error).
 */
import { admissionCommand } from './admission-command';
import { UsageError } from './args';
import { checkCommand, EXIT_ERROR, EXIT_OK } from './check-command';
import { fixCommand } from './fix-command';
import { COMMANDS, helpText } from './help';
import { CliIo, processIo } from './io';
import { explainCommand, rulesCommand } from './rules-command';
import { TOOL } from '../engine/engine';
import { closest } from '../engine/suggest';

export { CliIo } from './io';

/**
 * Runs the CLI with arguments (without the node and script names).
 * @returns the exit code
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let command: string | undefined;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr.write(helpText());
      return EXIT_ERROR;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(helpText());
      return EXIT_OK;
    }
    if (first === '--version') {
      io.stdout.write(`${TOOL.version}\n`);
      return EXIT_OK;
    }
    if (first === 'help') {
      const topic = rest.find((a) => !a.startsWith('-'));
      if (topic !== undefined && !COMMANDS.includes(topic)) throw unknownCommand(topic);
      io.stdout.write(helpText(topic));
      return EXIT_OK;
    }
    if (!COMMANDS.includes(first)) {
      if (first.startsWith('-')) throw new UsageError(`unknown option ${first}; options go after the command, e.g. kubeharden check ${first}`);
      throw unknownCommand(first);
    }
    command = first;
    if (wantsHelp(rest)) {
      io.stdout.write(helpText(command));
      return EXIT_OK;
    }
    switch (command) {
      case 'check': return await checkCommand(rest, io);
      case 'fix': return await fixCommand(rest, io);
      case 'rules': return rulesCommand(rest, io);
      case 'admission': return admissionCommand(rest, io);
      default: return explainCommand(rest, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`kubeharden: ${e.message}\n`);
      const about = e.command ?? command;
      io.stderr.write(`Run \`kubeharden ${about ? `${about} ` : ''}--help\` for usage.\n`);
      return EXIT_ERROR;
    }
    const env = io.env ?? {};
    io.stderr.write(`kubeharden: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (env.KUBEHARDEN_DEBUG) io.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    else io.stderr.write('Set KUBEHARDEN_DEBUG=1 to see the stack trace, and please report this.\n');
    return EXIT_ERROR;
  }
}

/** Whether the arguments ask for help (before any `--`). */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

function unknownCommand(name: string): UsageError {
  const hint = closest(name, COMMANDS);
  return new UsageError(`unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ''}`);
}

/** Entry point of bin/kubeharden: runs with the process's arguments and sets its exit code. */
export function run(): void {
  // A closed pipe (`kubeharden rules | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e) => {
      process.stderr.write(`kubeharden: internal error: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
