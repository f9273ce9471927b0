'use strict';
// Child process of bench/run.js: checks the corpus directory `times` times in one engine
// session (default profile unless one is given, all its rules) and prints its peak resident set size.
//
//   node bench/rss.js <corpusDir> <times> [profile|-] [stream]
//
// With `stream`, findings are streamed (as `--format ndjson` does) and written to
// /dev/null instead of kept.

const path = require('path');
// KUBEHARDEN_LIB: another compiled engine to measure (an A/B comparison of two builds); default lib/
const LIB = process.env.KUBEHARDEN_LIB ? path.resolve(process.env.KUBEHARDEN_LIB) : path.join(__dirname, '..', 'lib');
const { Engine } = require(LIB);

const fs = require('fs');
const [dir, timesArg, profileArg, mode] = process.argv.slice(2);
const profile = profileArg === '-' ? undefined : profileArg;
const times = Number(timesArg || 1);
const session = new Engine(profile ? { profile } : {}).newSession();
if (mode === 'stream') {
  const { ndjsonFinding } = require(path.join(__dirname, '..', 'lib', 'cli', 'format-ndjson'));
  const out = fs.openSync('/dev/null', 'w');
  session._streamFindings((f) => fs.writeSync(out, ndjsonFinding(f)));
}
for (let i = 0; i < times; i++) session.addPath(dir);
const report = session.report();
// resourceUsage().maxRSS is in kilobytes
const peakRssMb = process.resourceUsage().maxRSS / 1024;
// what is really kept (the report), as opposed to what the heap grew to before collecting
let liveHeapMb;
if (typeof global.gc === 'function') {
  global.gc();
  liveHeapMb = process.memoryUsage().heapUsed / 1e6;
}
process.stdout.write(`${JSON.stringify({ peakRssMb, liveHeapMb, objects: report.summary.objects, findings: report.summary.findings + report.summary.suppressed, errors: report.summary.errors })}\n`);
