/**
 * docs/report-format.md documents the JSON report; this keeps the document and the
 * formatter from drifting apart.
 */
import * as fs from 'fs';
import * as path from 'path';
import { privilegedDeployment, runCli, SUPPRESSED_POD } from './helpers';

const DOC = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'report-format.md'), 'utf8');

/** Every key path of a JSON value, in order (array items merged). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) for (const p of keyPaths(item, `${prefix}[]`)) if (!out.includes(p)) out.push(p);
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.push(p);
      if (k !== 'controls') out.push(...keyPaths(v, p));
    }
    return out;
  }
  return [];
}

test('the documented example has exactly the keys, in the order, that the CLI writes', async () => {
  const example = /```json\n([\s\S]*?)\n```/.exec(DOC);
  expect(example).not.toBeNull();
  const documented = JSON.parse(example![1]);
  const r = await runCli(['check', '--profile', 'baseline', '--format', 'json', '-'], {
    stdin: `${privilegedDeployment('web', 'shop')}---\n${SUPPRESSED_POD}---\nkind: Pod\n`,
  });
  const actual = JSON.parse(r.stdout);
  expect(keyPaths(documented)).toEqual(keyPaths(actual));
});

test('every field of the JSON report is described in a table', async () => {
  const r = await runCli(['check', '--profile', 'baseline', '--format', 'json', '-'], {
    stdin: `${privilegedDeployment('web', 'shop')}---\nkind: Pod\n`,
  });
  const report = JSON.parse(r.stdout);
  const fields = new Set<string>();
  for (const p of keyPaths(report)) {
    // Table rows name fields relative to their section: `tool.name`, `ruleId`, `object.kind`, `line`.
    const parts = p.split('.');
    const last = parts[parts.length - 1].replace('[]', '');
    const parent = parts.length > 1 ? parts[parts.length - 2].replace('[]', '') : '';
    fields.add(parent === 'object' || parent === 'tool' ? `${parent}.${last}` : last);
  }
  for (const field of fields) {
    expect({ field, documented: DOC.includes(`| \`${field}\` |`) }).toEqual({ field, documented: true });
  }
});
