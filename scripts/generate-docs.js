// Writes docs/rules.md and docs/controls.md from the rule metadata (`npx projen docs`).
// test/docs/rule-docs.test.ts fails when the committed files are stale.
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
const fs = require('fs');
const path = require('path');
const { Rules } = require('../src/rules/catalog');
const { renderRulesMarkdown, renderControlsMarkdown } = require('../src/docs/rule-docs');

const docs = path.resolve(__dirname, '..', 'docs');
fs.mkdirSync(docs, { recursive: true });
const rules = Rules.metadata();
fs.writeFileSync(path.join(docs, 'rules.md'), renderRulesMarkdown(rules));
fs.writeFileSync(path.join(docs, 'controls.md'), renderControlsMarkdown(rules));
process.stdout.write(`docs/rules.md and docs/controls.md: ${rules.length} rules\n`);
