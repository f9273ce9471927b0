/**
 * The human-readable report (`--format text`, the default): findings grouped by file,
 * then by object, then input errors, then one summary line.
 *
 *   deploy.yaml
 *     Deployment shop/web
 *       deploy.yaml:14  critical  pss-privileged  container "app" must not set securityContext.privileged to true
 *         at spec.template.spec.containers[0].securityContext.privileged
 *
 *   errors
 *     broken.yaml:3:7: bad indentation of a mapping entry
 *
 *   1 finding (1 critical), 0 suppressed, 1 error; 2 objects in 2 files; profile hardened
 */
import { Style } from './colour';
import { STDIN_FILE } from '../engine/check-session';
import { SEVERITY_ORDER } from '../engine/engine';
import { MIN_SUPPRESSION_REASON, SUPPRESSION_PREFIX } from '../engine/suppressions';
import { Finding, InputError, ObjectRef, Report, RuleMetadata } from '../engine/types';

/**
 * Text from the input (names, paths, messages, file names) as it may be printed on a
 * terminal or in a CI log: control characters (escape sequences, carriage returns, line
 * breaks, C1 controls), bidirectional overrides and line separators are written as
 * visible escapes, so that a crafted object name cannot move the cursor, rewrite a line
 * or hide text.
 */
export function printable(s: string): string {
  return typeof s === 'string' && UNPRINTABLE.test(s) ? s.replace(UNPRINTABLE_ALL, escapeChar) : s;
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_ALL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    default: {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
}

/** The name of an object, or `(unnamed)`. */
export function objectName(o: ObjectRef): string {
  return o.name === undefined ? '(unnamed)' : printable(o.name);
}

/** The heading of an object: `Kind namespace/name`, `Kind name`, or `Kind (unnamed)`. */
export function objectLabel(o: ObjectRef): string {
  const name = objectName(o);
  const kind = printable(o.kind);
  return o.namespace !== undefined ? `${kind} ${printable(o.namespace)}/${name}` : `${kind} ${name}`;
}

/** `file:line` of a finding (just `file` when the line is unknown). */
function location(file: string, line: number, column?: number): string {
  file = printable(file);
  if (line <= 0) return file;
  return column !== undefined && column > 0 ? `${file}:${line}:${column}` : `${file}:${line}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one-line summary of a report. */
export function summaryLine(report: Report, style: Style = new Style(false)): string {
  const s = report.summary;
  const open = report.findings.filter((f) => !f.suppressed);
  const bySeverity = SEVERITY_ORDER
    .map((sev) => ({ sev, n: open.filter((f) => f.severity === sev).length }))
    .filter((x) => x.n > 0)
    .map((x) => style.severity(x.sev, `${x.n} ${x.sev}`));
  const findings = s.findings === 0
    ? style.apply('no findings', 'green')
    : `${style.apply(plural(s.findings, 'finding'), 'bold')} (${bySeverity.join(', ')})`;
  const errors = s.errors === 0 ? '0 errors' : style.apply(plural(s.errors, 'error'), 'red', 'bold');
  const unchecked = (s.unchecked ?? 0) > 0 ? `, ${style.apply(`${s.unchecked} not checked`, 'yellow', 'bold')}` : '';
  return `${findings}, ${s.suppressed} suppressed, ${errors}${unchecked}; ${plural(s.objects, 'object')} in ${plural(s.files, 'file')}; profile ${report.profile}`;
}

/** Formats a check report as text. */
export function formatText(report: Report, style: Style = new Style(false)): string {
  const lines: string[] = [];
  // Group by file, then by object, keeping the report's order of first appearance.
  const files = new Map<string, Map<string, Finding[]>>();
  for (const f of report.findings) {
    let objects = files.get(f.file);
    if (!objects) files.set(f.file, objects = new Map());
    const key = `${f.object.apiVersion}\u0000${objectLabel(f.object)}`;
    let list = objects.get(key);
    if (!list) objects.set(key, list = []);
    list.push(f);
  }
  for (const [file, objects] of files) {
    lines.push(style.apply(file === STDIN_FILE ? '- (standard input)' : printable(file), 'bold', 'cyan'));
    for (const findings of objects.values()) {
      lines.push(`  ${style.apply(objectLabel(findings[0].object), 'bold')}`);
      for (const f of findings) lines.push(...findingLines(f, style));
    }
    lines.push('');
  }
  if (report.errors.length > 0) {
    lines.push(style.apply('errors', 'bold', 'red'));
    for (const e of report.errors) lines.push(`  ${errorLine(e, style)}`);
    lines.push('');
  }
  if (report.unchecked !== undefined && report.unchecked.length > 0) {
    lines.push(style.apply('not checked', 'bold', 'yellow'));
    for (const u of report.unchecked) {
      lines.push(`  ${location(u.file, u.line)}  ${objectLabel(u.object)}: carries pods (${printable(u.path)}) of a kind kubeharden does not know; declare it with podTemplates to check it`);
    }
    lines.push('');
  }
  if (report.notes !== undefined && report.notes.length > 0) {
    lines.push(style.apply('notes', 'bold'));
    for (const n of report.notes) lines.push(`  ${n}`);
    lines.push('');
  }
  if (report.skipped !== undefined && report.skipped.length > 0) {
    lines.push(style.apply('not read', 'bold'));
    for (const k of report.skipped) lines.push(`  ${printable(k.path)}: ${k.reason}`);
    lines.push('');
  }
  lines.push(summaryLine(report, style));
  return `${lines.join('\n')}\n`;
}

function findingLines(f: Finding, style: Style): string[] {
  const where = location(f.file, f.line);
  const at = style.apply(`      at ${printable(f.path) || '(object)'}`, 'dim');
  if (f.suppressed) {
    return [
      style.apply(`    ${where}  ${f.severity.padEnd(8)}  ${f.ruleId}  ${printable(f.message)}`, 'dim'),
      at,
      `      ${style.apply('suppressed:', 'green')} ${printable(f.suppressionReason ?? '')}`,
    ];
  }
  const sev = style.severity(f.severity, f.severity.padEnd(8));
  return [`    ${where}  ${sev}  ${style.apply(f.ruleId, 'bold')}  ${printable(f.message)}`, at];
}

/** `file:line:column: message` of an input error. */
export function errorLine(e: InputError, style: Style = new Style(false)): string {
  return `${style.apply(location(e.file, e.line, e.column), 'bold')}: ${printable(e.message)}`;
}

/** The `kubeharden rules` table. */
export function formatRulesText(rules: RuleMetadata[], style: Style = new Style(false)): string {
  const lines: string[] = [];
  const idWidth = Math.max(2, ...rules.map((r) => r.id.length));
  const categories = new Map<string, RuleMetadata[]>();
  for (const r of rules) {
    const list = categories.get(r.category) ?? [];
    list.push(r);
    categories.set(r.category, list);
  }
  for (const [category, list] of categories) {
    lines.push(style.apply(category, 'bold', 'cyan'));
    for (const r of list) {
      lines.push(`  ${r.id.padEnd(idWidth)}  ${style.severity(r.severity, r.severity.padEnd(8))}  ${r.profiles.join(',').padEnd(26)}  ${r.title}`);
    }
    lines.push('');
  }
  lines.push(`${plural(rules.length, 'rule')}. Run \`kubeharden explain <rule-id>\` for details.`);
  return `${lines.join('\n')}\n`;
}

