/**
 * Command-line argument parsing for the kubeharden CLI: long flags (`--format json`,
 * `--format=json`), a few short aliases (`-f json`), positionals, and `--` to end
 * the flags. Every problem is a UsageError with a message meant for a person.
 */
import { closest } from '../engine/suggest';

/** A problem with how the command was invoked (exit code 2). */
export class UsageError extends Error {
  /**
   * @param message what is wrong, without the `kubeharden:` prefix
   * @param command the command whose usage to point at, if any
   */
  constructor(message: string, public readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One flag a command accepts. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `format`. */
  readonly name: string;
  /** One-letter alias without the dash, e.g. `f`. */
  readonly short?: string;
  /** Whether the flag takes a value. */
  readonly takesValue: boolean;
  /** The allowed values, when they are a fixed list. */
  readonly values?: readonly string[];
}

/** Parsed arguments of one command. */
export interface ParsedArgs {
  /** Flag values by long name (`true` for flags without a value); the last occurrence wins. */
  readonly flags: Map<string, string | true>;
  /** Every value of each flag that takes one, in order (for flags that may be repeated: `--rule a --rule b`). */
  readonly values: Map<string, string[]>;
  /** Everything that is not a flag, in order. */
  readonly positionals: string[];
}

/**
 * Parses the arguments that follow a command name.
 *
 * @param args the arguments after the command
 * @param specs the flags the command accepts
 * @param command the command name, for messages
 */
export function parseArgs(args: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const flags = new Map<string, string | true>();
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  let i = 0;
  while (i < args.length) {
    const arg = args[i++];
    if (arg === '--') {
      positionals.push(...args.slice(i));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    let shown: string;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      shown = `--${name}`;
      spec = byLong.get(name);
      if (!spec) {
        const hint = closest(name, specs.map((s) => s.name));
        throw new UsageError(`unknown option ${shown} for "${command}"${hint ? `; did you mean --${hint}?` : ''}`, command);
      }
    } else {
      const letter = arg.slice(1, 2);
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : undefined;
      shown = `-${letter}`;
      spec = byShort.get(letter);
      if (!spec) throw new UsageError(`unknown option ${arg} for "${command}"`, command);
    }
    if (!spec.takesValue) {
      if (inline !== undefined) throw new UsageError(`option ${shown} does not take a value`, command);
      flags.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i >= args.length || (args[i].startsWith('-') && args[i] !== '-')) {
        throw new UsageError(`option ${shown} needs a value${spec.values ? ` (${spec.values.join(', ')})` : ''}`, command);
      }
      value = args[i++];
    }
    if (spec.values && !spec.values.includes(value)) {
      const hint = closest(value, spec.values);
      throw new UsageError(
        `invalid value "${value}" for ${shown}: expected ${spec.values.join(', ')}${hint ? `; did you mean ${hint}?` : ''}`,
        command,
      );
    }
    flags.set(spec.name, value);
    values.set(spec.name, [...(values.get(spec.name) ?? []), value]);
  }
  return { flags, values, positionals };
}

/** Every value given to a flag that may be repeated, each also split at commas (`--rule a,b --rule c`); empty parts are refused. */
export function listFlag(parsed: ParsedArgs, name: string, command: string): string[] {
  const out: string[] = [];
  for (const v of parsed.values.get(name) ?? []) {
    const parts = v.split(',').map((x) => x.trim());
    if (parts.some((x) => x === '')) throw new UsageError(`--${name} needs a value (an empty one was given)`, command);
    out.push(...parts);
  }
  return out;
}

/** The string value of a flag, or undefined. */
export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
