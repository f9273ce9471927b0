/**
 * `kubeharden rules` and `kubeharden explain <rule-id>`: the catalog, from its metadata.
 */
import { FlagSpec, parseArgs, stringFlag, UsageError } from './args';
import { Style } from './colour';
import { formatRulesJson } from './format-json';
import { formatExplainText, formatRulesText } from './format-text';
import { CliIo, useColour } from './io';
import { suggestions } from '../engine/suggest';
import { Rules } from '../rules/catalog';

const FORMATS = ['text', 'json'] as const;

/** The flags of `rules` and `explain`. */
const RULES_FLAGS: FlagSpec[] = [
  { name: 'format', short: 'f', takesValue: true, values: FORMATS },
  { name: 'help', short: 'h', takesValue: false },
];

/** Runs `rules`; returns the exit code. */
export function rulesCommand(args: readonly string[], io: CliIo): number {
  const parsed = parseArgs(args, RULES_FLAGS, 'rules');
  if (parsed.positionals.length > 0) {
    throw new UsageError(`"rules" takes no arguments (got ${parsed.positionals.map((p) => `"${p}"`).join(', ')}); did you mean "explain ${parsed.positionals[0]}"?`, 'rules');
  }
  const rules = Rules.metadata();
  io.stdout.write(stringFlag(parsed, 'format') === 'json'
    ? formatRulesJson(rules)
    : formatRulesText(rules, new Style(useColour(io))));
  return 0;
}

/** Runs `explain`; returns the exit code. */
export function explainCommand(args: readonly string[], io: CliIo): number {
  const parsed = parseArgs(args, RULES_FLAGS, 'explain');
  if (parsed.positionals.length !== 1) {
    throw new UsageError(parsed.positionals.length === 0
      ? 'explain needs a rule id; `kubeharden rules` lists them'
      : 'explain takes exactly one rule id', 'explain');
  }
  const id = parsed.positionals[0];
  const rule = Rules.find(id);
  if (!rule) {
    const close = suggestions(id, Rules.metadata().map((m) => m.id));
    const hint = close.length > 0 ? `; did you mean ${close.join(', ')}?` : '';
    throw new UsageError(`unknown rule "${id}"${hint} (\`kubeharden rules\` lists every rule)`);
  }
  io.stdout.write(stringFlag(parsed, 'format') === 'json'
    ? formatRulesJson(rule.metadata)
    : formatExplainText(rule.metadata, new Style(useColour(io))));
  return 0;
}
