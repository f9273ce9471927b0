/**
 * Help texts of the kubeharden CLI.
 */

/** The commands, for suggestions. */
export const COMMANDS = ['check', 'rules', 'explain', 'help'];

const MAIN = `Usage: kubeharden <command> [options]

Check Kubernetes manifests against the Pod Security Standards and the kubeharden
hardening catalog.

Commands:
  check [paths...|-]    check YAML/JSON files, directories (recursive) or standard input
  rules                 list every rule
  explain <rule-id>     show everything about one rule
  help [command]        show help

Options:
  -h, --help            show help (also: kubeharden <command> --help)
  --version             print the version

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or input errors.
`;

const CHECK = `Usage: kubeharden check [paths...|-] [options]

Checks YAML and JSON manifests (multi-document, kind: List). Directories are read
recursively (*.yaml, *.yml, *.json). "-" reads standard input; with no path at all,
standard input is read when it is not a terminal.

  helm template ./chart | kubeharden check -
  kustomize build overlays/prod | kubeharden check --format sarif --output kubeharden.sarif

Options:
  -p, --profile <name>      baseline | restricted | hardened (default hardened)
      --pss-version <v>     Pod Security Standards version: latest or v1.N (default latest)
  -f, --format <format>     text | json | sarif | ndjson (default text); ndjson writes
                            each finding as it is found (flat memory on any input)
      --fail-on <severity>  critical | high | medium | low (default low): exit 1 when an
                            unsuppressed finding is at or above this severity
  -o, --output <file>       write the report to a file instead of standard output
  -c, --config <file>       configuration file (default: kubeharden.config.yaml, .yml or
                            .json in the working directory, when present); flags win
      --max-input-bytes <n> the largest file or standard input read (default 268435456,
                            256 MiB); a larger input is an error, not a read that never ends
  -h, --help                show this help

Configuration (kubeharden.config.yaml):
  profile: hardened
  pssVersion: v1.30
  failOn: medium
  excludeNamespaces: [kube-system]
  rules:
    image-not-pinned-by-digest: false           # disable a rule
    image-allowed-registries:
      severity: high
      options: {registries: [ghcr.io/acme]}

Exit codes: 0 no unsuppressed finding at or above --fail-on, 1 findings,
2 usage or input errors (unreadable paths, malformed YAML, non-objects).
Colour: on a terminal only; NO_COLOR disables it, FORCE_COLOR forces it.
`;

const RULES = `Usage: kubeharden rules [options]

Lists every rule of the catalog with its severity and profiles.

Options:
  -f, --format <format>     text | json (default text); json is an array of every
                            rule's metadata
  -h, --help                show this help
`;

const EXPLAIN = `Usage: kubeharden explain <rule-id> [options]

Shows everything about one rule: severity, profiles, controls, the kinds it applies
to, its Pod Security Standards check and versions, why it matters and how to fix it.

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
    case 'check': return CHECK;
    case 'rules': return RULES;
    case 'explain': return EXPLAIN;
    case 'help': return HELP;
    default: return MAIN;
  }
}
