'use strict';
// Child process of bench/run.js: checks the corpus directory `times` times in one engine
// session (default profile unless one is given, all its rules) and prints its peak resident set size.
//
//   node bench/rss.js <corpusDir> <times> [profile]

const path = require('path');
const { Engine } = require(path.join(__dirname, '..', 'lib'));

const [dir, timesArg, profile] = process.argv.slice(2);
const times = Number(timesArg || 1);
const session = new Engine(profile ? { profile } : {}).newSession();
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
