// node test/python/reference.js PY_OUTDIR REF_OUTDIR
//
// Synthesizes the TypeScript example app (examples/app/main.ts) to REF_OUTDIR and checks that
// the Python app synthesized the same thing to PY_OUTDIR: the same files, and in each file the
// same Kubernetes objects in the same order, compared as parsed YAML. Prints the object count
// as its last line. A difference is reported by file, object and path, never by value.
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..', '..');
const [pyOut, refOut] = process.argv.slice(2);
if (!pyOut || !refOut) {
  process.stderr.write('usage: node test/python/reference.js PY_OUTDIR REF_OUTDIR\n');
  process.exit(2);
}

require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json'), compilerOptions: { module: 'commonjs' } });
const { buildApp } = require(path.join(root, 'examples', 'app', 'main.ts'));
fs.rmSync(refOut, { recursive: true, force: true });
buildApp({ outdir: refOut }).synth();

function fail(message) {
  process.stdout.write(`FAIL: ${message}\n`);
  process.exit(1);
}

function yamlFiles(dir) {
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
}

function objects(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((o) => o != null);
}

function describe(o) {
  const m = (o && o.metadata) || {};
  return `${o && o.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}`;
}

/** The first path where two JSON values differ, or null. */
function firstDifference(a, b, at) {
  if (Object.is(a, b)) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object' || Array.isArray(a) !== Array.isArray(b)) return at || '(root)';
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const sub = Array.isArray(a) ? `${at}[${k}]` : (at ? `${at}.${k}` : k);
    if (!(k in a) || !(k in b)) return sub;
    const d = firstDifference(a[k], b[k], sub);
    if (d) return d;
  }
  return null;
}

const refFiles = yamlFiles(refOut);
const pyFiles = yamlFiles(pyOut);
if (refFiles.join(',') !== pyFiles.join(',')) {
  fail(`the Python app wrote ${pyFiles.join(', ') || 'nothing'}; the TypeScript app wrote ${refFiles.join(', ')}`);
}

let count = 0;
for (const f of refFiles) {
  const ref = objects(path.join(refOut, f));
  const py = objects(path.join(pyOut, f));
  if (ref.length !== py.length) fail(`${f}: the Python app made ${py.length} objects, the TypeScript app ${ref.length}`);
  ref.forEach((o, i) => {
    const d = firstDifference(py[i], o, '');
    if (d) fail(`${f}: object ${i + 1} (${describe(o)}) differs from the TypeScript app's at ${d}`);
  });
  count += ref.length;
}
process.stdout.write(`ok: the Python app synthesized the same ${count} objects as examples/app/main.ts (${refFiles.join(', ')})\n`);
process.stdout.write(`${count}\n`);
