'use strict';
// What each rule of a profile costs on the benchmark corpus, most expensive first.
//
//   node bench/rules.js [profile] [top]
//
// The corpus is parsed once (not timed); then each rule runs alone over the objects of
// its kinds, three times after a warm-up. Rules run one after another here, not object
// by object as in the engine, so caches that rely on object-major order do not show;
// the figures are for comparing rules, the engine's own figure is `npm run bench`.

const fs = require('fs');
const path = require('path');
const { ensureCorpus } = require('./generate');

const ROOT = path.resolve(__dirname, '..');
const { Engine } = require(path.join(ROOT, 'lib'));
const { splitManifestStream } = require(path.join(ROOT, 'lib', 'engine', 'input', 'stream'));
const { parseDocuments } = require(path.join(ROOT, 'lib', 'engine', 'input', 'yaml-document'));
const { flattenDocument } = require(path.join(ROOT, 'lib', 'engine', 'input', 'flatten'));

const [profile, topArg] = process.argv.slice(2);
const top = Number(topArg || 20);
const corpus = ensureCorpus(path.join(__dirname, 'out', 'corpus'));
const objects = [];
for (const file of corpus.files) {
  const texts = splitManifestStream(fs.readFileSync(file, 'utf8')).filter((d) => d.kind === 'yaml').map((d) => d.text);
  for (const doc of parseDocuments(texts)) {
    if (doc.value !== undefined && doc.value !== null) objects.push(...flattenDocument(doc.value).objects.map((o) => o.value));
  }
}

const engine = new Engine(profile ? { profile } : {});
const setup = engine._setup();
const rows = [];
let total = 0;
for (const rule of engine.rules) {
  const context = setup.contexts.get(rule.metadata.id);
  const kinds = rule.metadata.kinds;
  const mine = kinds.includes('*') ? objects : objects.filter((o) => kinds.includes(o.kind));
  for (const o of mine) rule.check(o, context);
  let findings = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < 3; r++) for (const o of mine) findings += rule.check(o, context).length;
  const ms = Number(process.hrtime.bigint() - t0) / 3e6;
  total += ms;
  rows.push({ id: rule.metadata.id, ms, objects: mine.length, findings: findings / 3 });
}
rows.sort((a, b) => b.ms - a.ms);
console.log(`${engine.rules.length} rules (${engine.profile}) over ${objects.length} objects: ${total.toFixed(0)} ms in all`);
console.log(`  ${'rule'.padEnd(40)} ${'ms'.padStart(7)} ${'us/object'.padStart(10)} ${'objects'.padStart(8)} ${'findings'.padStart(9)}`);
for (const r of rows.slice(0, top)) {
  console.log(`  ${r.id.padEnd(40)} ${r.ms.toFixed(1).padStart(7)} ${(r.objects ? (1000 * r.ms) / r.objects : 0).toFixed(2).padStart(10)} ${String(r.objects).padStart(8)} ${String(r.findings).padStart(9)}`);
}
