/**
 * Regular expressions that users give as rule options (`secretNamePatterns`) and that run
 * in two engines: JavaScript's in `kubeharden check`, and RE2 (CEL's `matches`) in the
 * API server, when the rule is enforced at admission. A pattern is taken only when both
 * read it the same way over the names it is matched against (ASCII: environment variable
 * names, ConfigMap keys), case-insensitively. That is the common subset:
 *   - ASCII characters only, no line break;
 *   - groups `( )` and `(?: )`; no lookaround, no named group, no inline flag;
 *   - escapes of punctuation (`\.`, `\*`, …), the classes `\d \D \w \W \s \S`, the
 *     anchors `\b \B`, and `\t \n \r \f \v`; no backreference, no `\u`, `\x`, `\c`, `\p`,
 *     no escape of a letter or digit that means something else in one of them;
 *   - character classes that are not empty (`[]` and `[^]` differ), hold no unescaped
 *     `[` (RE2's POSIX classes) and no range from a class escape, counts `{n}`,
 *     `{n,}` and `{n,m}` up to 1000 (RE2's limit).
 */

const ESCAPABLE_CLASSES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 't', 'n', 'r', 'f', 'v']);
const MAX_REPEAT = 1000;

/** What stops a pattern from being read the same by JavaScript and RE2, or undefined when nothing does. */
export function portablePatternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'i');
  } catch {
    return 'not a valid regular expression';
  }
  if (pattern === '') return 'an empty pattern matches every name';
  if (/[^\x20-\x7e]/.test(pattern)) return 'use printable ASCII characters only (the names it matches are ASCII)';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (/[A-Za-z0-9]/.test(next) && !ESCAPABLE_CLASSES.has(next)) return `the escape \\${next} means different things to JavaScript and RE2`;
      i++;
    } else if (ch === '(' && pattern[i + 1] === '?' && pattern[i + 2] !== ':') {
      return 'only plain groups and (?: ) groups are taken: no lookaround, named group or inline flag';
    } else if (ch === '[') {
      if (pattern[i + 1] === ']' || (pattern[i + 1] === '^' && pattern[i + 2] === ']')) return 'an empty character class means different things to JavaScript and RE2';
      // skip to the class's end: inside it, only escapes matter
      let j = i + 1;
      if (pattern[j] === '^') j++;
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        if (pattern[j] === '\\') {
          const next = pattern[j + 1];
          if (/[A-Za-z0-9]/.test(next) && !ESCAPABLE_CLASSES.has(next)) return `the escape \\${next} means different things to JavaScript and RE2`;
          if (next === 'b' || next === 'B') return 'a \\b in a character class means different things to JavaScript and RE2';
          if (/[dDwWsS]/.test(next) && pattern[j + 2] === '-' && pattern[j + 3] !== ']') return 'a range from a class escape means different things to JavaScript and RE2';
          j++;
        } else if (pattern[j] === '[') {
          return 'write a [ inside a character class as \\[ (RE2 reads [: as a POSIX class)';
        }
      }
      i = j;
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) return 'write a literal { as \\{';
      if (Number(m[1]) > MAX_REPEAT || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > MAX_REPEAT)) return `a count above ${MAX_REPEAT} is refused by RE2`;
      i += m[0].length - 1;
    } else if (ch === '}') {
      return 'write a literal } as \\}';
    }
  }
  return undefined;
}
