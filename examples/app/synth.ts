/**
 * Synthesizes the example app to examples/app/dist/ (run by `npm run demo`, or
 * `npx ts-node examples/app/synth.ts`). The Guard fails synthesis on any finding.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from './main';

const outdir = path.join(__dirname, 'dist');
fs.rmSync(outdir, { recursive: true, force: true });
buildApp({ outdir }).synth();
for (const f of fs.readdirSync(outdir).sort()) process.stdout.write(`wrote ${path.join('examples', 'app', 'dist', f)}\n`);
