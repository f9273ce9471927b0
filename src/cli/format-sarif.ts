/**
 * The SARIF 2.1.0 report (`--format sarif`), in the form GitHub code scanning accepts:
 * every catalog rule with help text and a security-severity, one result per finding
 * with a relative, forward-slash file URI and a 1-based line, in-source suppressions
 * for suppressed findings, and input errors as tool execution notifications.
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
  return {
    id: m.id,
    name: ruleName(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.rationale },
    help: { text, markdown },
    helpUri: helpUri(m.id),
    defaultConfiguration: { level: sarifLevel(m.severity) },
    properties: {
      'tags': ['security', 'kubernetes', m.category, ...m.controls],
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

/** The SARIF log of a check report. */
export function sarifLog(report: Report, options: SarifOptions): object {
  const rules = [...options.rules];
  const index = new Map<string, number>();
  rules.forEach((r, i) => index.set(r.id, i));
  const results = report.findings.map((f) => {
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
      message: { text: `${objectLabel(f.object)}: ${f.message}` },
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
      ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressionReason ?? '' }] } : {}),
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
