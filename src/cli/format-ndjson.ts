/**
 * The streaming report (`--format ndjson`): one JSON object a line, each finding written
 * as soon as its object is checked, so that no finding is held in memory. Every
 * line has a `type`: `finding` lines carry the fields of a JSON report's finding; then
 * come the `error` and `skipped` lines, and a last `summary` line with the tool, the
 * profile and the counts (docs/report-format.md).
 */
import { jsonError, jsonFinding, jsonReport } from './format-json';
import { Finding, Report } from '../engine/types';

/** The line of one finding. */
export function ndjsonFinding(f: Finding): string {
  return `${JSON.stringify({ type: 'finding', ...jsonFinding(f) })}\n`;
}

/** The lines that end the report: errors, skipped paths, the summary. */
export function ndjsonEnd(report: Report): string {
  let out = '';
  for (const e of report.errors) out += `${JSON.stringify({ type: 'error', ...jsonError(e) })}\n`;
  for (const k of report.skipped ?? []) out += `${JSON.stringify({ type: 'skipped', path: k.path, reason: k.reason })}\n`;
  for (const u of (jsonReport(report) as { unchecked: object[] }).unchecked) out += `${JSON.stringify({ type: 'unchecked', ...u })}\n`;
  for (const n of report.notes ?? []) out += `${JSON.stringify({ type: 'note', message: n })}\n`;
  out += `${JSON.stringify({ type: 'summary', tool: { name: report.tool.name, version: report.tool.version }, profile: report.profile, summary: report.summary })}\n`;
  return out;
}
