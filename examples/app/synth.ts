/**
 * Synthesizes the example app, and the cdk8s-plus chart hardened with `Hardening.of`
 * (cdk8s-plus.ts), to examples/app/dist/ (run by `npm run demo`, or
 * `npx ts-node examples/app/synth.ts`). The Guard fails synthesis on any finding.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildCdk8sPlusApp } from './cdk8s-plus';
import { buildApp } from './main';

const outdir = path.join(__dirname, 'dist');
fs.rmSync(outdir, { recursive: true, force: true });
buildApp({ outdir }).synth();
buildCdk8sPlusApp({ outdir }).synth();
for (const f of fs.readdirSync(outdir).sort()) process.stdout.write(`wrote ${path.join('examples', 'app', 'dist', f)}\n`);
