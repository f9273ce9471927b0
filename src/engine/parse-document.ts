import {
  constructFromEvents, EVENT_ID, Event, getScalarValue, parseEvents, Schema,
  strTag, seqTag, mapTag, nullYaml11Tag, boolYaml11Tag, intYaml11Tag, floatYaml11Tag, mergeTag,
} from 'js-yaml';
import { indexPath, keyPath, PathSegment, splitPath, joinPath } from './json-path';

/**
 * The scalar resolution Kubernetes applies to YAML manifests (sigs.k8s.io/yaml on
 * go-yaml v2, YAML 1.1): `yes`/`on` are booleans, merge keys work, timestamps stay strings.
 */
export const KUBERNETES_YAML_SCHEMA = new Schema([
  strTag, seqTag, mapTag, nullYaml11Tag, boolYaml11Tag, intYaml11Tag, floatYaml11Tag, mergeTag,
]);

/** Nesting deeper than this is refused (a YAML "depth bomb"). */
const MAX_DEPTH = 1000;

/** A problem at a position in a document. */
export interface DocumentError {
  /** 0-based offset into the document text. */
  readonly offset: number;
  readonly message: string;
}

/** One parsed YAML document: its value and a way to locate paths in its source. */
export interface ParsedDocument {
  readonly value?: unknown;
  readonly error?: DocumentError;
  /** Offset of the node at the path (or of its nearest existing ancestor). */
  locate(path: string): number;
}

/**
 * Parses one YAML (or JSON) document. Never throws.
 */
export function parseDocument(text: string): ParsedDocument {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch (e) {
    return failed(e);
  }
  let values: unknown[];
  try {
    values = constructFromEvents(events, { source: text, schema: KUBERNETES_YAML_SCHEMA });
  } catch (e) {
    return failed(e);
  }
  const locator = new Locator(events, text);
  if (values.length > 1) {
    return { value: values[0], error: { offset: locator.documentStart(1), message: 'unexpected second document in one document' }, locate: (p) => locator.locate(p) };
  }
  const value = values[0];
  const aliasError = checkAliasExpansion(events, value);
  if (aliasError) {
    return { error: { offset: locator.firstAliasOffset(), message: aliasError }, locate: (p) => locator.locate(p) };
  }
  return { value, locate: (p) => locator.locate(p) };
}

function failed(e: unknown): ParsedDocument {
  const mark = (e as any)?.mark;
  const reason = (e as any)?.reason;
  const offset = typeof mark?.position === 'number' ? mark.position : 0;
  const message = typeof reason === 'string' && reason.length > 0 ? reason : String((e as any)?.message ?? e).split('\n')[0];
  return { error: { offset, message: `invalid YAML: ${message}` }, locate: () => offset };
}

/**
 * Aliases share nodes, so a small document can stand for an exponentially large one
 * (a "billion laughs" alias bomb). Kubernetes refuses such documents; so do we, by
 * counting the nodes the document expands to.
 */
function checkAliasExpansion(events: Event[], value: unknown): string | undefined {
  let aliases = 0;
  for (const ev of events) if (ev.type === EVENT_ID.ALIAS) aliases++;
  if (aliases === 0) return undefined;
  const limit = Math.max(100_000, events.length * 50);
  const memo = new Map<object, number>();
  const onPath = new Set<object>();
  const size = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (onPath.has(v)) return Infinity; // recursive alias
    onPath.add(v);
    let total = 1;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      total += size(c);
      if (total > limit) break;
    }
    onPath.delete(v);
    memo.set(v, total);
    return total;
  };
  const total = size(value);
  if (total > limit) {
    return `YAML aliases expand this document to more than ${limit} nodes (an alias bomb); refusing it`;
  }
  return undefined;
}

/** Maps JSON paths to source offsets by walking the parser's events (only when asked). */
class Locator {
  private map?: Map<string, number>;
  constructor(private readonly events: Event[], private readonly source: string) {}

  documentStart(n: number): number {
    let seen = 0;
    for (let i = 0; i < this.events.length; i++) {
      if (this.events[i].type === EVENT_ID.DOCUMENT) {
        if (seen === n) return nodeOffset(this.events[i + 1]) ?? 0;
        seen++;
      }
    }
    return 0;
  }

