/**
 * The reading of Go templates that decides whether a SealedSecret template value is
 * templated from the sealed data (src/rules/secrets/go-template.ts): examples, and the
 * scanner the check runs held equal to the patterns the admission policies run as RE2
 * FindAll (here run as JavaScript global matches, which find the same leftmost-first
 * matches for these patterns).
 */
import * as fc from 'fast-check';
import { ACTION_SOURCE, COMMENT_START_SOURCE, isDataToken, templateActions, templateReadsData, TOKEN_SOURCE } from '../../../src/rules/secrets/go-template';

const ACTION = new RegExp(ACTION_SOURCE, 'g');
const COMMENT_START = new RegExp(COMMENT_START_SOURCE);
const TOKEN = new RegExp(TOKEN_SOURCE, 'g');

/** The patterns' reading, as the CEL of the admission policy reads it. */
function reference(s: string): boolean {
  return [...s.matchAll(ACTION)].some(([a]) => !COMMENT_START.test(a) && [...a.matchAll(TOKEN)].some(([t]) => isDataToken(t)));
}

test.each([
  ['{{ index . "password" }}', true],
  ['{{ .password }}', true],
  ['{{- .password -}}', true],
  ['user: admin\npass: {{ .password | b64dec }}', true],
  ['{{ printf "%s" .a }}', true],
  ['{{ $ }}', true],
  ['{{ $.password }}', true],
  ['{{ (index . "a").b }}', true],
  ['{{ "}}" }}{{ .a }}', true],
  ['{{ "hunter2" }}', false],
  ['hunter2{{/* . */}}', false],
  ['hunter2{{- /* .password */ -}}', false],
  ['{{ 3.14 }}', false],
  ['{{ .5 }}', false],
  ['{{ 1. }}', false],
  ['{{ x.y }}', false],
  ['{{ $x := "hunter2" }}{{ $x }}', false],
  ['{{ "{{ .a }}" }}', false],
  ['{{ ".a" }}', false],
  ['{{ `.a` }}', false],
  ["{{ '.' }}", false],
  ['{{ .a', false],
  ['{{ "unterminated }} {{ .a }}', true],
  ['plain {text} with } braces {', false],
  ['', false],
])('%j reads the data: %s', (value, expected) => {
  expect(templateReadsData(value)).toBe(expected);
  expect(reference(value)).toBe(expected);
});

test('the scanner finds the actions the pattern finds, and reads them alike, over generated templates', () => {
  const piece = fc.constantFrom(
    '{{', '}}', '{', '}', '{{-', '-}}', ' ', '\t', '\n', '/*', '*/', '.', '$', '.a', '$x', '1', '.5', 'x', 'index', '"', '`', "'", '\\',
    '"a"', '"}}"', '`}}`', "'}'", '\\"', '|', '(', ')', '-', 'é', '\ud83d\ude00', '\ud83d',
  );
  fc.assert(fc.property(fc.array(piece, { maxLength: 24 }).map((p) => p.join('')), (s) => {
    expect(templateActions(s).map(({ start, end }) => s.slice(start, end))).toEqual([...s.matchAll(ACTION)].map(([a]) => a));
    expect(templateReadsData(s)).toBe(reference(s));
  }), { numRuns: 20000, seed: 4711 });
});

test('a value of many unterminated actions and literals is scanned to its answer', () => {
  // each `{{` starts an action whose scan would run to the end of the value; the scanner
  // remembers where earlier scans stopped
  // (the patterns, run by a backtracking engine, would take a time quadratic in the value here; RE2 does not)
  for (const unit of ['{{"', '{{/*', '{{ }"', "{{'{{\"", '{{`']) {
    expect([unit, templateReadsData(unit.repeat(40000))]).toEqual([unit, false]);
    expect([unit, templateReadsData(`${unit.repeat(40000)}{{ .a }}`)]).toEqual([unit, reference(`${unit.repeat(3)}{{ .a }}`)]);
  }
});
