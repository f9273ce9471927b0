/**
 * What the cluster suites share beside the harness: running requests a few at a time, and
 * running a `kubeharden` line of a documentation block as the CLI does.
 */
import { Cluster, Response } from './harness';
import { main } from '../../src/cli/main';

/** How many requests the suites keep in flight at once. */
const CONCURRENCY = 4;

/** `f` over the items, a few at a time, results in input order. */
export async function inParallel<T, R>(items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  }));
  return out;
}

/**
 * Runs the CLI with `argv` in `dir` (where a documented command writes its files), and
 * returns its exit code and standard error.
 */
export async function runKubeharden(argv: readonly string[], dir: string): Promise<{ code: number; err: string }> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    let err = '';
    const code = await main([...argv], { stdout: { write: () => undefined }, stderr: { write: (t: string) => { err += t; } }, env: {} } as any);
    return { code, err: code === 0 ? '' : err };
  } finally {
    process.chdir(cwd);
  }
}

/** GETs an object, changes it, PUTs it back; the server's answer. */
export async function updateObject(cluster: Pick<Cluster, 'request'>, urlPath: string, change: (o: any) => void): Promise<Response> {
  const current = (await cluster.request('GET', urlPath)).body;
  change(current);
  return cluster.request('PUT', urlPath, current);
}