/** Everything about one rule, for `kubeharden explain`. */
export function formatExplainText(r: RuleMetadata, style: Style = new Style(false)): string {
  const field = (name: string, value: string) => `${style.apply(`${name}:`.padEnd(12), 'bold')}${value}`;
  const lines = [
    `${style.apply(r.id, 'bold', 'cyan')}  ${r.title}`,
    '',
    field('severity', style.severity(r.severity)),
    field('category', r.category),
    field('profiles', r.profiles.join(', ')),
    field('kinds', r.kinds.join(', ')),
    field('controls', r.controls.length ? r.controls.join(', ') : '(none)'),
  ];
  if (r.pss) {
    lines.push(field('pss', `check ${r.pss.checkId}, level ${r.pss.level}`));
    for (const v of r.pss.versions) {
      const extra = [
        v.overrides && v.overrides.length ? `replaces ${v.overrides.join(', ')}` : '',
        v.note ?? '',
      ].filter((x) => x).join('; ');
      lines.push(`${' '.repeat(12)}from v${v.minimumVersion}${extra ? `: ${extra}` : ''}`);
    }
  }
  lines.push(
    '',
    style.apply('Why', 'bold'),
    `  ${r.rationale}`,
    '',
    style.apply('Fix', 'bold'),
    `  ${r.remediation}`,
    ...(r.fix ? [`  \`kubeharden fix\` ${r.fix}.`] : ['  `kubeharden fix` does not fix this one: the change needs a decision only the owner can make.']),
    '',
    style.apply('Admission', 'bold'),
    r.admission === 'enforced'
      ? '  Enforced in the cluster by the policies `kubeharden admission` writes.'
      : `  ${(r.admission ?? 'not enforced').replace(/^not enforced: /, 'Not enforced at admission: ')}.`,
    ...(r.fixAtAdmission === 'made' ? ['  `kubeharden admission --mutate` also makes its fix there.']
      : r.fixAtAdmission ? [`  ${r.fixAtAdmission.replace(/^not made: /, 'Not made at admission (--mutate): ')}.`] : []),
    '',
    ...(r.options?.length
      ? [style.apply('Options', 'bold') + ' (configuration file, rules.<id>.options)', ...r.options.map((o) => `  ${o.name} (${o.type}): ${o.description}`), '']
      : []),
    style.apply('Suppress', 'bold'),
  );
  if (r.unsuppressible) {
    lines.push('  This rule cannot be suppressed: fix the suppression annotation instead.');
  } else {
    lines.push(
      `  Annotate the object with a reason of at least ${MIN_SUPPRESSION_REASON} characters:`,
      `    metadata.annotations["${SUPPRESSION_PREFIX}${r.id}"]: "<why this is acceptable>"`,
    );
  }
  return `${lines.join('\n')}\n`;
}
