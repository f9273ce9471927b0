/**
 * Lays out an example folder as `npm install` in it would leave it: the example's own files
 * in a temporary folder, and a node_modules holding exactly the packages its package.json
 * declares. `kubeharden` is this repository (its built lib/, through the package's exports);
 * every other package comes from `modules` (default: this repository's node_modules).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '../..');
export const EXAMPLES = path.join(REPO, 'examples');

/** Where the built package must be for `kubeharden` and `kubeharden/pulumi` to resolve. */
const BUILT = ['lib/index.js', 'lib/index.d.ts', 'lib/pulumi/index.js', 'lib/pulumi/index.d.ts'];

/** Throws, naming the missing file, unless lib/ is built. */
export function assertBuilt(): void {
  for (const f of BUILT) {
    if (!fs.existsSync(path.join(REPO, f))) {
      throw new Error(`${f}: not built; run \`npx jsii --silence-warnings=reserved-word && npx tsc -p tsconfig.cli.json && node scripts/copy-subpaths.js\` first`);
    }
  }
}

/** The example folders that carry their own tsconfig.json. */
export function examplesWithTsconfig(): string[] {
  return fs.readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(EXAMPLES, e.name, 'tsconfig.json')))
    .map((e) => e.name)
    .sort();
}

export interface Layout {
  /** The temporary folder: the example's files and its node_modules. */
  readonly dir: string;
  /** The packages linked into node_modules. */
  readonly dependencies: string[];
  remove(): void;
}

/** Copies `examples/<example>` to a temporary folder and links its declared dependencies. */
export function layOutExample(example: string, modules: string = path.join(REPO, 'node_modules')): Layout {
  assertBuilt();
  const src = path.join(EXAMPLES, example);
  const manifest = path.join(src, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).sort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kubeharden-${example}-`));
  try {
    for (const entry of fs.readdirSync(src)) {
      if (entry === 'node_modules' || entry === 'dist' || entry === 'out') continue;
      fs.cpSync(path.join(src, entry), path.join(dir, entry), { recursive: true });
    }
    for (const name of dependencies) {
      const target = name === 'kubeharden' ? REPO : path.join(modules, name);
      if (!fs.existsSync(path.join(target, 'package.json'))) {
        throw new Error(`${path.relative(REPO, manifest)}: dependency ${name} is not installed in ${modules}`);
      }
      const link = path.join(dir, 'node_modules', name);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(target, link, 'dir');
    }
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, dependencies, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
