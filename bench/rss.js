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
process.stdout.write(`${JSON.stringify({ peakRssMb, objects: report.summary.objects, findings: report.summary.findings + report.summary.suppressed, errors: report.summary.errors })}\n`);
