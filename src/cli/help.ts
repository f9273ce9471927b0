/**
 * Help texts of the kubeharden CLI. The examples that name rules take them from the
 * catalog (Rules.metadata()), so that they name real rules; test/cli/help-examples.test.ts
 * runs every example command line of every help text.
 */
import { RuleMetadata, Severity } from '../engine/types';
import { Rules } from '../rules/catalog';

/** The commands, for suggestions. */
export const COMMANDS = ['check', 'fix', 'admission', 'rules', 'explain', 'help'];

const MAIN = `Usage: kubeharden <command> [options]

Check Kubernetes manifests against the Pod Security Standards and the kubeharden
hardening catalog.

Commands:
  check [paths...|-]    check YAML/JSON files, directories (recursive) or standard input
  fix [paths...|-]      apply the rules' fixes, keeping comments, key order and quoting
  admission             write the admission policies that enforce the rules in a cluster
  rules                 list every rule
  explain <rule-id>     show everything about one rule
  help [command]        show help

Options:
  -h, --help            show help (also: kubeharden <command> --help)
  --version             print the version

Examples:
  kubeharden check manifests/
  helm template ./chart | kubeharden check -
  kubeharden fix manifests/ --dry-run
  kubeharden admission --profile restricted --action warn --output policies.yaml
  kubeharden explain @RULE@

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or input errors.
`;

/** The first rule of the catalog that `pick` accepts, else the first rule. */
function exampleRule(rules: RuleMetadata[], pick: (m: RuleMetadata) => boolean): RuleMetadata {
  return rules.find(pick) ?? rules[0];
}

/** A value of an option's type, for the configuration example. */
function exampleValue(type: string): string {
  switch (type) {
    case 'string[]':
    case 'regex[]':
      return '[example]';
    case 'boolean': return 'true';
    case 'number': return '1';
    default: return 'example';
  }
}

/** The rule ids and options the examples name, chosen from the catalog. */
function examples(): { explain: string; disable: string; severity: { id: string; to: Severity }; options?: { id: string; lines: string[] } } {
  const rules = Rules.metadata();
  // explain the most serious rule of the baseline profile; disable a low-severity rule
  // of the hardened profile; raise a medium one; configure a rule that takes options
  const explain = exampleRule(rules, (m) => m.severity === Severity.CRITICAL && m.pss !== undefined).id;
  const disable = exampleRule(rules, (m) => m.severity === Severity.LOW && !m.unsuppressible).id;
  const raised = exampleRule(rules, (m) => m.severity === Severity.MEDIUM && !m.unsuppressible && m.id !== disable).id;
  const withOptions = rules.find((m) => (m.options ?? []).length > 0 && m.id !== disable && m.id !== raised);
  return {
    explain,
    disable,
    severity: { id: raised, to: Severity.HIGH },
    ...(withOptions ? {
      options: {
        id: withOptions.id,
        lines: [`options: {${withOptions.options!.map((o) => `${o.name}: ${exampleValue(o.type)}`).join(', ')}}`],
      },
    } : {}),
  };
}

/** A line of a YAML example with a comment in a column. */
function commented(line: string, comment: string): string {
  return `${line.padEnd(48)}# ${comment}`;
}

function checkHelp(): string {
  const ex = examples();
  const ruleLines = [
    commented(`    ${ex.disable}: false`, 'disable a rule'),
    commented(`    ${ex.severity.id}:`, 'change its severity'),
    `      severity: ${ex.severity.to}`,
    ...(ex.options ? [commented(`    ${ex.options.id}:`, 'set its options'), ...ex.options.lines.map((l) => `      ${l}`)] : []),
  ];
  return CHECK.replace('@RULES@\n', `${ruleLines.join('\n')}\n`);
}

