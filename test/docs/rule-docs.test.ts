import * as fs from 'fs';
import * as path from 'path';
import { Rules } from '../../src';
import { renderControlsMarkdown, renderRulesMarkdown } from '../../src/docs/rule-docs';

const docs = path.resolve(__dirname, '..', '..', 'docs');

test.each([
  ['rules.md', renderRulesMarkdown],
  ['controls.md', renderControlsMarkdown],
])('docs/%s is generated from the rule metadata and up to date (run `npx projen docs` if this fails)', (file, render) => {
  const committed = fs.readFileSync(path.join(docs, file), 'utf8');
  expect(committed).toBe(render(Rules.metadata()));
});

test('every rule is documented with its controls', () => {
  const md = renderRulesMarkdown(Rules.metadata());
  for (const r of Rules.metadata()) {
    expect(md).toContain(`### ${r.id}\n`);
    for (const c of r.controls) expect(md).toContain(`\`${c}\``);
  }
  const controls = renderControlsMarkdown(Rules.metadata());
  for (const r of Rules.metadata()) {
    for (const c of r.controls) expect(controls).toContain(`\`${c.slice(c.indexOf(':') + 1)}\``);
  }
});
