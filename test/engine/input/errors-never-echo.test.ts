/**
 * Error messages say what is wrong and where, never the text of the input: a document
 * that fails to decode may fail on the very token that is a secret (an alias, a tag, an
 * anchor, a scalar with a wrong tag). Every output format is checked for it.
 */
import { Engine, Profile, Rules } from '../../../src';
import { formatJson } from '../../../src/cli/format-json';
import { formatSarif } from '../../../src/cli/format-sarif';
import { formatText } from '../../../src/cli/format-text';

const SECRET = 'hunter2S3CR3Tvalue';
const secret = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  ${data}\n`;

const MALFORMED = [
  secret(`password: *${SECRET}`), // an alias of no anchor
  secret(`password: &${SECRET}.x v`), // an anchor name libyaml refuses
  secret(`password: !!int ${SECRET}`), // a core tag that does not fit
  secret(`password: !!binary ${SECRET}!`), // not base64
  secret(`password: !e!${SECRET} x`), // an undeclared tag handle
  secret(`password: !<!${SECRET}%zz> x`), // a malformed escape in a verbatim tag
  secret(`password: "${SECRET}\\q"`), // an unknown escape
  secret(`password: [${SECRET}?x]`), // a flow scalar read differently by YAML 1.1
  secret(`password: {${SECRET}: a, ${SECRET}: [b], ~: c}`), // a null key
  secret(`${SECRET}: 1\n  "${SECRET}": 2`.replace('1\n', '1\n')), // no error: a repeated key
  secret(`password: .inf\n  ${SECRET}: x`),
  secret(`password: "${SECRET}\u2028"`), // a line separator
  secret(`password: [${SECRET}`), // never closed
  `apiVersion: v1\nkind: Secret\nmetadata: {name: ${SECRET}: x}\n`,
  `apiVersion: v1\nkind: Secret\nmetadata:\n  ${SECRET}: 1\n  name: true\n`,
  `apiVersion: v1\nkind: Secret\nMetadata: {Name: [${SECRET}]}\n`,
  `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ${SECRET}List, items: [a]}\n`,
  `apiVersion: v1\nkind: ${SECRET}List\nitems:\n- 5\n`,
  `{"apiVersion": "v1", "kind": "Secret", "stringData": {"password": "${SECRET}"}}{"a": 1}{"${SECRET}": tru}`,
  `--- ${SECRET}\n${secret('a: b')}`,
  `%TAG !${SECRET}! tag:x,2000:\n---\n${secret('a: b')}`,
];

test('no message of a decoding error quotes the input, in any output format', () => {
  const engine = new Engine({ profile: Profile.HARDENED });
  for (const text of MALFORMED) {
    const report = engine.checkText(text, 'leak.yaml');
    const outputs = {
      json: formatJson(report),
      text: formatText(report),
      sarif: formatSarif(report, { rules: Rules.metadata(), cwd: __dirname }),
    };
    for (const [format, out] of Object.entries(outputs)) {
      expect([text, format, out.includes(SECRET)]).toEqual([text, format, false]);
    }
  }
});

test('each malformed document is an error, not a silently skipped document', () => {
  const engine = new Engine({ profile: Profile.HARDENED });
  const clean = MALFORMED.filter((text) => engine.checkText(text, 'leak.yaml').errors.length === 0);
  // the repeated key is no error: the last value counts (and it is not a secret value here)
  expect(clean).toHaveLength(1);
});