const CHECK = `Usage: kubeharden check [paths...|-] [options]

Checks YAML and JSON manifests (multi-document, kind: List). Directories are read
recursively (*.yaml, *.yml, *.json). "-" reads standard input; with no path at all,
standard input is read when it is not a terminal. An input with no Kubernetes object
is an error (exit 2) unless --allow-empty is given.

Examples:
  kubeharden check manifests/
  kubeharden check manifests/ --profile restricted --pss-version v1.30 --fail-on high
  helm template ./chart | kubeharden check - --stdin-filename chart/Chart.yaml
  kustomize build overlays/prod | kubeharden check --format sarif --output kubeharden.sarif
  kubeharden check manifests/ --format json --output report.json --allow-empty

Options:
  -p, --profile <name>      baseline | restricted | hardened (default hardened)
      --pss-version <v>     Pod Security Standards version: latest or v1.N (default latest)
  -f, --format <format>     text | json | sarif | ndjson (default text); ndjson writes
                            each finding as it is found (none is held in memory)
      --fail-on <severity>  critical | high | medium | low (default low): exit 1 when an
                            unsuppressed finding is at or above this severity
  -o, --output <file>       write the report to a file instead of standard output
  -c, --config <file>       configuration file (default: kubeharden.config.yaml, .yml or
                            .json in the working directory, when present); flags win
      --max-input-bytes <n> the largest file or standard input read (default 268435456,
                            256 MiB); a larger input is an error, not a read that never ends
      --exclude-builtin-rbac
                            for dumps of a live cluster: skip Kubernetes' own RBAC objects
                            whose name and content equal the bootstrap policy of the
                            --pss-version release (any other content is still checked)
      --stdin-filename <path>
                            the repository path that standard input was rendered from:
                            findings and errors of "-" are reported on it (in SARIF, the
                            artifact location), since "stdin" cannot be shown on a file
      --allow-empty         an input with no Kubernetes object passes; without it, it is
                            an error: a failed render upstream must not read as clean
  -h, --help                show this help

Configuration (kubeharden.config.yaml):
  profile: hardened
  pssVersion: v1.30
  failOn: medium
  excludeNamespaces: [kube-system]
  excludeBuiltinRbac: true                      # as --exclude-builtin-rbac
  rules:
@RULES@

Exit codes: 0 no unsuppressed finding at or above --fail-on, 1 findings,
2 usage or input errors (unreadable paths, malformed YAML, non-objects, no object).
Colour: on a terminal only; NO_COLOR disables it, FORCE_COLOR forces it.
`;

const FIX = `Usage: kubeharden fix [paths...|-] [options]

Applies the rules' fixes to YAML and JSON manifests, read as check reads them, and
rewrites them keeping comments, key order, quoting and document separators: only the
fixed fields change. Without --write or --output, the fixed manifests go to standard
output (and what changed to standard error). A fix is kept only when its rule then
reports less and no rule reports more; a field whose finding is suppressed with a
reason is never changed.

A file is rewritten only when the edited text decodes to exactly the fixed objects;
otherwise (a Helm template with {{ }}, YAML that YAML 1.1 and 1.2 read differently) it
is left untouched and reported. JSON files are written as JSON, each changed value with
the indentation it had.

Examples:
  kubeharden fix manifests/ --dry-run
  kubeharden fix manifests/ --write
  kubeharden fix manifests/web.yaml --output web.fixed.yaml --rule @FIXABLE@
  helm template ./chart | kubeharden fix - --stdin-filename chart/rendered.yaml
  kubeharden fix manifests/ --write --profile restricted --format json

Options:
  -w, --write               rewrite the files in place
  -o, --output <file>       write the result of the one input to a file
      --dry-run             print a unified diff of what would change; write nothing
  -r, --rule <id>           only the fixes of this rule (repeat it, or give a,b,c)
  -p, --profile <name>      baseline | restricted | hardened (default hardened)
      --pss-version <v>     Pod Security Standards version: latest or v1.N (default latest)
      --fail-on <severity>  critical | high | medium | low (default low): exit 1 when a
                            finding at or above it is left after fixing
  -f, --format <format>     text | json (default text): json writes what changed and
                            what is left as one JSON document on standard output (with
                            --write, --output or --dry-run)
  -c, --config <file>       configuration file (as for check); rule options set what
                            some fixes fill in (resource quantities, a UID)
      --exclude-namespace <ns>
                            leave the objects of this namespace as they are (repeatable)
      --exclude-builtin-rbac, --stdin-filename <path>, --max-input-bytes <n>,
      --allow-empty         as for check
  -h, --help                show this help

What changed is listed per object (file:line Kind namespace/name: rule path — what the
fix does), then every finding left with why it was not fixed (no fix, a fix that
declined and its reason, a file left untouched).

Exit codes: 0 nothing at or above --fail-on is left after fixing, 1 findings are left
(no fix, or the fix declined), 2 usage or input errors, or a file that needed fixing
could not be rewritten faithfully (it is left untouched).
`;

