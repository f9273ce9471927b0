/**
 * Every example folder with its own tsconfig.json type-checks with it, as its users compile
 * it: `tsc -p <example> --noEmit` with the example's own TypeScript, in a layout where
 * node_modules holds what the example's package.json declares and `kubeharden` is this
 * repository's built package.
 */
import { execFile } from 'child_process';
import * as path from 'path';
import { examplesWithTsconfig, layOutExample, REPO } from './layout';

const EXAMPLES = examplesWithTsconfig();

test('the examples with a tsconfig.json are found', () => {
  expect(EXAMPLES).toEqual(expect.arrayContaining(['pulumi-app', 'pulumi-policy-pack']));
});

test.each(EXAMPLES)('examples/%s type-checks with its own tsconfig.json', async (example) => {
  const layout = layOutExample(example);
  try {
    expect(layout.dependencies).toContain('typescript');
    const tsc = path.join(layout.dir, 'node_modules/typescript/bin/tsc');
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [tsc, '-p', layout.dir, '--noEmit', '--listFiles', '--pretty', 'false'], { cwd: layout.dir, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` }));
    });
    const lines = output.split('\n').filter((l) => l.trim() !== '');
    // Diagnostics name the example's own files (file(line,col): error TSnnnn: ...).
    // tsc names files relative to its working directory, the laid-out copy of the example.
    const here = `examples/${example}/`;
    const errors = lines.filter((l) => /error TS\d+/.test(l))
      .map((l) => l.split(layout.dir + path.sep).join(here))
      .map((l) => (l.startsWith(here) || l.startsWith('/') || l.startsWith('..') ? l : here + l));
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    // The example's imports of kubeharden resolved to the built package.
    expect(lines.some((l) => l.startsWith(path.join(REPO, 'lib') + path.sep) && l.endsWith('.d.ts'))).toBe(true);
  } finally {
    layout.remove();
  }
}, 60_000);
