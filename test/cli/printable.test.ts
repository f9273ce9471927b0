/**
 * The text report prints names, paths and messages from the input: a crafted name must
 * not rewrite the terminal or a CI log line (escape sequences, carriage returns, line
 * breaks, bidirectional overrides are printed as visible escapes).
 */
import { Engine, Profile } from '../../src';
import { formatText } from '../../src/cli/format-text';

test('control characters in object names, namespaces and file names are printed as escapes', () => {
  const name = 'web\u001b[2K\r\u001b[32mPASS\u001b[0m\nsummary: 0 findings\u202e';
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns\u0007' },
    spec: { containers: [{ name: 'c', image: 'i', securityContext: { privileged: true } }] },
  };
  const report = new Engine({ profile: Profile.BASELINE }).checkText(JSON.stringify(pod), 'evil\r.json');
  expect(report.findings).not.toHaveLength(0);
  const text = formatText(report);
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  expect(text).toContain('web\\x1b[2K\\r\\x1b[32mPASS\\x1b[0m\\nsummary: 0 findings\\u202e');
  expect(text).toContain('ns\\x07/');
  expect(text).toContain('evil\\r.json');
  // every line break left is the report's own
  expect(text.split('\n').some((l) => l.startsWith('summary: 0 findings'))).toBe(false);
});
