/**
 * The SARIF 2.1.0 report (`--format sarif`), in the form GitHub code scanning accepts:
 * every catalog rule with help text and a security-severity, one result per finding
 * with a relative, forward-slash file URI and a 1-based line, in-source suppressions
 * for suppressed findings, and input errors as tool execution notifications. The log
 * keeps within GitHub's upload limits (GITHUB_SARIF_LIMITS): GitHub rejects a whole
 * upload that exceeds one of them.
 */
import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { objectLabel, objectName } from './format-text';
import { STDIN_FILE } from '../engine/check-session';
import { MIN_SUPPRESSION_REASON, SUPPRESSION_PREFIX } from '../engine/suppressions';
import { Finding, InputError, Report, RuleMetadata, Severity } from '../engine/types';

/** The SARIF schema the report declares. */
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where kubeharden lives. */
const INFORMATION_URI = 'https://github.com/kubeharden/kubeharden';
/** The base id relative artifact URIs are resolved against (the working directory). */
const SRCROOT = '%SRCROOT%';
/** The artifact URI used for standard input. */
const STDIN_URI = 'stdin';
/** The partial fingerprint key kubeharden writes. */
const FINGERPRINT_KEY = 'kubehardenFinding/v1';

/**
 * GitHub code scanning's documented limits on an uploaded SARIF file ("SARIF support for
 * code scanning" and "SARIF results exceed limit" in GitHub's docs): past a maximum the
 * whole upload is rejected; past a shown number, GitHub keeps only the first (most
 * important) entries.
 */
export const GITHUB_SARIF_LIMITS = {
  /** Runs in one file. */
  runsPerFile: 20,
  /** Results in one run (GitHub shows the 5,000 most severe). */
  resultsPerRun: 25_000,
  /** Results GitHub shows of a run, by severity. */
  resultsShownPerRun: 5_000,
  /** Rules (reporting descriptors) of one run. */
  rulesPerRun: 25_000,
  /** Tool extensions of one run. */
  extensionsPerRun: 100,
  /** Locations of one result (the result object's own limit; 1,000 is the hard limit of the table). */
  locationsPerResult: 10,
  /** Thread flow locations of one result. */
  threadFlowLocationsPerResult: 10_000,
  /** Tags of one rule. */
  tagsPerRule: 20,
  /** Tags GitHub shows of a rule: the first ones. */
  tagsShownPerRule: 10,
  /** Characters of a rule's `name`. */
  ruleNameLength: 255,
  /** Characters of a rule's `shortDescription.text` and `fullDescription.text`. */
  descriptionLength: 1024,
  /** Bytes of the gzip-compressed file. */
  gzipBytes: 10 * 1024 * 1024,
} as const;

/** The order of control namespaces in a rule's tags: the standards first, then the other tools' checks. */
const CONTROL_ORDER = ['pss', 'cis', 'nsa'];

/** SARIF level of a severity. */
function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  switch (severity) {
    case Severity.CRITICAL:
    case Severity.HIGH:
      return 'error';
    case Severity.MEDIUM:
      return 'warning';
    default:
      return 'note';
  }
}

/** GitHub's `security-severity` score of a severity (critical > 9, high 7–8.9, medium 4–6.9, low < 4). */
function securitySeverity(severity: Severity): string {
  switch (severity) {
    case Severity.CRITICAL: return '9.5';
    case Severity.HIGH: return '8.0';
    case Severity.MEDIUM: return '5.5';
    default: return '3.0';
  }
}

/** A SARIF `name` for a rule: its id in PascalCase. */
function ruleName(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter((p) => p).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

function helpUri(id: string): string {
  return `${INFORMATION_URI}/blob/main/docs/rules.md#${id}`;
}

/** The lowest profile that includes a rule: `baseline`, `restricted` or `hardened`. */
function lowestProfile(m: RuleMetadata): string {
  for (const p of ['baseline', 'restricted', 'hardened']) if ((m.profiles as string[]).includes(p)) return p;
  return m.profiles[0] ?? 'hardened';
}

/**
 * A rule's tags, most useful first (GitHub shows the first ten and rejects an upload with
 * more than twenty on a rule): `security`, `kubernetes`, the category, the lowest profile
 * that includes the rule, then its controls (Pod Security Standards, CIS, NSA/CISA, then
 * the other tools' equivalent checks). Controls past the limit are left out of the tags
 * only: the help text and each result's `properties.controls` list them all.
 */
export function ruleTags(m: RuleMetadata): string[] {
  const rank = (c: string) => {
    const i = CONTROL_ORDER.indexOf(c.split(':')[0]);
    return i < 0 ? CONTROL_ORDER.length : i;
  };
  const controls = m.controls.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c);
  const tags: string[] = [];
  for (const t of ['security', 'kubernetes', m.category, `profile:${lowestProfile(m)}`, ...controls]) {
    if (typeof t === 'string' && t !== '' && !tags.includes(t)) tags.push(t);
  }
  return tags.slice(0, GITHUB_SARIF_LIMITS.tagsPerRule);
}

