/**
 * A temporary TypeScript project in which documentation snippets are compiled and run
 * against the built package, as a user's project would use it: `kubeharden` resolves to
 * this repository (what `npm install ../kubeharden` links), cdk8s, constructs,
 * cdk8s-plus-33, @pulumi/policy and @types/node to the repository's own copies.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './markdown';

const LINKED = ['cdk8s', 'constructs', 'cdk8s-plus-33', '@pulumi/policy', '@pulumi/pulumi', '@types/node'];

/** A diagnostic, located in its snippet's own file. */
export interface SnippetDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export class SnippetProject {
  /** The project's directory: sources in `src/`, JavaScript in `out/`. */
  public readonly dir: string;
  private readonly sources = new Map<string, string>();

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-snippets-'));
    const modules = path.join(this.dir, 'node_modules');
    for (const name of LINKED) {
      fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
      fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name));
    }
    fs.symlinkSync(ROOT, path.join(modules, 'kubeharden'));
    fs.mkdirSync(path.join(this.dir, 'src'));
  }

  /** Adds a source file (`name` relative to `src/`). */
  public add(name: string, text: string): string {
    const file = path.join(this.dir, 'src', name);
    fs.writeFileSync(file, text);
    this.sources.set(file, name);
    return file;
  }

  /**
   * Type-checks every source file in one program (strict, Node16 module resolution, which
   * reads the package's `exports`) and writes the JavaScript to `out/`. Returns the
   * diagnostics, by source name.
   */
  public compile(): Map<string, SnippetDiagnostic[]> {
    const options: ts.CompilerOptions = {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      types: ['node'],
      typeRoots: [path.join(this.dir, 'node_modules', '@types')],
      skipLibCheck: true,
      rootDir: path.join(this.dir, 'src'),
      outDir: path.join(this.dir, 'out'),
      noEmitOnError: false,
    };
    const program = ts.createProgram([...this.sources.keys()], options);
    const emitted = program.emit();
    const all = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
    const byName = new Map<string, SnippetDiagnostic[]>([...this.sources.values()].map((n) => [n, []]));
    for (const d of all) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const name = d.file ? this.sources.get(path.resolve(d.file.fileName)) : undefined;
      if (!d.file || name === undefined) {
        // a diagnostic outside the snippets (options, a declaration file) concerns them all
        for (const list of byName.values()) list.push({ file: d.file?.fileName ?? '(program)', line: 0, column: 0, message });
        continue;
      }
      const at = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      byName.get(name)!.push({ file: name, line: at.line + 1, column: at.character + 1, message });
    }
    return byName;
  }

  /** Runs the compiled `out/<name>.js` with node in a fresh working directory; returns it with the result. */
  public run(name: string, files: { [relativePath: string]: string } = {}) {
    const cwd = fs.mkdtempSync(path.join(this.dir, 'run-'));
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
      fs.writeFileSync(path.join(cwd, rel), text);
    }
    const script = path.join(this.dir, 'out', name.replace(/\.ts$/, '.js'));
    const r = spawnSync(process.execPath, [script], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    return { cwd, status: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
  }

  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The names a module exports (values and types), read with the type checker from the project's node_modules. */
export function exportedNames(project: SnippetProject, specifier: string): string[] {
  const probe = path.join(project.dir, `exports-${specifier.replace(/\W+/g, '-')}.ts`);
  fs.writeFileSync(probe, `export * from '${specifier}';\n`);
  try {
    const program = ts.createProgram([probe], {
      module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, skipLibCheck: true, noEmit: true, types: [],
    });
    const checker = program.getTypeChecker();
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(probe)!);
    return symbol ? checker.getExportsOfModule(symbol).map((x) => x.name) : [];
  } finally {
    fs.rmSync(probe);
  }
}

/** Where a module's names come from, for the imports a fragment is given. */
export interface ImportSource {
  readonly from: string;
  /** Named imports offered (only those the fragment uses are imported). */
  readonly names?: readonly string[];
  /** `import * as <namespace> from …`, when the fragment uses the namespace. */
  readonly namespace?: string;
}

/** A fragment made a module: its imports, the declarations of the names it takes as given, its code in an async function. */
export interface FragmentModule {
  readonly text: string;
  /** The fragment's line (1-based) that a line of the module comes from, if any. */
  origin(moduleLine: number): number | undefined;
}

/**
 * Makes a fragment a module: `import` lines it has are kept on top; every name of
 * `sources` it uses (and does not import itself) is imported; the names of `given` it uses
 * are declared (`declare const chart: Chart;`) or, for a run, defined by `setup`; the code
 * runs in `async function example()`, so that `await` works and its own declarations may
 * shadow the given ones. With `call`, the module calls it and exits 1 with the error's
 * message when it throws.
 */
export function fragmentModule(code: string, sources: readonly ImportSource[], given: { [name: string]: string },
  options: { setup?: string; call?: boolean } = {}): FragmentModule {
  const lines = code.replace(/\n$/, '').split('\n');
  const ownAt = lines.map((l, i) => (/^import\s/.test(l) ? i + 1 : 0)).filter((i) => i > 0);
  const own = ownAt.map((i) => lines[i - 1]);
  const body = lines.map((l) => (/^import\s/.test(l) ? '' : l));
  const words = new Set((code.match(/[A-Za-z_$][\w$]*/g) ?? []));
  const declared: string[] = [];
  for (const [name, type] of Object.entries(given)) {
    if (!words.has(name)) continue;
    for (const w of type.match(/[A-Za-z_$][\w$]*/g) ?? []) words.add(w);
    if (!options.setup) declared.push(`declare const ${name}: ${type};`);
  }
  const setupWords = options.setup?.match(/[A-Za-z_$][\w$]*/g) ?? [];
  for (const w of setupWords) words.add(w);
  const imported = new Set(own.flatMap((l) => (/\{([^}]*)\}/.exec(l)?.[1] ?? '').split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!)));
  const imports = [...own];
  for (const s of sources) {
    const names = (s.names ?? []).filter((n) => words.has(n) && !imported.has(n));
    names.forEach((n) => imported.add(n));
    if (names.length > 0) imports.push(`import { ${names.join(', ')} } from '${s.from}';`);
    if (s.namespace && words.has(s.namespace) && !imported.has(s.namespace)) imports.push(`import * as ${s.namespace} from '${s.from}';`);
  }
  const head = [...imports, ...declared, ...(options.setup ? [options.setup] : []), 'export async function example(): Promise<void> {'];
  const tail = ['}', ...(options.call ? ['example().catch((e: Error) => { console.error(e.message); process.exit(1); });'] : [])];
  const first = head.join('\n').split('\n').length + 1;
  const origin = (line: number): number | undefined => {
    if (line >= first && line < first + body.length) return line - first + 1;
    return line <= own.length ? ownAt[line - 1] : undefined; // its own imports, moved on top
  };
  return { text: [...head, ...body, ...tail].join('\n') + '\n', origin };
}
