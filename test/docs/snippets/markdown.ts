/**
 * The fenced code blocks of the documentation, and the `@example`s of the public API's
 * JSDoc, as the snippet test reads them.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** One fenced block of a Markdown file. */
export interface FencedBlock {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  /** The info string's first word (`sh`, `yaml`, `ts`…), `''` for none. */
  readonly lang: string;
  /** The block's text, without the fences, ending with a newline. */
  readonly text: string;
  /** The nearest heading above it (`## The command line`), `''` before any. */
  readonly heading: string;
  /** Its ordinal among the blocks under that heading (1-based). */
  readonly index: number;
  /** The HTML comment on the nearest non-blank line above the fence, if any (`<!-- exit: 1 -->`). */
  readonly marker?: string;
}

/** `file § heading #index`: how a block is named in the test and its messages. */
export function blockId(b: Pick<FencedBlock, 'file' | 'heading' | 'index'>): string {
  return `${b.file} § ${b.heading.replace(/^#+\s*/, '') || '(top)'} #${b.index}`;
}

/** The fenced blocks of a Markdown file of the repository. */
export function fencedBlocks(file: string): FencedBlock[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const blocks: FencedBlock[] = [];
  const perHeading = new Map<string, number>();
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]);
    if (!open) {
      if (/^#{1,6} /.test(lines[i])) heading = lines[i].trim();
      continue;
    }
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !(lines[end].startsWith(fence) && lines[end].slice(fence.length).trim() === '')) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}:1: code fence never closed`);
    let above = i - 1;
    while (above >= 0 && lines[above].trim() === '') above--;
    const marker = above >= 0 && /^<!--.*-->$/.test(lines[above].trim()) ? lines[above].trim() : undefined;
    const index = (perHeading.get(heading) ?? 0) + 1;
    perHeading.set(heading, index);
    blocks.push({ file, line: i + 1, lang: open[2], text: lines.slice(i + 1, end).join('\n') + '\n', heading, index, marker });
    i = end;
  }
  return blocks;
}

/** One `@example` of a JSDoc comment in src/. */
export interface JsdocExample {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** The line of the `@example` tag (1-based). */
  readonly line: number;
  /** What the comment documents: the declaration after it (`Guard`, `Guard.of`…). */
  readonly symbol: string;
  /** The example's code, the comment's leading ` * ` removed. */
  readonly code: string;
}

/** The `@example`s of the `.ts` files of a source folder of the repository. */
export function jsdocExamples(dir: string): JsdocExample[] {
  const out: JsdocExample[] = [];
  for (const name of fs.readdirSync(path.join(ROOT, dir)).filter((n) => n.endsWith('.ts')).sort()) {
    const file = `${dir}/${name}`;
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    let owner = '';
    for (let i = 0; i < lines.length; i++) {
      const cls = /^export (?:abstract )?(?:class|interface|enum) (\w+)/.exec(lines[i]);
      if (cls) owner = cls[1];
      if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
      const code: string[] = [];
      let j = i + 1;
      for (; j < lines.length && !/^\s*\*\//.test(lines[j]) && !/^\s*\*\s*@\w+/.test(lines[j]); j++) code.push(lines[j].replace(/^\s*\* ?/, ''));
      while (j < lines.length && !/\*\//.test(lines[j])) j++;
      // the declaration the comment belongs to: the first non-blank line after it
      let k = j + 1;
      while (k < lines.length && lines[k].trim() === '') k++;
      const decl = lines[k] ?? '';
      const top = /^export (?:abstract )?(?:class|interface|enum|function|const|type) (\w+)/.exec(decl);
      const member = /^\s+(?:public |protected )?(?:static )?(?:readonly )?(?:async )?(\w+)[(?:<]/.exec(decl);
      const symbol = top ? top[1] : member ? `${owner}.${member[1]}` : owner;
      out.push({ file, line: i + 1, symbol, code: code.join('\n').trim() + '\n' });
    }
  }
  return out;
}
