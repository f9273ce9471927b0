// Writes src/rules/rbac/builtin-rbac.generated.ts: the built-in RBAC objects of Kubernetes,
// by release, from the bootstrap-policy fixtures vendored in test/fixtures/kubernetes-rbac-bootstrap
// (see its SOURCE.md). Run it after refreshing the fixtures:
//   node scripts/generate-builtin-rbac.js
// test/rules/rbac/builtin-rbac.test.ts fails when the committed file is stale.
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
const fs = require('fs');
const path = require('path');
const { renderBuiltinRbacData, readBootstrapFixtures } = require('../src/rules/rbac/builtin-rbac-render');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'src', 'rules', 'rbac', 'builtin-rbac.generated.ts');
const releases = readBootstrapFixtures(path.join(root, 'test', 'fixtures', 'kubernetes-rbac-bootstrap'));
const text = renderBuiltinRbacData(releases);
fs.writeFileSync(out, text);
process.stdout.write(`${path.relative(root, out)}: ${releases.length} releases, ${text.length} characters\n`);
