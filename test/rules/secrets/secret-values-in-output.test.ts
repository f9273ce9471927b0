import * as fs from 'fs';
import * as path from 'path';
import { Engine, Profile, Rules } from '../../../src';
import { formatJson } from '../../../src/cli/format-json';
import { formatSarif } from '../../../src/cli/format-sarif';
import { formatText } from '../../../src/cli/format-text';

const FILE = path.join(__dirname, 'fixtures', 'leaky-manifests.yaml');
const SECRET_VALUES = [
  'fixture-env-password-5e1f',
  'fixture-env-apikey-77aa',
  // a JSON Web Token under a name that says nothing: reported by its content
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJmaXh0dXJlLWVudi1qd3QtNGMyZSJ9',
  'eyJzdWIiOiJmaXh0dXJlLWVudi1qd3QtNGMyZSJ9',
  'Zml4dHVyZS1zZWNyZXQtZGF0YS05YjJj',
  'fixture-secret-stringdata-31cd',
  'fixture-configmap-secret-c0de',
  'fixture-configmap-key-b00c',
  'Zml4dHVyZS1zYS10b2tlbi1kMDBk',
  'fixture-sealed-template-8d3a',
];

test('the secret rules report the leaky fixture, and no output format contains a secret value', () => {
  const report = new Engine({ profile: Profile.HARDENED }).checkText(fs.readFileSync(FILE, 'utf8'), FILE);
  expect(report.errors).toEqual([]);
  const ids = new Set(report.findings.map((f) => f.ruleId));
  for (const id of ['env-literal-secret', 'secret-in-manifest', 'configmap-credentials', 'service-account-token-secret', 'sealed-secret-plaintext-template-data']) {
    expect(ids).toContain(id);
  }
  expect(report.findings.filter((f) => f.ruleId === 'env-literal-secret')).toHaveLength(3);
  expect(report.findings.filter((f) => f.ruleId === 'configmap-credentials')).toHaveLength(2);
  expect(report.findings.filter((f) => f.ruleId === 'sealed-secret-plaintext-template-data')).toHaveLength(1);
  const outputs = {
    json: formatJson(report),
    text: formatText(report),
    sarif: formatSarif(report, { rules: Rules.metadata(), cwd: __dirname }),
  };
  for (const [format, text] of Object.entries(outputs)) {
    expect(text.length).toBeGreaterThan(0);
    for (const value of SECRET_VALUES) {
      expect([format, text.includes(value)]).toEqual([format, false]);
    }
  }
});
