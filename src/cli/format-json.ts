/**
 * The JSON report (`--format json`), documented field by field in docs/report-format.md.
 * Keys are written in a fixed order and absent values are `null`, so the output is
 * stable and diffable. Changing this shape requires a version bump.
 */
import { Finding, InputError, Report, RuleMetadata } from '../engine/types';

/** The JSON report of a check, with stable key order. */
export function jsonReport(report: Report): object {
  return {
    tool: { name: report.tool.name, version: report.tool.version },
    profile: report.profile,
    summary: {
      files: report.summary.files,
      objects: report.summary.objects,
      findings: report.summary.findings,
      suppressed: report.summary.suppressed,
      errors: report.summary.errors,
      unchecked: report.summary.unchecked ?? 0,
    },
    findings: report.findings.map(jsonFinding),
    errors: report.errors.map(jsonError),
    skipped: (report.skipped ?? []).map((k) => ({ path: k.path, reason: k.reason })),
    unchecked: (report.unchecked ?? []).map((u) => ({
      object: { apiVersion: u.object.apiVersion, kind: u.object.kind, namespace: u.object.namespace ?? null, name: u.object.name ?? null },
      file: u.file,
      line: u.line,
      path: u.path,
    })),
    notes: [...(report.notes ?? [])],
  };
}

export function jsonFinding(f: Finding): object {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    controls: [...f.controls],
    message: f.message,
    object: {
      apiVersion: f.object.apiVersion,
      kind: f.object.kind,
      namespace: f.object.namespace ?? null,
      name: f.object.name ?? null,
    },
    file: f.file,
    line: f.line,
    path: f.path,
    suppressed: f.suppressed,
    suppressionReason: f.suppressed ? (f.suppressionReason ?? null) : null,
  };
}

export function jsonError(e: InputError): object {
  return { file: e.file, line: e.line, column: e.column, message: e.message };
}

/** Formats a check report as JSON text (two-space indent, trailing newline). */
export function formatJson(report: Report): string {
  return `${JSON.stringify(jsonReport(report), null, 2)}\n`;
}

/** One rule's metadata as `kubeharden rules --format json` and `explain --format json` print it. */
function jsonRule(m: RuleMetadata): object {
  return {
    id: m.id,
    title: m.title,
    severity: m.severity,
    category: m.category,
    profiles: [...m.profiles],
    controls: [...m.controls],
    rationale: m.rationale,
    remediation: m.remediation,
    kinds: [...m.kinds],
    pss: m.pss
      ? {
        checkId: m.pss.checkId,
        level: m.pss.level,
        versions: m.pss.versions.map((v) => ({
          minimumVersion: v.minimumVersion,
          overrides: v.overrides ? [...v.overrides] : [],
          note: v.note ?? null,
        })),
      }
      : null,
    options: (m.options ?? []).map((o) => ({ name: o.name, type: o.type, description: o.description })),
    fixable: m.fix !== undefined,
    fix: m.fix ?? null,
  };
}

/** Formats rule metadata (an array for `rules`, one object for `explain`) as JSON text. */
export function formatRulesJson(rules: RuleMetadata[] | RuleMetadata): string {
  const value = Array.isArray(rules) ? rules.map(jsonRule) : jsonRule(rules);
  return `${JSON.stringify(value, null, 2)}\n`;
}
