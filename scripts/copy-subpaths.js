// Copies the TypeScript-only subpaths compiled by `tsc -p tsconfig.cli.json` into lib/,
// next to the jsii-compiled engine they import. Only the excluded folders are copied:
// jsii's own output for the rest of src/ stays untouched.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
for (const sub of ['cli', 'pulumi']) {
  const from = path.join(root, 'build', 'subpaths', sub);
  if (!fs.existsSync(from)) continue;
  const to = path.join(root, 'lib', sub);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true });
}
