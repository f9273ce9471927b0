/**
 * Values a policy cannot know during `pulumi preview`, and how the adapter reads props
 * without ever tripping over them.
 *
 * What arrives in `args.props`:
 * - the policy server wraps props in a proxy that throws `UnknownValueError` when code
 *   reads an unknown value (the engine then reports the whole policy as "can't run during
 *   preview"); during remediation a second proxy unwraps secrets. The adapter reads the
 *   proxies' targets instead, so nothing it does can throw.
 * - an unknown (computed) value is one of Pulumi's unknown sentinels: the engine sends
 *   `04da6b54-80e4-46f7-96ec-b56ff0331ba9` for every unknown; the policy SDK also knows
 *   typed variants. Under `pulumi.runtime.setMocks` in preview mode an unknown input is
 *   the SDK's `unknown` object (`__pulumiUnknown`). All of them count as unknown.
 * - a value the program left out (or an output that resolved to undefined) is absent:
 *   the server drops undefined properties, and so does this module. Absent is a real
 *   value that the rules judge (a missing `runAsNonRoot` is a finding in preview and in
 *   `pulumi up` alike), whereas an unknown one may still become anything.
 * - secrets arrive unwrapped, or as `Secret` objects (remediation) or RPC secret
 *   envelopes; the adapter reads their values.
 *
 * What "unknown" means for a verdict: a rule's verdict on an object is trusted only when
 * the rule did not read any unknown location of that object (see `probe`). This is
 * exact, not a heuristic over paths: checks are pure functions of the fields they read,
 * so a check that never read an unknown field gives the same result whatever value the
 * field takes.
 */

/** The unknown sentinels of the Pulumi engine (the first) and of the policy SDK. */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  '04da6b54-80e4-46f7-96ec-b56ff0331ba9', // unknown (string; the only one the engine sends)
  '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7', // boolean
  '3eeb2bf0-c639-47a8-9e75-3b44932eb421', // number
  '6a19a0b0-7e62-4c92-b797-7f8e31da9cc2', // array
  '030794c1-ac77-496b-92df-f27374a8bd58', // asset
  'e48ece36-62e2-4504-bad9-02848725956a', // archive
  'dd056dcd-154b-4c76-9bd3-c8f88648b5ff', // object
]);

/** The unknown value as the Pulumi engine sends it. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

const SPECIAL_PROXY = '__isSpecialProxy';
const PROXY_TARGET = '__getSpecialProxyTarget';
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** Whether a value is unknown during preview. */
export function isUnknownValue(v: unknown): boolean {
  if (typeof v === 'string') return UNKNOWN_SENTINELS.has(v);
  return typeof v === 'object' && v !== null && (v as any).__pulumiUnknown === true;
}

/** The target of the policy server's proxies (nested proxies included), or the value itself. */
export function unwrapProxy(v: unknown): unknown {
  let cur: any = v;
  for (let i = 0; i < 8 && typeof cur === 'object' && cur !== null; i++) {
    let special: unknown;
    try {
      special = cur[SPECIAL_PROXY];
    } catch {
      return cur;
    }
    if (special !== true) return cur;
    cur = cur[PROXY_TARGET];
  }
  return cur;
}

/** Whether a value is a policy SDK `Secret` or an RPC secret envelope. */
function isSecretWrapper(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as any;
  if (o[SIG_KEY] === SECRET_SIG) return true;
  const proto = Object.getPrototypeOf(o);
  return proto !== Object.prototype && proto !== null && o.constructor?.name === 'Secret' && 'value' in o;
}

/** Whether a value is a plain JSON object (not an array, secret or class instance). */
export function isPlainObject(v: unknown): v is { [key: string]: any } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Where the unknown values of an object sit: `true` at an unknown, a subtree elsewhere. */
export type UnknownTree = Map<string | number, UnknownTree | true>;

