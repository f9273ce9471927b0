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
 *     `[` (RE2's POSIX classes) and no range from or to a class escape;
 *   - counts `{n}`, `{n,}` and `{n,m}` without leading zeros (RE2 reads `{01}` as text),
 *     whose product over nested groups is at most 1000 (RE2's limit);
 *   - at most 256 characters.
 */

const ESCAPABLE_CLASSES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 't', 'n', 'r', 'f', 'v']);
const MAX_REPEAT = 1000;
/** Longer patterns are refused (RE2 limits how deep groups nest and how large a program grows). */
const MAX_LENGTH = 256;

/** What stops a pattern from being read the same by JavaScript and RE2, or undefined when nothing does. */
export function portablePatternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'i');
  } catch {
    return 'not a valid regular expression';
  }
  if (pattern === '') return 'an empty pattern matches every name';
  if (pattern.length > MAX_LENGTH) return `a pattern of more than ${MAX_LENGTH} characters is refused`;
  if (/[^\x20-\x7e]/.test(pattern)) return 'use printable ASCII characters only (the names it matches are ASCII)';
  // per open group, the largest product of counts inside it (RE2 refuses nested counts whose product is over 1000)
  const groups: number[] = [1];
  /** The product of counts of the last atom, when it is a group that has just closed. */
  let lastGroup = 1;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    let atomGroup = 1;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (/[A-Za-z0-9]/.test(next) && !ESCAPABLE_CLASSES.has(next)) return `the escape \\${next} means different things to JavaScript and RE2`;
      i++;
    } else if (ch === '(') {
      if (pattern[i + 1] === '?' && pattern[i + 2] !== ':') return 'only plain groups and (?: ) groups are taken: no lookaround, named group or inline flag';
      groups.push(1);
      if (pattern[i + 1] === '?') i += 2;
      continue;
    } else if (ch === ')') {
      atomGroup = groups.pop() ?? 1;
    } else if (ch === '[') {
      if (pattern[i + 1] === ']' || (pattern[i + 1] === '^' && pattern[i + 2] === ']')) return 'an empty character class means different things to JavaScript and RE2';
      // skip to the class's end: inside it, only escapes and ranges matter
      let j = i + 1;
      if (pattern[j] === '^') j++;
      const first = j;
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        if (pattern[j] === '\\') {
          const next = pattern[j + 1];
          if (/[A-Za-z0-9]/.test(next) && !ESCAPABLE_CLASSES.has(next)) return `the escape \\${next} means different things to JavaScript and RE2`;
          if (next === 'b' || next === 'B') return 'a \\b in a character class means different things to JavaScript and RE2';
          if (/[dDwWsS]/.test(next) && pattern[j + 2] === '-' && pattern[j + 3] !== ']') return 'a range from a class escape means different things to JavaScript and RE2';
          j++;
        } else if (pattern[j] === '[') {
          return 'write a [ inside a character class as \\[ (RE2 reads [: as a POSIX class)';
        } else if (pattern[j] === '-' && j > first && pattern[j + 1] === '\\' && /[dDwWsS]/.test(pattern[j + 2])) {
          return 'a range to a class escape means different things to JavaScript and RE2';
        }
      }
      i = j;
    } else if (ch === '}') {
      return 'write a literal } as \\}';
    }
    lastGroup = atomGroup;
    // a count after the atom
    if (pattern[i + 1] === '{') {
      const m = /^\{(0|[1-9]\d*)(,(0|[1-9]\d*)?)?\}/.exec(pattern.slice(i + 1));
      if (!m) return 'write a count as {n}, {n,} or {n,m} without leading zeros (RE2 reads anything else as text), and a literal { as \\{';
      const count = m[3] !== undefined ? Number(m[3]) : Number(m[1]);
      const product = Math.max(count, 1) * lastGroup;
      if (product > MAX_REPEAT) return `counts whose product is above ${MAX_REPEAT} are refused by RE2`;
      groups[groups.length - 1] = Math.max(groups[groups.length - 1], product);
      i += m[0].length;
      lastGroup = 1;
    } else {
      groups[groups.length - 1] = Math.max(groups[groups.length - 1], lastGroup);
    }
  }
  return undefined;
}
