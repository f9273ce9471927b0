/**
 * The regular expressions taken as rule options: only those JavaScript and RE2 (CEL's
 * `matches`, at admission) read the same way.
 */
import { portablePatternProblem } from '../../src/engine/patterns';

test('the common subset is taken', () => {
  for (const p of ['^stripe$', 'x{2,3}', 'a{4}', 'b{1,}', '[a-z_]+\\.key', '\\bAPI\\b', '(?:ONE|TWO)S?$', '\\d{4}', '[^-]+', '\\[x\\]', 'a|', '(a)(b)', '[\\w.-]+']) {
    expect([p, portablePatternProblem(p)]).toEqual([p, undefined]);
  }
});

test.each([
  ['(unclosed', 'not a valid regular expression'],
  ['', 'an empty pattern matches every name'],
  ['caf\u00e9', 'use printable ASCII characters only'],
  ['a\nb', 'use printable ASCII characters only'],
  ['(?<!x)KEY', 'only plain groups and (?: ) groups'],
  ['(?=x)', 'only plain groups and (?: ) groups'],
  ['(?<name>x)', 'only plain groups and (?: ) groups'],
  ['(a)\\1', 'the escape \\1 means different things'],
  ['\\u0041', 'the escape \\u means different things'],
  ['\\x41', 'the escape \\x means different things'],
  ['\\p{L}', 'the escape \\p means different things'],
  ['\\k', 'the escape \\k means different things'],
  ['[^]', 'an empty character class'],
  ['[]a]', 'an empty character class'],
  ['[[:alpha:]]', 'write a [ inside a character class'],
  ['[\\d-z]', 'a range from a class escape'],
  ['[\\b]', 'a \\b in a character class'],
  ['x{1001}', 'counts whose product is above 1000'],
  ['x{,3}', 'write a count as {n}'],
  ['x}', 'write a literal } as \\}'],
])('%j is refused: %s', (pattern, problem) => {
  expect(portablePatternProblem(pattern)).toContain(problem);
});

test('inline flags are refused, whether or not this Node.js reads them (Node.js 24 reads (?i:...), 20 does not)', () => {
  for (const p of ['(?i)key', '(?i:key)', '(?-i:key)']) expect(portablePatternProblem(p)).toMatch(/^(not a valid regular expression|only plain groups)/);
});

test.each([
  ['^PIN{01}$', 'without leading zeros'],
  ['a{00}', 'without leading zeros'],
  ['a{1,02}', 'without leading zeros'],
  ['[a-\\d]', 'a range to a class escape'],
  ['[!-\\w]', 'a range to a class escape'],
  ['(?:x{2}){501}', 'counts whose product is above 1000'],
  ['((a{10}){10}){11}', 'counts whose product is above 1000'],
  ['('.repeat(200) + 'a' + ')'.repeat(200), 'more than 256 characters'],
])('%j is refused too (RE2 reads it otherwise, or not at all): %s', (pattern, problem) => {
  expect(portablePatternProblem(pattern)).toContain(problem);
});

test('counts within RE2\'s limit are taken, nested or not', () => {
  for (const p of ['(?:x{2}){500}', '((a{10}){10}){10}', 'a{0}', 'a{1000}', '(a{5})+b{200}', '[-\\d]', '[\\d-]']) {
    expect([p, portablePatternProblem(p)]).toEqual([p, undefined]);
  }
});