/** Text cut to at most `max` characters, at a word when it can be, with an ellipsis. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}\u2026`;
}

/** A required SARIF text: GitHub does not accept an empty string. */
function nonEmpty(text: string | undefined, fallback: string): string {
  return typeof text === 'string' && text.trim() !== '' ? text : fallback;
}

function sarifRule(m: RuleMetadata): object {
  const suppress = m.unsuppressible
    ? 'This rule cannot be suppressed.'
    : `Suppress with the annotation ${SUPPRESSION_PREFIX}${m.id}: "<reason of at least ${MIN_SUPPRESSION_REASON} characters>".`;
  const text = [
    m.title,
    '',
    `Why: ${m.rationale}`,
    '',
    `Fix: ${m.remediation}`,
    '',
    `Severity: ${m.severity}. Profiles: ${m.profiles.join(', ')}. Controls: ${m.controls.join(', ') || '(none)'}.`,
    suppress,
  ].join('\n');
  const markdown = [
    `**${m.title}**`,
    '',
    `**Why.** ${m.rationale}`,
    '',
    `**Fix.** ${m.remediation}`,
    '',
    `Severity: \`${m.severity}\` · Profiles: ${m.profiles.map((p) => `\`${p}\``).join(', ')}` +
      (m.controls.length ? ` · Controls: ${m.controls.map((c) => `\`${c}\``).join(', ')}` : ''),
    '',
    m.unsuppressible
      ? 'This rule cannot be suppressed.'
      : `Suppress with the annotation \`${SUPPRESSION_PREFIX}${m.id}: "<reason>"\` (a reason of at least ${MIN_SUPPRESSION_REASON} characters).`,
    '',
    `[Rule documentation](${helpUri(m.id)})`,
  ].join('\n');
  const title = nonEmpty(m.title, m.id);
  return {
    id: m.id,
    name: clip(nonEmpty(ruleName(m.id), 'Rule'), GITHUB_SARIF_LIMITS.ruleNameLength),
    shortDescription: { text: clip(title, GITHUB_SARIF_LIMITS.descriptionLength) },
    fullDescription: { text: clip(nonEmpty(m.rationale, title), GITHUB_SARIF_LIMITS.descriptionLength) },
    help: { text, markdown },
    helpUri: helpUri(m.id),
    defaultConfiguration: { level: sarifLevel(m.severity) },
    properties: {
      'tags': ruleTags(m),
      'security-severity': securitySeverity(m.severity),
      'precision': 'high',
      'problem.severity': m.severity === Severity.LOW ? 'recommendation' : m.severity === Severity.MEDIUM ? 'warning' : 'error',
    },
  };
}

/** Options of the SARIF formatter. */
export interface SarifOptions {
  /** Rule metadata for the driver's `rules` (normally the whole catalog). */
  readonly rules: RuleMetadata[];
  /** Directory that relative URIs are relative to. */
  readonly cwd: string;
  /**
   * The most results the run holds (the most severe are kept, and a notification tells how
   * many were left out). @default GITHUB_SARIF_LIMITS.resultsPerRun
   */
  readonly maxResults?: number;
}

/**
 * The artifact location of a report file: relative to `cwd` with forward slashes
 * (and `uriBaseId` %SRCROOT%), or an absolute `file://` URI for files outside it.
 */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (file === STDIN_FILE) return { uri: STDIN_URI };
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(absolute).href };
  }
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function fingerprint(f: Finding, uri: string): string {
  const o = f.object;
  return createHash('sha256')
    .update([f.ruleId, uri, o.apiVersion, o.kind, o.namespace ?? '', o.name ?? '', f.path].join('\u0000'))
    .digest('hex');
}

function notification(e: InputError, cwd: string): object {
  const region: { [key: string]: number } = {};
  if (e.line >= 1) region.startLine = e.line;
  if (e.line >= 1 && e.column >= 1) region.startColumn = e.column;
  return {
    level: 'error',
    message: { text: e.message },
    locations: [{
      physicalLocation: {
        artifactLocation: artifactLocation(e.file, cwd),
        ...(e.line >= 1 ? { region } : {}),
      },
    }],
  };
}

