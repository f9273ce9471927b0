/**
 * `kubeharden check [paths...|-]`: checks manifests and writes the report.
 */
import * as fs from 'fs';
import { FlagSpec, parseArgs, stringFlag } from './args';
import { Style } from './colour';
import { errorDetail } from './error-detail';
import { formatJson } from './format-json';
import { ndjsonEnd, ndjsonFinding } from './format-ndjson';
import { formatSarif } from './format-sarif';
import { formatText, summaryLine } from './format-text';
import { engineSetup, ENGINE_FLAGS, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, INPUT_FLAGS, inputsOf, withEmptyInputError } from './input-options';
import { CliIo, useColour } from './io';
import { readStdinInto } from './read-stdin';
import { CheckSession, STDIN_FILE } from '../engine/check-session';
import { Engine, Reports } from '../engine/engine';
import { Report, Severity } from '../engine/types';
import { Rules } from '../rules/catalog';

export { EMPTY_INPUT_MESSAGE, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from './input-options';

const FORMATS = ['text', 'json', 'sarif', 'ndjson'] as const;

/** The flags of `check`. */
const CHECK_FLAGS: FlagSpec[] = [
  ...ENGINE_FLAGS,
  { name: 'format', short: 'f', takesValue: true, values: FORMATS },
  { name: 'output', short: 'o', takesValue: true },
  ...INPUT_FLAGS,
  { name: 'help', short: 'h', takesValue: false },
];

/** Runs `check`; returns the exit code. Throws UsageError for usage problems. */
export async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, CHECK_FLAGS, 'check');
  const cwd = io.cwd ?? process.cwd();

  const setup = engineSetup(parsed, io, 'check');
  if (setup === undefined) return EXIT_ERROR;
  const format = (stringFlag(parsed, 'format') ?? 'text') as typeof FORMATS[number];
  const failOn = setup.failOn;
  const output = stringFlag(parsed, 'output');
  const inputs = inputsOf(parsed, io, 'check', 'check');
  const stdinName = inputs.stdinName;
  // the report, with an input error on every input when none of them held a Kubernetes
  // object; when the report goes elsewhere than a terminal's text, that is said on standard error too
  const judged = (report: Report): Report => withEmptyInputError(report, inputs, format !== 'text' || output !== undefined
    ? (message) => io.stderr.write(`kubeharden: ${message}\n`)
    : undefined);

  const engine = new Engine(setup.options);
  const session = engine.newSession();
  const read = async () => {
    for (const input of inputs.paths) {
      if (input === STDIN_FILE) await readStdinInto(session, io.stdin, stdinName);
      else session.addPath(input);
    }
  };
  if (format === 'ndjson') return streamNdjson(session, read, judged, io, failOn, output);
  await read();
  const report = judged(session.report());

  const toFile = output !== undefined;
  let text: string;
  switch (format) {
    case 'json':
      text = formatJson(report);
      break;
    case 'sarif':
      text = formatSarif(report, { rules: Rules.metadata(), cwd });
      break;
    default:
      text = formatText(report, new Style(!toFile && useColour(io)));
  }
  if (toFile) {
    try {
      fs.writeFileSync(output, text);
    } catch (e) {
      io.stderr.write(`kubeharden: cannot write ${output}: ${errorDetail(e)}\n`);
      return EXIT_ERROR;
    }
    io.stderr.write(`kubeharden: ${format} report written to ${output}: ${summaryLine(report)}\n`);
  } else {
    io.stdout.write(text);
  }
  if (report.errors.length > 0) return EXIT_ERROR;
  return Reports.hasFindingsAtOrAbove(report, failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** `--format ndjson`: findings written as they are found (to the output file as they come, or to standard output). */
async function streamNdjson(
  session: CheckSession,
  read: () => Promise<void>,
  judged: (report: Report) => Report,
  io: CliIo,
  failOn: Severity,
  output: string | undefined,
): Promise<number> {
  let fd: number | undefined;
  if (output !== undefined) {
    try {
      fd = fs.openSync(output, 'w');
    } catch (e) {
      io.stderr.write(`kubeharden: cannot write ${output}: ${errorDetail(e)}\n`);
      return EXIT_ERROR;
    }
  }
  const write = (text: string) => (fd !== undefined ? fs.writeSync(fd, text) : io.stdout.write(text));
  let failing = false;
  session._streamFindings((f) => {
    if (!f.suppressed && Reports.severityAtOrAbove(f.severity, failOn)) failing = true;
    write(ndjsonFinding(f));
  });
  try {
    await read();
    const report = judged(session.report());
    write(ndjsonEnd(report));
    if (fd !== undefined) io.stderr.write(`kubeharden: ndjson report written to ${output}: ${summaryLine(report)}\n`);
    if (report.errors.length > 0) return EXIT_ERROR;
    return failing ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

