/**
 * `kubeharden check [paths...|-]`: checks manifests and writes the report.
 */
import * as fs from 'fs';
import { FlagSpec, parseArgs, stringFlag, UsageError } from './args';
import { Style } from './colour';
import { errorDetail } from './error-detail';
import { formatJson } from './format-json';
import { ndjsonEnd, ndjsonFinding } from './format-ndjson';
import { formatSarif } from './format-sarif';
import { errorLine, formatText, summaryLine } from './format-text';
import { CliIo, useColour } from './io';
import { readStdinInto } from './read-stdin';
import { CheckSession, STDIN_FILE } from '../engine/check-session';
import { Config, KubehardenConfig } from '../engine/config';
import { Engine, Reports, SEVERITY_ORDER } from '../engine/engine';
import { parseProfile } from '../engine/profiles';
import { parsePssVersion } from '../engine/pss-version';
import { InputError, Profile, Report, Severity } from '../engine/types';
import { Rules } from '../rules/catalog';

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const FORMATS = ['text', 'json', 'sarif', 'ndjson'] as const;

/**
 * The input error of an input that holds no Kubernetes object: an empty input is not a
 * pass (`helm template` failing upstream in a pipe without pipefail writes nothing).
 */
export const EMPTY_INPUT_MESSAGE = 'no Kubernetes objects in the input (give --allow-empty if an empty input is expected)';

/** The flags of `check`. */
const CHECK_FLAGS: FlagSpec[] = [
  { name: 'profile', short: 'p', takesValue: true, values: Object.values(Profile) },
  { name: 'pss-version', takesValue: true },
  { name: 'format', short: 'f', takesValue: true, values: FORMATS },
  { name: 'fail-on', takesValue: true, values: SEVERITY_ORDER },
  { name: 'output', short: 'o', takesValue: true },
  { name: 'config', short: 'c', takesValue: true },
  { name: 'max-input-bytes', takesValue: true },
  { name: 'stdin-filename', takesValue: true },
  { name: 'allow-empty', takesValue: false },
  { name: 'exclude-builtin-rbac', takesValue: false },
  { name: 'help', short: 'h', takesValue: false },
];

/** Runs `check`; returns the exit code. Throws UsageError for usage problems. */
export async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, CHECK_FLAGS, 'check');
  const cwd = io.cwd ?? process.cwd();

  // Configuration: --config, else kubeharden.config.{yaml,yml,json} in the working directory.
  const configFlag = stringFlag(parsed, 'config');
  if (configFlag === '') throw new UsageError('--config needs a file name', 'check');
  const configFile = configFlag ?? Config.find(process.cwd());
  let config: KubehardenConfig = {};
  if (configFile !== undefined) {
    const loaded = Config.load(configFile);
    if (!loaded.config) {
      for (const e of loaded.errors) {
        io.stderr.write(`kubeharden: invalid configuration: ${errorLine(e)}\n`);
      }
      return EXIT_ERROR;
    }
    config = loaded.config;
  }

  // Only the flags: Config.toEngineOptions puts them over the configuration, and the engine defaults the rest.
  const profileFlag = stringFlag(parsed, 'profile');
  const profile = profileFlag !== undefined ? parseProfile(profileFlag) : undefined;
  const pssVersion = stringFlag(parsed, 'pss-version');
  if (pssVersion !== undefined && parsePssVersion(pssVersion) === undefined) {
    throw new UsageError(`invalid --pss-version "${pssVersion}": expected latest or v1.N (for example v1.30)`, 'check');
  }
  const format = (stringFlag(parsed, 'format') ?? 'text') as typeof FORMATS[number];
  const failOn = (stringFlag(parsed, 'fail-on') ?? config.failOn ?? 'low') as Severity;
  const output = stringFlag(parsed, 'output');
  const maxFlag = stringFlag(parsed, 'max-input-bytes');
  const maxInputBytes = maxFlag === undefined ? undefined : Number(maxFlag);
  if (maxInputBytes !== undefined && !(/^[0-9]+$/.test(maxFlag!) && maxInputBytes > 0 && Number.isSafeInteger(maxInputBytes))) {
    throw new UsageError('invalid --max-input-bytes: expected a positive whole number of bytes', 'check');
  }

  const inputs = parsed.positionals;
  if (inputs.filter((p) => p === STDIN_FILE).length > 1) {
    throw new UsageError('standard input ("-") can be given only once', 'check');
  }
  if (inputs.some((p) => p === '')) {
    throw new UsageError('an empty path was given', 'check');
  }
  const stdinFilename = stringFlag(parsed, 'stdin-filename');
  if (stdinFilename === '') throw new UsageError('--stdin-filename needs a path', 'check');
  if (inputs.length === 0) {
    if (io.stdinIsTTY || io.stdin === undefined) {
      throw new UsageError('no input: give files or directories to check, or pipe manifests to standard input ("-")', 'check');
    }
    inputs.push(STDIN_FILE);
  }
  if (stdinFilename !== undefined && !inputs.includes(STDIN_FILE)) {
    throw new UsageError('--stdin-filename names standard input, which is not read: add "-" to the paths', 'check');
  }
  const stdinName = stdinFilename ?? STDIN_FILE;
  const allowEmpty = parsed.flags.get('allow-empty') === true;
  /** The report, with an input error on every input when none of them held a Kubernetes object. */
  const judged = (report: Report): Report => {
    if (allowEmpty || report.summary.objects > 0 || report.errors.length > 0) return report;
    const names = [...new Set(inputs.map((p) => (p === STDIN_FILE ? stdinName : p)))];
    const errors: InputError[] = names.map((file) => ({ file, line: 0, column: 0, message: EMPTY_INPUT_MESSAGE }));
    // when the report goes elsewhere than a terminal's text, say it on standard error too
    if (format !== 'text' || output !== undefined) io.stderr.write(`kubeharden: ${EMPTY_INPUT_MESSAGE}\n`);
    return { ...report, errors: [...report.errors, ...errors], summary: { ...report.summary, errors: report.summary.errors + errors.length } };
  };

  const excludeBuiltinRbac = parsed.flags.has('exclude-builtin-rbac') ? true : undefined;
  const options = Config.toEngineOptions(config, { profile, pssVersion, excludeBuiltinRbac });
  const engine = new Engine(maxInputBytes !== undefined ? { ...options, maxInputBytes } : options);
  const session = engine.newSession();
  const read = async () => {
    for (const input of inputs) {
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