  firstAliasOffset(): number {
    for (const ev of this.events) if (ev.type === EVENT_ID.ALIAS) return Math.max(0, ev.anchorStart - 1);
    return 0;
  }

  locate(path: string): number {
    if (!this.map) this.map = this.build();
    const direct = this.map.get(path);
    if (direct !== undefined) return direct;
    const segs: PathSegment[] | undefined = splitPath(path);
    if (!segs) return this.map.get('') ?? 0;
    for (let n = segs.length - 1; n >= 0; n--) {
      const p = joinPath(segs.slice(0, n));
      const found = this.map.get(p);
      if (found !== undefined) return found;
    }
    return 0;
  }

  private build(): Map<string, number> {
    const map = new Map<string, number>();
    const events = this.events;
    let i = 0;
    // skip to the first document's root node
    while (i < events.length && events[i].type !== EVENT_ID.DOCUMENT) i++;
    i++;
    if (i >= events.length) return map;
    const source = this.source;
    // iterative walk: each frame is an open collection
    type Frame = { kind: 'map' | 'seq'; path: string; index: number; pendingKey?: { key: string; offset: number } };
    const stack: Frame[] = [];
    const place = (offset: number): string | undefined => {
      const top = stack[stack.length - 1];
      if (!top) {
        map.set('', offset);
        return '';
      }
      if (top.kind === 'seq') {
        const p = indexPath(top.path, top.index++);
        map.set(p, offset);
        return p;
      }
      if (top.pendingKey) {
        const p = keyPath(top.path, top.pendingKey.key);
        map.set(p, top.pendingKey.offset);
        top.pendingKey = undefined;
        return p;
      }
      return undefined; // this node is a key
    };
    for (; i < events.length; i++) {
      const ev = events[i];
      switch (ev.type) {
        case EVENT_ID.MAPPING:
        case EVENT_ID.SEQUENCE: {
          const top = stack[stack.length - 1];
          const isKey = top !== undefined && top.kind === 'map' && !top.pendingKey;
          const path = isKey ? undefined : place(ev.start);
          if (isKey) {
            // complex key: give it a placeholder so that its value still advances the map
            top.pendingKey = { key: '?', offset: ev.start };
          }
          stack.push({ kind: ev.type === EVENT_ID.MAPPING ? 'map' : 'seq', path: path ?? '\u0000', index: 0 });
          break;
        }
        case EVENT_ID.SCALAR:
        case EVENT_ID.ALIAS: {
          const offset = ev.type === EVENT_ID.SCALAR ? ev.valueStart : Math.max(0, ev.anchorStart - 1);
          const top = stack[stack.length - 1];
          if (top && top.kind === 'map' && !top.pendingKey) {
            const key = ev.type === EVENT_ID.SCALAR ? getScalarValue(source, ev) : '*';
            top.pendingKey = { key, offset };
          } else {
            place(offset);
          }
          if (!top) return map;
          break;
        }
        case EVENT_ID.POP: {
          stack.pop();
          if (stack.length === 0) return map;
          break;
        }
        case EVENT_ID.DOCUMENT:
          return map;
      }
    }
    return map;
  }
}

function nodeOffset(ev: Event | undefined): number | undefined {
  if (!ev) return undefined;
  switch (ev.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return ev.start;
    case EVENT_ID.SCALAR:
      return ev.valueStart;
    case EVENT_ID.ALIAS:
      return Math.max(0, ev.anchorStart - 1);
    default:
      return undefined;
  }
}

/** Line and column (both 1-based) of an offset in a text. */
export class LineIndex {
  private starts?: number[];
  constructor(private readonly text: string) {}

  position(offset: number): { line: number; column: number } {
    if (!(offset >= 0)) offset = 0;
    if (!this.starts) {
      const s = [0];
      const t = this.text;
      let i = t.indexOf('\n');
      while (i >= 0) {
        s.push(i + 1);
        i = t.indexOf('\n', i + 1);
      }
      this.starts = s;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1 };
  }
}
