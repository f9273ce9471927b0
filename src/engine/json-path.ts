/**
 * JSON paths in findings: `spec.template.spec.initContainers[1].securityContext.privileged`.
 * Keys that are not plain identifiers are quoted: `metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]`.
 */

/** Keys written plainly: `^[A-Za-z_$][A-Za-z0-9_$-]*$`; others are quoted. */

/** Whether a key can be written plainly, checked without a regular expression. */
function isPlainKey(key: string): boolean {
  const n = key.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
    if (letter) continue;
    if (i > 0 && ((c >= 48 && c <= 57) || c === 45)) continue;
    return false;
  }
  return true;
}

/** Appends a mapping key to a path. */
export function keyPath(base: string, key: string): string {
  if (isPlainKey(key)) {
    return base === '' ? key : `${base}.${key}`;
  }
  return `${base}[${JSON.stringify(key)}]`;
}

/** Appends a sequence index to a path. */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** A path segment: a mapping key or a sequence index. */
export type PathSegment = string | number;

/**
 * Splits a path built by keyPath/indexPath into segments. Returns undefined for a
 * string that is not such a path.
 */
export function splitPath(path: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let i = 0;
  const n = path.length;
  while (i < n) {
    const c = path[i];
    if (c === '.') {
      if (i === 0) return undefined;
      i++;
      continue;
    }
    if (c === '[') {
      if (path[i + 1] === '"') {
        // JSON string up to the matching quote
        let j = i + 2;
        while (j < n && path[j] !== '"') {
          j += path[j] === '\\' ? 2 : 1;
        }
        if (j >= n || path[j + 1] !== ']') return undefined;
        try {
          out.push(JSON.parse(path.slice(i + 1, j + 1)));
        } catch {
          return undefined;
        }
        i = j + 2;
      } else {
        const j = path.indexOf(']', i);
        if (j < 0) return undefined;
        const num = Number(path.slice(i + 1, j));
        if (!Number.isInteger(num) || num < 0) return undefined;
        out.push(num);
        i = j + 1;
      }
      continue;
    }
    let j = i;
    while (j < n && path[j] !== '.' && path[j] !== '[') j++;
    out.push(path.slice(i, j));
    i = j;
  }
  return out;
}
