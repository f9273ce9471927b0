/**
 * What `check` and `fix` share: the flags that choose the engine (profile, Pod Security
 * Standards version, configuration file, input limit, failing severity) and the inputs
 * (paths, standard input and its name, whether an empty input passes), parsed and
 * checked the same way for both.
 */
import { FlagSpec, ParsedArgs, stringFlag, UsageError } from './args';
import { errorLine } from './format-text';
import { CliIo } from './io';
import { STDIN_FILE } from '../engine/check-session';
import { Config, KubehardenConfig } from '../engine/config';
import { EngineOptions, SEVERITY_ORDER } from '../engine/engine';
import { parseProfile } from '../engine/profiles';
import { parsePssVersion } from '../engine/pss-version';
import { InputError, Profile, Report, Severity } from '../engine/types';

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/**
 * The input error of an input that holds no Kubernetes object: an empty input is not a
 * pass (`helm template` failing upstream in a pipe without pipefail writes nothing).
 */
export const EMPTY_INPUT_MESSAGE = 'no Kubernetes objects in the input (give --allow-empty if an empty input is expected)';

/** The flags that choose and configure the engine. */
export const ENGINE_FLAGS: readonly FlagSpec[] = [
  { name: 'profile', short: 'p', takesValue: true, values: Object.values(Profile) },
  { name: 'pss-version', takesValue: true },
  { name: 'fail-on', takesValue: true, values: SEVERITY_ORDER },
  { name: 'config', short: 'c', takesValue: true },
  { name: 'max-input-bytes', takesValue: true },
  { name: 'exclude-builtin-rbac', takesValue: false },
];

/** The flags about the inputs. */
export const INPUT_FLAGS: readonly FlagSpec[] = [
  { name: 'stdin-filename', takesValue: true },
  { name: 'allow-empty', takesValue: false },
];

/** The engine a command runs, and when it fails. */
export interface EngineSetup {
  /** The options of the engine: the flags over the configuration file. */
  readonly options: EngineOptions;
  /** The lowest severity that fails the run. */
  readonly failOn: Severity;
}

/**
 * The engine options of the flags and the configuration (`--config`, else
 * kubeharden.config.{yaml,yml,json} in the working directory). Returns undefined when the
 * configuration is invalid, after writing its errors to standard error (exit 2).
 *
 * @param extra options the command adds over the configuration, as flags are put over it
 * @throws UsageError for an invalid flag value
 */
export function engineSetup(parsed: ParsedArgs, io: CliIo, command: string, extra: EngineOptions = {}): EngineSetup | undefined {
  const configFlag = stringFlag(parsed, 'config');
  if (configFlag === '') throw new UsageError('--config needs a file name', command);
  const configFile = configFlag ?? Config.find(process.cwd());
  let config: KubehardenConfig = {};
  if (configFile !== undefined) {
    const loaded = Config.load(configFile);
    if (!loaded.config) {
      for (const e of loaded.errors) {
        io.stderr.write(`kubeharden: invalid configuration: ${errorLine(e)}\n`);
      }
      return undefined;
    }
    config = loaded.config;
  }

  // Only the flags: Config.toEngineOptions puts them over the configuration, and the engine defaults the rest.
  const profileFlag = stringFlag(parsed, 'profile');
  const profile = profileFlag !== undefined ? parseProfile(profileFlag) : undefined;
  const pssVersion = stringFlag(parsed, 'pss-version');
  if (pssVersion !== undefined && parsePssVersion(pssVersion) === undefined) {
    throw new UsageError(`invalid --pss-version "${pssVersion}": expected latest or v1.N (for example v1.30)`, command);
  }
  const failOn = (stringFlag(parsed, 'fail-on') ?? config.failOn ?? 'low') as Severity;
  const maxFlag = stringFlag(parsed, 'max-input-bytes');
  const maxInputBytes = maxFlag === undefined ? undefined : Number(maxFlag);
  if (maxInputBytes !== undefined && !(/^[0-9]+$/.test(maxFlag!) && maxInputBytes > 0 && Number.isSafeInteger(maxInputBytes))) {
    throw new UsageError('invalid --max-input-bytes: expected a positive whole number of bytes', command);
  }
  const excludeBuiltinRbac = parsed.flags.has('exclude-builtin-rbac') ? true : undefined;
  const options = Config.toEngineOptions(config, { profile, pssVersion, excludeBuiltinRbac, ...extra });
  return { options: maxInputBytes !== undefined ? { ...options, maxInputBytes } : options, failOn };
}

/** The inputs of a command. */
export interface Inputs {
  /** Paths to read, `-` for standard input (at most once). */
  readonly paths: string[];
  /** The name standard input is reported under (`--stdin-filename`, else `-`). */
  readonly stdinName: string;
  /** Whether an input with no Kubernetes object passes. */
  readonly allowEmpty: boolean;
}

/**
 * The inputs of the positionals: standard input when none is given and it is not a
 * terminal. @throws UsageError for a misuse (no input, `-` twice, an empty path, a
 * `--stdin-filename` without `-`)
 */
export function inputsOf(parsed: ParsedArgs, io: CliIo, command: string, what: string): Inputs {
  const paths = parsed.positionals.slice();
  if (paths.filter((p) => p === STDIN_FILE).length > 1) {
    throw new UsageError('standard input ("-") can be given only once', command);
  }
  if (paths.some((p) => p === '')) {
    throw new UsageError('an empty path was given', command);
  }
  const stdinFilename = stringFlag(parsed, 'stdin-filename');
  if (stdinFilename === '') throw new UsageError('--stdin-filename needs a path', command);
  if (paths.length === 0) {
    if (io.stdinIsTTY || io.stdin === undefined) {
      throw new UsageError(`no input: give files or directories to ${what}, or pipe manifests to standard input ("-")`, command);
    }
    paths.push(STDIN_FILE);
  }
  if (stdinFilename !== undefined && !paths.includes(STDIN_FILE)) {
    throw new UsageError('--stdin-filename names standard input, which is not read: add "-" to the paths', command);
  }
  return { paths, stdinName: stdinFilename ?? STDIN_FILE, allowEmpty: parsed.flags.get('allow-empty') === true };
}

/**
 * The report, with an input error on every input when none of them held a Kubernetes
 * object (unless --allow-empty). `echo` is told the message when it is added, for a
 * command whose report does not go to a terminal.
 */
export function withEmptyInputError(report: Report, inputs: Inputs, echo?: (message: string) => void): Report {
  if (inputs.allowEmpty || report.summary.objects > 0 || report.errors.length > 0) return report;
  const names = [...new Set(inputs.paths.map((p) => (p === STDIN_FILE ? inputs.stdinName : p)))];
  const errors: InputError[] = names.map((file) => ({ file, line: 0, column: 0, message: EMPTY_INPUT_MESSAGE }));
  echo?.(EMPTY_INPUT_MESSAGE);
  return { ...report, errors: [...report.errors, ...errors], summary: { ...report.summary, errors: report.summary.errors + errors.length } };
}
