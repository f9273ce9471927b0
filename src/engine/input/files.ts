import * as fs from 'fs';
import * as path from 'path';

/**
 * The files of a path, chosen as `kubectl apply -f PATH -R` chooses them (cli-runtime's
 * `ExpandPathsToFileVisitors`, a `filepath.Walk`):
 *
 * - a path given explicitly is read whatever it is (a file of any name, a pipe such as
 *   `<(helm template …)`); a directory is walked;
 * - in a walk, files are taken by extension (`.yaml`, `.yml`, `.json`), hidden ones
 *   included (kubectl applies them), in lexical order, into every subdirectory;
 * - like `filepath.Walk`, a walk does not follow a symbolic link to a directory (it is
 *   listed as skipped); a link to a file is read;
 * - version-control folders (`.git`, `.hg`, `.svn`, `.bzr`) are not walked: listed as
 *   skipped, so a report says what it left out;
 * - a FIFO, socket or device met in a walk is never opened (it could block forever or
 *   never end): with a manifest extension it is an input error saying why.
 */
export type SelectedInput =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string }
  | { readonly kind: 'error'; readonly path: string; readonly message: string };

const EXTENSIONS = /\.(ya?ml|json)$/;
const VERSION_CONTROL = new Set(['.git', '.hg', '.svn', '.bzr']);

export function selectInputs(p: string): SelectedInput[] {
  const out: SelectedInput[] = [];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    return [{ kind: 'error', path: p, message: `cannot read: ${describeFsError(e)}` }];
  }
  if (stat.isDirectory()) walk(p, out);
  else out.push({ kind: 'file', path: p });
  return out;
}

function walk(dir: string, out: SelectedInput[]): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    out.push({ kind: 'error', path: dir, message: `cannot read directory: ${describeFsError(e)}` });
    return;
  }
  // Go's filepath.Walk: names in byte order
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    const child = path.join(dir, name);
    let link: fs.Stats;
    try {
      link = fs.lstatSync(child);
    } catch (e) {
      out.push({ kind: 'error', path: child, message: `cannot read: ${describeFsError(e)}` });
      continue;
    }
    if (link.isDirectory()) {
      if (VERSION_CONTROL.has(name)) out.push({ kind: 'skipped', path: child, reason: 'version-control folder' });
      else walk(child, out);
      continue;
    }
    if (!EXTENSIONS.test(name)) continue;
    let target = link;
    if (link.isSymbolicLink()) {
      try {
        target = fs.statSync(child);
      } catch (e) {
        out.push({ kind: 'error', path: child, message: `cannot read: ${describeFsError(e)}` });
        continue;
      }
      if (target.isDirectory()) {
        out.push({ kind: 'skipped', path: child, reason: 'symbolic link to a directory (kubectl does not follow it)' });
        continue;
      }
    }
    if (target.isFile()) {
      out.push({ kind: 'file', path: child });
    } else {
      const what = target.isFIFO() ? 'a FIFO' : target.isSocket() ? 'a socket' : 'a device';
      out.push({ kind: 'error', path: child, message: `not opened: ${what}, not a regular file (it could block or never end); pass it explicitly to read it` });
    }
  }
}

export function describeFsError(e: unknown): string {
  const code = (e as any)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many symbolic links';
    case 'ENOTDIR': return 'not a directory';
    default: return typeof code === 'string' ? code : 'read failed';
  }
}