/** A plain copy of props, with the locations of their unknown values. */
export interface NormalizedProps {
  /** Plain JSON: proxies and secrets unwrapped, unknown values replaced by undefined (keys and array positions kept). */
  readonly value: any;
  /** Where the unknown values were, or undefined when there were none. */
  readonly unknowns: UnknownTree | undefined;
}

/** Reads props into plain JSON, noting where the unknown values are. Never throws. */
export function normalizeProps(props: unknown): NormalizedProps {
  const root: UnknownTree = new Map();
  const value = copy(props, root, 0);
  return { value, unknowns: root.size > 0 ? root : undefined };
}

function copy(raw: unknown, tree: UnknownTree, depth: number): any {
  let v: any = unwrapProxy(raw);
  for (let i = 0; i < 8 && isSecretWrapper(v); i++) v = unwrapProxy(v.value);
  if (v === null || typeof v !== 'object' || depth > 200) return typeof v === 'function' ? undefined : v;
  if (Array.isArray(v)) {
    const out: any[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = readSafely(v, i);
      if (isUnknownValue(item)) {
        tree.set(i, true);
        out[i] = undefined;
        continue;
      }
      out[i] = copyChild(item, tree, i, depth);
    }
    return out;
  }
  const out: { [key: string]: any } = {};
  for (const key of Object.keys(v)) {
    const item = readSafely(v, key);
    if (isUnknownValue(item)) {
      tree.set(key, true);
      out[key] = undefined;
      continue;
    }
    if (item === undefined) continue;
    out[key] = copyChild(item, tree, key, depth);
  }
  return out;
}

function copyChild(item: unknown, tree: UnknownTree, key: string | number, depth: number): any {
  const sub: UnknownTree = new Map();
  const out = copy(item, sub, depth + 1);
  if (sub.size > 0) tree.set(key, sub);
  return out;
}

function readSafely(container: any, key: string | number): unknown {
  try {
    return container[key];
  } catch {
    // A throwing getter is as unknowable as a computed value.
    return UNKNOWN;
  }
}

/** A read-tracking view of a normalized object. */
export interface Probe {
  /** The object to hand to a check. */
  readonly object: any;
  /** Whether anything read an unknown location through `object` so far. */
  touched(): boolean;
}

/**
 * Wraps a normalized object so that any read of an unknown location (its value, its
 * presence, or a walk through it) is recorded. Subtrees without unknowns are handed out
 * unwrapped, so the cost is paid only along the paths that lead to unknowns.
 */
export function probe(value: any, unknowns: UnknownTree): Probe {
  let touched = false;
  const wrap = (target: any, tree: UnknownTree): any => {
    if (typeof target !== 'object' || target === null) return target;
    const mark = (key: string | symbol) => {
      const k = keyOf(target, key);
      if (k !== undefined && tree.get(k) === true) touched = true;
    };
    return new Proxy(target, {
      get(t, key, receiver) {
        mark(key);
        const k = keyOf(t, key);
        const sub = k === undefined ? undefined : tree.get(k);
        const v = Reflect.get(t, key, receiver);
        return sub instanceof Map ? wrap(v, sub) : v;
      },
      has(t, key) {
        mark(key);
        return Reflect.has(t, key);
      },
      getOwnPropertyDescriptor(t, key) {
        mark(key);
        return Reflect.getOwnPropertyDescriptor(t, key);
      },
    });
  };
  return { object: wrap(value, unknowns), touched: () => touched };
}

function keyOf(target: any, key: string | symbol): string | number | undefined {
  if (typeof key === 'symbol') return undefined;
  if (Array.isArray(target)) {
    const n = Number(key);
    return Number.isInteger(n) && n >= 0 && String(n) === key ? n : undefined;
  }
  return key;
}

/** The subtree of unknowns at a path, `true` when the path itself is unknown. */
export function unknownsAt(tree: UnknownTree | true | undefined, path: (string | number)[]): UnknownTree | true | undefined {
  let cur: UnknownTree | true | undefined = tree;
  for (const seg of path) {
    if (cur === undefined || cur === true) return cur;
    cur = cur.get(seg);
  }
  return cur;
}
