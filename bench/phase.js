'use strict';
// One timed phase of the benchmark, in a process of its own:
//
//   node --expose-gc bench/phase.js <floor|check|load> <corpusDir> [reps]
//
// Each phase runs alone in a fresh process so that it pays neither for the garbage nor
// for the JIT state another phase left behind (js-yaml's functions, optimised for one
// caller, slow down when another calls them with other shapes). Prints one JSON line:
// {runs: [{ms, cpuMs}], docs?, objects?, findings?, errors?}, after one untimed warm-up.

const fs = require('fs');
const path = require('path');

const [phase, corpus, repsArg] = process.argv.slice(2);
const reps = Math.max(1, Number(repsArg || 1));
const ROOT = path.resolve(__dirname, '..');
// KUBEHARDEN_LIB: another compiled engine to time (an A/B comparison of two builds); default lib/
const LIB = process.env.KUBEHARDEN_LIB ? path.resolve(process.env.KUBEHARDEN_LIB) : path.join(ROOT, 'lib');

function gc() {
  if (typeof global.gc === 'function') global.gc();
}

function time(fn) {
  gc();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, result };
}

let fn;
const out = {};
if (phase === 'floor') {
  const yaml = require('js-yaml');
  const files = fs.readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(corpus, f));
  // the floor is handed the text already in memory: reading is not part of it
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  fn = () => {
    let docs = 0;
    for (const t of texts) docs += yaml.loadAll(t).length;
    return docs;
  };
} else if (phase === 'check' || phase === 'load') {
  const { Engine } = require(LIB);
  // check: the default profile, every rule; load: no rule at all (reading, splitting,
  // parsing, the type checks), through the same path as check: one rule that finds
  // nothing, for every kind the catalog knows. (With no rule at all, every object is of a
  // kind no rule knows, and the engine looks for pods in each and reports the workloads
  // as unchecked: work the check phase never does.)
  const kinds = [...new Set(new Engine().rules.flatMap((r) => r.metadata.kinds))].filter((k) => k !== '*');
  const noOp = {
    metadata: { id: 'bench-no-op', title: 'finds nothing', severity: 'low', category: 'bench', profiles: ['baseline', 'restricted', 'hardened'], controls: [], rationale: '-', remediation: '-', kinds },
    check: () => [],
  };
  const options = phase === 'load' ? { catalog: [noOp] } : {};
  fn = () => new Engine(options).checkPaths([corpus]);
} else {
  console.error(`bench/phase.js: unknown phase "${phase}"`);
  process.exit(2);
}

const warm = fn();
if (phase === 'floor') {
  out.docs = warm;
} else {
  out.objects = warm.summary.objects;
  out.findings = warm.summary.findings + warm.summary.suppressed;
  out.errors = warm.errors.slice(0, 1);
  out.errorCount = warm.summary.errors;
  if (phase === 'load' && warm.summary.unchecked > 0) throw new Error(`bench/phase.js load: ${warm.summary.unchecked} objects were not checked`);
}
out.runs = [];
for (let i = 0; i < reps; i++) {
  const r = time(fn);
  out.runs.push({ ms: r.ms, cpuMs: r.cpuMs });
}
console.log(JSON.stringify(out));
