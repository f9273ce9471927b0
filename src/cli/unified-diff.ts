/**
 * A unified diff of two texts, line by line (what `kubeharden fix --dry-run` prints), in
 * the format `diff -u` and `git apply` read: `--- a`/`+++ b` headers, `@@ -l,n +l,n @@`
 * hunks with three lines of context, and `\ No newline at end of file` after a last line
 * that has no line end.
 *
 * The lines are matched by a longest common subsequence (Myers' O(ND) algorithm), after
 * the common first and last lines are set aside: a fix changes a few lines of a file, so
 * the work and memory grow with the changes, not with the file.
 */

/** One line of a text, and whether it ends with a line break. */
interface Line {
  readonly text: string;
  readonly newline: boolean;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let from = 0;
  while (from < text.length) {
    const nl = text.indexOf('\n', from);
    if (nl < 0) {
      out.push({ text: text.slice(from), newline: false });
      break;
    }
    out.push({ text: text.slice(from, nl), newline: true });
    from = nl + 1;
  }
  return out;
}

function same(a: Line, b: Line): boolean {
  return a.text === b.text && a.newline === b.newline;
}

/** An edit script: for each line, kept (both), removed (a only) or added (b only), in order. */
type Op = { readonly kind: ' ' | '-' | '+'; readonly line: Line };

/**
 * The shortest edit script between a[aFrom..aTo) and b[bFrom..bTo) (Myers 1986: the
 * furthest-reaching path on each diagonal, for D = 0, 1, …; the V arrays of each step are
 * kept to walk the path back).
 */
function myers(a: Line[], b: Line[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) x = v[offset + k + 1];
      else x = v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && same(a[x], b[y])) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v);
  // walk back from (n, m): each step D came from a step D-1 on a neighbouring diagonal
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const before = trace[d];
    const k = x - y;
    let prevK: number;
    if (d === 0) {
      prevK = k;
    } else if (k === -d || (k !== d && before[offset + k - 1] < before[offset + k + 1])) {
      prevK = k + 1;
    } else {
      prevK = k - 1;
    }
    const prevX = d === 0 ? 0 : before[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

/**
 * The unified diff from `before` to `after`, or '' when they are equal.
 *
 * @param fromName the name on the `---` line
 * @param toName the name on the `+++` line
 * @param context lines of context around each change
 */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  if (before === after) return '';
  const a = linesOf(before);
  const b = linesOf(after);
  let head = 0;
  while (head < a.length && head < b.length && same(a[head], b[head])) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail], b[b.length - 1 - tail])) tail++;
  const ops: Op[] = [
    ...a.slice(0, head).map((line): Op => ({ kind: ' ', line })),
    ...myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })),
  ];
  const out: string[] = [`--- ${fromName}`, `+++ ${toName}`];
  // hunks: the changes with `context` lines around them, merged when their context touches
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i].kind === ' ') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - context);
    while (start > 0 && ops[start - 1].kind !== ' ') start--;
    let end = i;
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let run = 0;
      while (end + run < ops.length && ops[end + run].kind === ' ') run++;
      if (end + run < ops.length && run <= 2 * context) {
        end += run;
        continue;
      }
      end = Math.min(ops.length, end + context);
      break;
    }
    // the line numbers where the hunk starts
    let aLine = 1;
    let bLine = 1;
    for (let k = 0; k < start; k++) {
      if (ops[k].kind !== '+') aLine++;
      if (ops[k].kind !== '-') bLine++;
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(aCount === 0 ? aLine - 1 : aLine, aCount)} +${range(bCount === 0 ? bLine - 1 : bLine, bCount)} @@`);
    for (const o of hunk) {
      out.push(`${o.kind}${o.line.text}`);
      if (!o.line.newline) out.push('\\ No newline at end of file');
    }
    i = end;
  }
  return `${out.join('\n')}\n`;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}