/** The rank of a severity, most severe first. */
function severityRank(severity: Severity): number {
  switch (severity) {
    case Severity.CRITICAL: return 0;
    case Severity.HIGH: return 1;
    case Severity.MEDIUM: return 2;
    default: return 3;
  }
}

/**
 * The findings a run can hold: all of them, or, past GitHub's limit of results in a run,
 * the most severe (unsuppressed before suppressed), in the report's order.
 */
function findingsWithinLimit(findings: Finding[], limit: number): Finding[] {
  if (findings.length <= limit) return findings;
  const order = findings.map((f, i) => ({ i, key: (f.suppressed ? 4 : 0) + severityRank(f.severity) }));
  order.sort((a, b) => a.key - b.key || a.i - b.i);
  const kept = order.slice(0, limit).map((x) => x.i).sort((a, b) => a - b);
  return kept.map((i) => findings[i]);
}

/** The SARIF log of a check report. */
export function sarifLog(report: Report, options: SarifOptions): object {
  const rules = [...options.rules];
  const index = new Map<string, number>();
  rules.forEach((r, i) => index.set(r.id, i));
  const limit = options.maxResults ?? GITHUB_SARIF_LIMITS.resultsPerRun;
  const findings = findingsWithinLimit(report.findings, limit);
  const left = report.findings.length - findings.length;
  const results = findings.map((f) => {
    let ruleIndex = index.get(f.ruleId);
    if (ruleIndex === undefined) {
      // A finding of a rule outside the given metadata still needs a descriptor.
      ruleIndex = rules.length;
      rules.push({
        id: f.ruleId,
        title: f.ruleId,
        severity: f.severity,
        category: 'other',
        profiles: [report.profile],
        controls: f.controls,
        rationale: f.message,
        remediation: f.message,
        kinds: [f.object.kind],
      });
      index.set(f.ruleId, ruleIndex);
    }
    const location = artifactLocation(f.file, options.cwd);
    return {
      ruleId: f.ruleId,
      ruleIndex,
      level: sarifLevel(f.severity),
      message: { text: `${objectLabel(f.object)}: ${nonEmpty(f.message, f.ruleId)}` },
      locations: [{
        physicalLocation: {
          artifactLocation: location,
          region: { startLine: Math.max(1, f.line) },
        },
        logicalLocations: [{
          name: objectName(f.object),
          fullyQualifiedName: `${objectLabel(f.object)}${f.path ? ` ${f.path}` : ''}`,
          kind: 'object',
        }],
      }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f, location.uri) },
      properties: { severity: f.severity, path: f.path, controls: [...f.controls] },
      ...(f.suppressed ? { suppressions: [{ kind: 'inSource', ...(f.suppressionReason ? { justification: f.suppressionReason } : {}) }] } : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: report.tool.name,
          version: report.tool.version,
          semanticVersion: report.tool.version,
          informationUri: INFORMATION_URI,
          rules: rules.map(sarifRule),
        },
      },
      originalUriBaseIds: {
        [SRCROOT]: { uri: pathToFileURL(options.cwd.endsWith(path.sep) ? options.cwd : options.cwd + path.sep).href },
      },
      invocations: [{
        executionSuccessful: report.errors.length === 0,
        toolExecutionNotifications: [
          ...report.errors.map((e) => notification(e, options.cwd)),
          // objects of unknown kinds that carry pods: a warning, never a silent pass
          ...(report.unchecked ?? []).map((u) => ({
            ...notification({ file: u.file, line: u.line, column: 0, message: `${objectLabel(u.object)} was not checked: it carries pods (${u.path}) of a kind kubeharden does not know; declare it with podTemplates` }, options.cwd),
            level: 'warning',
          })),
          // past GitHub's limit of results in a run: the most severe are kept, and the log says so
          ...(left > 0 ? [{
            level: 'warning',
            message: {
              text: `${left} of ${report.findings.length} findings are not in this SARIF log: GitHub code scanning rejects a run of more than ${limit} results, so the ${findings.length} most severe are kept (unsuppressed first); the json and ndjson reports list every finding`,
            },
          }] : []),
          // options that leave objects out (built-in RBAC skipped)
          ...(report.notes ?? []).map((n) => ({ level: 'note', message: { text: n } })),
        ],
      }],
      results,
      properties: { profile: report.profile },
    }],
  };
}

/** Formats a check report as SARIF text. */
export function formatSarif(report: Report, options: SarifOptions): string {
  return `${JSON.stringify(sarifLog(report, options), null, 2)}\n`;
}