const ADMISSION = `Usage: kubeharden admission [options]

Writes, for every rule of the profile that can be decided on one object at admission, a
ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) and its binding, so that the
cluster's API servers enforce what check reports, whoever creates the object. Rule
options travel in a ConfigMap the policies read as parameters. The rules that cannot be
decided at admission are listed, with the reason, at the top of the output.

Examples:
  kubeharden admission --profile restricted --output policies.yaml
  kubeharden admission --profile baseline --action warn --kubernetes-version v1.31
  kubeharden admission --exclude-namespace kube-system --format json
  kubeharden admission --profile restricted --mutate --kubernetes-version v1.36

Options:
  -p, --profile <name>      baseline | restricted | hardened (default hardened)
      --pss-version <v>     Pod Security Standards version: latest or v1.N (default latest)
      --kubernetes-version <v>
                            the oldest Kubernetes the policies run on, v1.N (default
                            v1.30, the first to serve admissionregistration.k8s.io/v1):
                            only the CEL libraries it offers are used
  -a, --action <action>     deny | warn | audit (default deny): what the bindings do with
                            a violation; a rule below --fail-on warns instead of denying
      --fail-on <severity>  critical | high | medium | low (default low)
      --exclude-namespace <ns>
                            the bindings leave this namespace out (repeatable)
      --params-namespace <ns>
                            where the ConfigMap of rule options goes (default kube-system)
      --mutate              also a MutatingAdmissionPolicy for each fix that can be made
                            at admission (the fixes of kubeharden fix; Kubernetes 1.36
                            and later, so with --kubernetes-version v1.36 or later)
  -c, --config <file>       configuration file (as for check): rules, options, severities
  -o, --output <file>       write to a file instead of standard output
  -f, --format <format>     yaml | json (default yaml; json is one List)
      --exclude-builtin-rbac, --max-input-bytes <n>
                            as for check
  -h, --help                show this help

Roll out with --action warn (or audit) first, then deny. Suppression annotations
(ignore.kubeharden.io/<rule-id> with a reason of at least 10 characters) work at
admission as in check.
`;

const RULES = `Usage: kubeharden rules [options]

Lists every rule of the catalog with its severity and profiles.

Examples:
  kubeharden rules
  kubeharden rules --format json

Options:
  -f, --format <format>     text | json (default text); json is an array of every
                            rule's metadata
  -h, --help                show this help
`;

function mainHelp(): string {
  return MAIN.replace(/@RULE@/g, examples().explain);
}

/** The fix help, its `--rule` example naming the catalog's first critical Pod Security Standards rule that has a fix. */
function fixHelp(): string {
  const rules = Rules.metadata().filter((m) => m.fix !== undefined);
  const rule = exampleRule(rules, (m) => m.severity === Severity.CRITICAL && m.pss !== undefined);
  return FIX.replace(/@FIXABLE@/g, rule.id);
}

function explainHelp(): string {
  return EXPLAIN.replace(/@RULE@/g, examples().explain);
}

const EXPLAIN = `Usage: kubeharden explain <rule-id> [options]

Shows everything about one rule: severity, profiles, controls, the kinds it applies
to, its Pod Security Standards check and versions, why it matters and how to fix it.

Examples:
  kubeharden explain @RULE@
  kubeharden explain @RULE@ --format json

Options:
  -f, --format <format>     text | json (default text)
  -h, --help                show this help
`;

const HELP = `Usage: kubeharden help [command]

Shows help for kubeharden or for one command.
`;

/** The help text of a command, or the main help. */
export function helpText(command?: string): string {
  switch (command) {
    case 'check': return checkHelp();
    case 'fix': return fixHelp();
    case 'admission': return ADMISSION;
    case 'rules': return RULES;
    case 'explain': return explainHelp();
    case 'help': return HELP;
    default: return mainHelp();
  }
}
