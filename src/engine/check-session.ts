import * as fs from 'fs';
import type { Engine } from './engine';
import { describeFsError, selectInputs } from './input/files';
import { flattenDocument } from './input/flatten';
import { podTypeProblems } from './input/pod-types';
import { ManifestStream, RawDocument } from './input/stream';
import { Utf8Reader } from './input/utf8';
import { parseDocuments, parseJsonValue, LineIndex, ParsedDocument } from './input/yaml-document';
import { enterPodScope, leavePodScope, PodScope, PodView, podOf, sharedForObject } from './pod-spec';
import { looksLikePods, PodTemplateLocation, syntheticPods } from './pod-templates';
import { podCheckOf, PodRuleCheck } from './rule';
import { isSetRule } from './set-rule';
import { keepShape } from './shapes';
import { Suppression, suppressionsOf } from './suppressions';
import { Finding, InputError, SkippedPath, UncheckedObject, IRule, ISetRule, ObjectRef, Profile, Report, RuleContext, RuleFinding, SetMember, Severity } from './types';
import { prop } from './values';

/** Name used for objects handed over in memory. */
export const IN_MEMORY_FILE = '<input>';
/** Name used for standard input. */
export const STDIN_FILE = '-';

const READ_CHUNK = 1024 * 1024;
/**
 * Documents are parsed in batches of about this many characters: one parser run per
 * batch costs much less than one per document, and memory stays bounded by the batch.
 */
const BATCH_CHARS = 64 * 1024;

/** What a session needs from the engine. @internal */
export interface SessionSetup {
  readonly profile: Profile;
  readonly rules: IRule[];
  readonly contexts: Map<string, RuleContext>;
  readonly severities: Map<string, Severity>;
  readonly excludeNamespaces: Set<string>;
  readonly maxInputBytes: number;
  readonly podTemplates: PodTemplateLocation[];
  /** What every report of the engine says about how it judged (an option that skips objects). */
  readonly notes: string[];
  readonly tool: { name: string; version: string };
}

/** A streamed input: push its text as it arrives, then end it. */
export interface IDocumentStream {
  /** Adds text. */
  push(text: string): void;
  /** Ends the input; checks its last document. */
  end(): void;
}

interface Located {
  readonly file: string;
  /** Path of the object inside its document ('' or `items[3]`). */
  readonly prefix: string;
  /** Line of a path inside the document (0 when the source is not known); computed only when asked. */
  readonly lineOf: (path: string) => number;
  /**
   * For a synthetic pod of a custom resource: the custom resource (whose identity the
   * findings carry) and the map from the pod's paths to the resource's.
   */
  readonly pod?: { readonly of: { [key: string]: any }; readonly translate: (path: string) => string };
}

/** A rule as a session runs it: everything it needs per finding resolved once. */
interface Plan {
  readonly id: string;
  readonly context: RuleContext;
  readonly severity: Severity;
  readonly controls: string[];
  /** No annotation suppresses the rule's findings. */
  readonly unsuppressible: boolean;
}

interface RulePlan extends Plan {
  readonly rule: IRule;
  /** For a rule over pods: its check of the pod view, which the session finds once per object for all of them. */
  readonly pod: PodRuleCheck | undefined;
}

interface SetPlan extends Plan {
  readonly rule: ISetRule;
  /** Position among the engine's set-level rules (a session keeps its members there). */
  readonly index: number;
}

/** The rules of an engine, arranged for sessions: the same for every session of one engine (which keeps them, see Engine._plans). @internal */
export interface Plans {
  /** Rules by kind, each list already including the rules that apply to any kind. */
  readonly byKind: Map<string, RulePlan[]>;
  readonly anyKind: RulePlan[];
  /** Set-level rules by kind, and all of them. */
  readonly setByKind: Map<string, SetPlan[]>;
  readonly setPlans: SetPlan[];
  /** The rules of the pods of custom resources: the PodTemplate rules without those for any kind (the resource has had them). */
  readonly podRules: RulePlan[];
}

/** Arranges an engine's rules for its sessions (the engine builds them once, for its first session). @internal */
export function buildPlans(setup: SessionSetup): Plans {
  const byKind = new Map<string, RulePlan[]>();
  const anyKind: RulePlan[] = [];
  const setByKind = new Map<string, SetPlan[]>();
  const setPlans: SetPlan[] = [];
  const specific = new Map<string, RulePlan[]>();
  const add = <P>(map: Map<string, P[]>, kind: string, plan: P) => {
    const list = map.get(kind) ?? [];
    list.push(plan);
    map.set(kind, list);
  };
  for (const rule of setup.rules) {
    const id = rule.metadata.id;
    const plan: Plan = {
      id,
      context: setup.contexts.get(id)!,
      severity: setup.severities.get(id) ?? rule.metadata.severity,
      controls: rule.metadata.controls,
      unsuppressible: rule.metadata.unsuppressible === true,
    };
    if (isSetRule(rule)) {
      const setPlan: SetPlan = { ...plan, rule, index: setPlans.length };
      setPlans.push(setPlan);
      for (const k of rule.metadata.kinds) add(setByKind, k, setPlan);
      continue;
    }
    const rulePlan: RulePlan = { ...plan, rule, pod: podCheckOf(rule) };
    if (rule.metadata.kinds.includes('*')) {
      anyKind.push(rulePlan);
      continue;
    }
    for (const k of rule.metadata.kinds) add(specific, k, rulePlan);
  }
  // kind-specific rules first, then the rules for any kind (the order reports keep)
  for (const [k, list] of specific) byKind.set(k, anyKind.length ? [...list, ...anyKind] : list);
  return { byKind, anyKind, setByKind, setPlans, podRules: specific.get('PodTemplate') ?? [] };
}

const NO_LINE = (): number => 0;

/** What a set-level rule has kept so far in one session: its members, and each member's suppression of the rule. */
interface SetMembers {
  readonly members: SetMember[];
  /** Detached copies (see detachSuppression): a reason is a slice of its document's text. */
  readonly suppressions: (Suppression | undefined)[];
  /** The dedupe keys of the members kept (see ISetRule), and where each kept member is. */
  readonly keys: Map<string, number>;
  /** For a member that is the pod of a custom resource: the map from its paths to the resource's. */
  readonly translate: (((path: string) => string) | undefined)[];
}

/** Slots of the table of strings shared between findings (see CheckSession.keep). */
const KEPT_SLOTS = 16_384;

type YamlDocument = RawDocument & { kind: 'yaml' };

/** Collects the YAML documents a stream cuts and hands them over in batches. @internal */
export class DocumentBatcher {
  private docs: YamlDocument[] = [];
  private chars = 0;
  constructor(private readonly onBatch: (docs: YamlDocument[]) => void) {}

  public add(doc: YamlDocument): void {
    this.docs.push(doc);
    this.chars += doc.text.length;
    if (this.chars >= BATCH_CHARS) this.flush();
  }

  public flush(): void {
    if (this.docs.length === 0) return;
    const docs = this.docs;
    this.docs = [];
    this.chars = 0;
    this.onBatch(docs);
  }
}

/**
 * One run of the engine over any number of inputs. Documents are parsed, checked
 * and released one at a time: only findings and errors are kept.
 */
export class CheckSession {
  private readonly findings: Finding[] = [];
  private readonly errors: InputError[] = [];
  private files = 0;
  private objects = 0;
  /** Version-control folders a directory walk left out. */
  private readonly skipped: SkippedPath[] = [];
  /** Objects of kinds no rule knows that carry pods. */
  private readonly unchecked: UncheckedObject[] = [];
  private readonly plans: Plans;
  /** Per set-level rule (by its plan's index), what it has kept. */
  private readonly setMembers: SetMembers[];

  private readonly setup: SessionSetup;
  /** Strings kept in findings, shared (see keep). */
  private readonly kept: (string | undefined)[] = new Array(KEPT_SLOTS).fill(undefined);
  /** What the rules of the object being checked share (the pod view, its containers...). */
  private readonly scope = new PodScope();
  /** Where findings go as they are found, when the session streams them (then it keeps none). */
  private sink?: (finding: Finding) => void;
  private streamed = 0;
  private streamedSuppressed = 0;
  /** Scratch space of runRules, reused from object to object: the rules that found something and their results (plan, results, ...). */
  private readonly ran: unknown[] = [];
  /** Scratch space of runRules: per result, its path, its path in the document, its line, and the order of the lookups. */
  private readonly paths: string[] = [];
  private readonly fullPaths: string[] = [];
  private readonly lines: number[] = [];
  private readonly order: number[] = [];

  /**
   * @param engine the engine whose profile, rules and configuration to apply
   */
  constructor(engine: Engine) {
    this.setup = engine._setup();
    this.plans = engine._plans();
    this.setMembers = this.plans.setPlans.map(() => ({ members: [], suppressions: [], keys: new Map<string, number>(), translate: [] }));
  }

  /** Checks an in-memory object (no source position). */
  public addObject(object: unknown, file: string = IN_MEMORY_FILE): void {
    this.checkValue(object, { file, prefix: '', lineOf: NO_LINE }, undefined, false);
  }

  /** Checks the text of a YAML stream or JSON document. */
  public addText(text: string, file: string): void {
    const stream = this.openStream(file);
    stream.push(text);
    stream.end();
  }

  /** Starts a streamed input (standard input, or a large file); push text, then end it. */
  public openStream(file: string): IDocumentStream {
    this.files++;
    const batcher = new DocumentBatcher((docs) => this.checkDocuments(docs, file));
    const stream = new ManifestStream((doc) => {
      if (doc.kind === 'yaml') {
        batcher.add(doc);
        return;
      }
      // keep the stream's order: the YAML documents before this one first
      batcher.flush();
      if (doc.kind === 'json') this.checkJson(doc, file);
      else this.errors.push({ file, line: doc.line, column: doc.column, message: doc.message });
    });
    return {
      push: (t) => {
        stream.push(t);
        batcher.flush();
      },
      end: () => {
        stream.end();
        batcher.flush();
      },
    };
  }

  /**
   * Checks a file or directory: a directory's files are chosen as `kubectl apply -f DIR
   * -R` chooses them (see files.ts). Unreadable paths and skipped special files become
   * input errors; skipped version-control folders are listed in the report.
   */
  public addPath(p: string): void {
    for (const input of selectInputs(p)) {
      if (input.kind === 'file') this.readFile(input.path);
      else if (input.kind === 'skipped') this.skipped.push({ path: input.path, reason: input.reason });
      else this.errors.push({ file: input.path, line: 0, column: 0, message: input.message });
    }
  }

  /**
   * Reads bytes into a stream: UTF-8 checked as go-yaml checks it, and no more than the
   * engine's input limit. Returns false when the limit was reached (the rest must not be
   * read). @internal
   */
  public _pushBytes(stream: IDocumentStream, reader: Utf8Reader, bytes: Uint8Array, file: string, total: number): boolean {
    if (total > this.setup.maxInputBytes) {
      this.errors.push({ file, line: 0, column: 0, message: `input larger than ${this.setup.maxInputBytes} bytes (the limit is set by --max-input-bytes, maxInputBytes): not read further` });
      return false;
    }
    stream.push(reader.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    return true;
  }

  /**
   * Streams findings: each object's findings go to `sink` as soon as the object is
   * checked (the set-level rules' findings when the report is made), and the session
   * keeps none of them, so memory does not grow with the findings. The report then has
   * the counts and no findings. A streamed finding's message and path are not copied out
   * of the input's text (see own): the sink writes them out, or copies what it keeps.
   * @internal
   */
  public _streamFindings(sink: (finding: Finding) => void): void {
    this.sink = sink;
  }

  /** Records an input error. */
  public addError(error: InputError): void {
    this.errors.push(error);
  }

  /**
   * The report so far: every object finding, and the set-level rules' findings over
   * everything added until now.
   */
  public report(): Report {
    let findings = this.plans.setPlans.length ? this.findings.concat(this.setFindings()) : this.findings.slice();
    let suppressed = 0;
    for (const f of findings) if (f.suppressed) suppressed++;
    let total = findings.length;
    if (this.sink !== undefined) {
      for (const f of findings) this.sink(f);
      total += this.streamed;
      suppressed += this.streamedSuppressed;
      findings = [];
      this.findings.length = 0;
    }
    return {
      tool: this.setup.tool,
      profile: this.setup.profile,
      summary: {
        files: this.files,
        objects: this.objects,
        findings: total - suppressed,
        suppressed,
        errors: this.errors.length,
        unchecked: this.unchecked.length,
      },
      findings,
      errors: this.errors.slice(),
      ...(this.skipped.length > 0 ? { skipped: this.skipped.slice() } : {}),
      ...(this.unchecked.length > 0 ? { unchecked: this.unchecked.slice() } : {}),
      ...(this.setup.notes.length > 0 ? { notes: this.setup.notes.slice() } : {}),
    };
  }

  /** Runs the set-level rules over the members they kept. */
  private setFindings(): Finding[] {
    const out: Finding[] = [];
    for (const plan of this.plans.setPlans) {
      const { members, suppressions, translate } = this.setMembers[plan.index];
      if (members.length === 0) continue;
      for (const r of plan.rule.checkSet(members, plan.context)) {
        const member = members[r.member];
        if (!member) continue;
        const at = translate[r.member] === undefined || r.path === '' ? r.path : translate[r.member]!(r.path);
        out.push(this.finding(plan, member.object, member.file, member.line, at, r.message, suppressions[r.member]));
      }
    }
    return out;
  }

  /** A finding of a rule, suppressed when the object says so with a valid reason (and the rule allows it). */
  private finding(
    plan: Plan, object: ObjectRef, file: string, line: number, at: string, message: string, suppression: Suppression | undefined,
  ): Finding {
    const suppressed = suppression !== undefined && suppression.valid && !plan.unsuppressible;
    // a streamed finding is written and let go at once: nothing to share, nothing to detach
    const streaming = this.sink !== undefined;
    const finding: Finding = {
      ruleId: plan.id,
      severity: plan.severity,
      controls: plan.controls,
      message: streaming ? message : this.keep(message),
      object,
      file,
      line,
      path: streaming ? at : this.keep(at),
      suppressed,
    };
    if (suppressed) (finding as { suppressionReason?: string }).suppressionReason = own(suppression.reason);
    return finding;
  }

  private readFile(file: string): void {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (e) {
      this.errors.push({ file, line: 0, column: 0, message: `cannot read: ${describeFsError(e)}` });
      return;
    }
    const stream = this.openStream(file);
    const reader = new Utf8Reader();
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let total = 0;
    try {
      for (;;) {
        const n = fs.readSync(fd, buf, 0, READ_CHUNK, null);
        if (n === 0) break;
        total += n;
        if (!this._pushBytes(stream, reader, buf.subarray(0, n), file, total)) break;
      }
      stream.push(reader.end());
    } catch (e) {
      this.errors.push({ file, line: 0, column: 0, message: `cannot read: ${describeFsError(e)}` });
    } finally {
      fs.closeSync(fd);
    }
    stream.end();
  }

  /** Checks one JSON value of a JSON stream. */
  private checkJson(doc: RawDocument & { kind: 'json' }, file: string): void {
    this.checkParsed({ text: doc.text, startLine: doc.startLine, startColumn: doc.startColumn }, parseJsonValue(doc.text), file);
  }

  /** Checks consecutive YAML documents of one stream, parsed as one batch. */
  private checkDocuments(docs: YamlDocument[], file: string): void {
    const parsed = parseDocuments(docs.map((d) => d.text));
    for (let i = 0; i < docs.length; i++) this.checkParsed(docs[i], parsed[i], file);
  }

  private checkParsed(doc: { text: string; startLine: number; startColumn?: number }, parsed: ParsedDocument, file: string): void {
    const lines = new LineIndex(doc.text);
    const at = (offset: number) => {
      const pos = lines.position(offset);
      const column = pos.line === 1 && doc.startColumn !== undefined ? pos.column + doc.startColumn - 1 : pos.column;
      return { line: pos.line + doc.startLine - 1, column };
    };
    if (parsed.error) {
      const pos = at(parsed.error.offset);
      this.errors.push({ file, line: pos.line, column: pos.column, message: own(parsed.error.message) });
      return;
    }
    const value = parsed.value;
    if (value === null || value === undefined) return; // an empty document
    const lineOf = (p: string) => lines.lineOf(parsed.locate(p)) + doc.startLine - 1;
    this.checkValue(value, { file, prefix: '', lineOf }, (p, message) => {
      const pos = at(parsed.locate(p));
      this.errors.push({ file, line: pos.line, column: pos.column, message: own(message) });
    });
  }

  /** Checks a document's value: the objects kubectl makes of it (see flatten.ts). */
  private checkValue(value: unknown, where: Located, onError: ((path: string, message: string) => void) | undefined, typed = true): void {
    const report = (p: string, message: string) => {
      if (onError) onError(p, message);
      else this.errors.push({ file: where.file, line: where.lineOf(p), column: 0, message: own(message) });
    };
    const { objects, errors } = flattenDocument(value, typed);
    for (const e of errors) report(e.path, e.message);
    for (const o of objects) {
      // the API server requires apiVersion, which kubectl's decoding leaves to it
      if (o.path === '' && !(typeof o.value.apiVersion === 'string' && o.value.apiVersion !== '')) {
        report('', 'not a Kubernetes object: missing apiVersion');
        continue;
      }
      const object = o.value as { [key: string]: any };
      const at: Located = { file: where.file, prefix: o.path, lineOf: where.lineOf };
      this.checkObject(object, at, report);
      // the pods an operator creates from this custom resource, judged like pods
      const pods = syntheticPods(object, this.setup.podTemplates);
      for (const pod of pods) {
        this.checkPod(pod.object, { ...at, pod: { of: object, translate: pod.translate } }, report);
      }
      if (pods.length === 0 && !this.plans.byKind.has(object.kind)) {
        // a kind no rule knows that carries pods: never silently passed
        const podPath = looksLikePods(object);
        if (podPath !== undefined) this.notChecked(object, at, podPath);
      }
    }
  }

  /** Records an object of an unknown kind that carries pod-like fields. */
  private notChecked(object: { [key: string]: any }, where: Located, path: string): void {
    const full = where.prefix === '' ? path : joinPrefix(where.prefix, path);
    this.unchecked.push({ object: this.objectRef(object), file: where.file, line: where.lineOf(full), path });
  }

  /** Judges the synthetic pod of a custom resource (its findings carry the resource's identity and paths). */
  private checkPod(object: { [key: string]: any }, where: Located, report: (path: string, message: string) => void): void {
    const previous = enterPodScope(this.scope, object);
    try {
      const translate = where.pod!.translate;
      for (const p of podTypeProblems(object)) report(where.prefix === '' ? translate(p.path) : joinPrefix(where.prefix, translate(p.path)), p.message.replace(p.path, translate(p.path)));
      this.runRules(object, where);
    } finally {
      leavePodScope(this.scope, previous);
    }
  }

  /**
   * A string to keep in the report: an independent copy (see {@link own}), shared with
   * the equal string kept before it, when there was one. Findings repeat the same paths,
   * messages, kinds and namespaces over and over; sharing them keeps the report small.
   *
   * The strings kept are found by a hash of their length and five of their characters, in
   * a table of fixed size where a newer string takes the slot of an older one: sharing is
   * best effort (two strings that keep taking each other's slot are each copied again),
   * but a lookup reads five characters and compares one string, where a Map hashes the
   * whole string first. Most strings here are new concatenations (a container's path and
   * a field, a message with a name in it), and a string's hash is computed anew for each.
   */
  private keep(s: string): string {
    // a string this short is always a flat copy of its own (V8 neither slices nor
    // concatenates lazily below 13 characters): nothing to copy, not worth sharing
    if (typeof s !== 'string' || s.length < 13) return s;
    const n = s.length;
    const slot = (n * 131 + s.charCodeAt(n - 1) * 31 + s.charCodeAt(Math.floor(n / 2)) * 7 + s.charCodeAt(n - 9) * 3 + s.charCodeAt(5)) % KEPT_SLOTS;
    const known = this.kept[slot];
    if (known !== undefined && known === s) return known;
    const copy = own(s);
    this.kept[slot] = copy;
    return copy;
  }

  /**
   * A deep copy of JSON data that shares no string with the parsed input: its strings
   * kept as findings keep theirs (see keep), shared between the members of every
   * set-level rule. Property names are never copied: V8 holds them as internalized
   * strings, never as slices of a text.
   */
  private detach(data: unknown, depth: number): unknown {
    if (typeof data === 'string') return this.keep(data);
    if (typeof data !== 'object' || data === null) return typeof data === 'function' || typeof data === 'symbol' || typeof data === 'bigint' ? null : data;
    if (depth > 64) return null;
    if (Array.isArray(data)) {
      const copy = new Array(data.length);
      for (let i = 0; i < data.length; i++) copy[i] = this.detach(data[i], depth + 1);
      return copy;
    }
    const out: { [key: string]: unknown } = {};
    for (const k of Object.keys(data)) out[k] = this.detach((data as any)[k], depth + 1);
    return out;
  }

  private objectRef(object: { [key: string]: any }): ObjectRef {
    const metadata = prop(object, 'metadata');
    const name = prop(metadata, 'name') ?? prop(metadata, 'generateName');
    const namespace = prop(metadata, 'namespace');
    return {
      apiVersion: this.keep(object.apiVersion),
      kind: this.keep(object.kind),
      ...(typeof namespace === 'string' ? { namespace: this.keep(namespace) } : {}),
      ...(typeof name === 'string' ? { name: own(name) } : {}),
    };
  }

  private checkObject(object: { [key: string]: any }, where: Located, report: (path: string, message: string) => void): void {
    this.objects++;
    const previous = enterPodScope(this.scope, object);
    try {
      // a field of the wrong type: the API server refuses the object as written
      for (const p of podTypeProblems(object)) report(where.prefix === '' ? p.path : joinPrefix(where.prefix, p.path), p.message);
      this.runRules(object, where);
    } finally {
      leavePodScope(this.scope, previous);
    }
  }

  private runRules(object: { [key: string]: any }, where: Located): void {
    const kind = object.kind as string;
    const identity = where.pod?.of ?? object;
    const translate = where.pod?.translate;
    const metadata = prop(object, 'metadata');
    const namespace = prop(metadata, 'namespace');
    if (typeof namespace === 'string' && this.setup.excludeNamespaces.has(namespace)) return;
    let ref: ObjectRef | undefined;
    let suppressions: ReturnType<typeof suppressionsOf> | null = null;
    const setPlans = this.plans.setByKind.get(kind);
    if (setPlans !== undefined) {
      let line = -1;
      for (const plan of setPlans) {
        const data = plan.rule.collect(object, plan.context);
        if (data === undefined) continue;
        const kept = this.setMembers[plan.index];
        const key = typeof data === 'object' && data !== null && typeof data.dedupeKey === 'string' ? data.dedupeKey as string : undefined;
        if (key !== undefined) {
          const first = kept.keys.get(key);
          if (first !== undefined) {
            // one member per key, and how many objects it stands for
            const d = kept.members[first].data;
            d.dedupeCount = (typeof d.dedupeCount === 'number' ? d.dedupeCount : 1) + 1;
            continue;
          }
          kept.keys.set(key, kept.members.length);
        }
        ref ??= this.objectRef(identity);
        if (suppressions === null) suppressions = sharedForObject(object, suppressionsOf, suppressionsOf);
        if (line < 0) line = where.lineOf(where.prefix);
        // a detached copy: what a rule keeps must not hold the parsed document alive
        kept.members.push({ data: this.detach(data, 0), object: ref, file: where.file, line });
        kept.suppressions.push(detachSuppression(suppressions?.get(plan.id)));
        kept.translate.push(translate);
      }
    }
    const rules = where.pod !== undefined ? this.plans.podRules : this.plans.byKind.get(kind) ?? this.plans.anyKind;
    if (rules.length === 0) return;
    // Run every rule first, then locate the findings' lines in the order of their paths:
    // neighbours in that order share the most of their paths, and a lookup resumes from
    // the part it shares with the one before it (rules report in catalog order, where
    // one container's paths come between another's). The findings keep the rules' order.
    const ran = this.ran;
    let count = 0;
    // the object's pod, found once for the rules over pods (what each of them would find: podOf)
    let pod: PodView | undefined | null = null;
    for (let k = 0; k < rules.length; k++) {
      const plan = rules[k];
      let results: RuleFinding[];
      if (plan.pod === undefined) {
        results = plan.rule.check(object, plan.context);
      } else {
        if (pod === null) pod = podOf(object);
        if (pod === undefined) continue;
        results = plan.pod._checkPod(pod, plan.context);
      }
      if (results.length === 0) continue;
      ran[count++] = plan;
      ran[count++] = results;
    }
    if (count === 0) return;
    ref ??= this.objectRef(identity);
    if (suppressions === null) suppressions = sharedForObject(object, suppressionsOf, suppressionsOf);
    const paths = this.paths;
    const full = this.fullPaths;
    let n = 0;
    for (let k = 0; k < count; k += 2) {
      for (const r of ran[k + 1] as RuleFinding[]) {
        const p = translate === undefined ? r.path : translate(r.path);
        paths[n] = p;
        full[n] = where.prefix === '' ? p : joinPrefix(where.prefix, p);
        n++;
      }
    }
    const lines = this.lines;
    if (where.lineOf === NO_LINE) {
      for (let i = 0; i < n; i++) lines[i] = 0;
    } else if (n === 1) {
      lines[0] = where.lineOf(full[0]);
    } else {
      const order = this.order;
      if (n <= 32) {
        for (let i = 0; i < n; i++) {
          // insertion by path (findings of one object are usually few)
          const f = full[i];
          let j = i - 1;
          while (j >= 0 && full[order[j]] > f) {
            order[j + 1] = order[j];
            j--;
          }
          order[j + 1] = i;
        }
      } else {
        order.length = n;
        for (let i = 0; i < n; i++) order[i] = i;
        order.sort((a, b) => (full[a] < full[b] ? -1 : full[a] > full[b] ? 1 : a - b));
      }
      for (let i = 0; i < n; i++) lines[order[i]] = where.lineOf(full[order[i]]);
    }
    const start = this.findings.length;
    let m = 0;
    for (let k = 0; k < count; k += 2) {
      const plan = ran[k] as RulePlan;
      const suppression = suppressions?.get(plan.id);
      for (const r of ran[k + 1] as RuleFinding[]) {
        this.findings.push(this.finding(plan, ref, where.file, lines[m], paths[m], r.message, suppression));
        m++;
      }
      ran[k + 1] = undefined;
    }
    for (let i = 0; i < n; i++) {
      paths[i] = '';
      full[i] = '';
    }
    // findings of one object by line (rules report in catalog order); usually few, often sorted
    const findings = this.findings;
    for (let i = start + 1; i < findings.length; i++) {
      const f = findings[i];
      let j = i - 1;
      while (j >= start && findings[j].line > f.line) {
        findings[j + 1] = findings[j];
        j--;
      }
      findings[j + 1] = f;
    }
    if (this.sink !== undefined && findings.length > start) {
      for (let i = start; i < findings.length; i++) {
        this.streamed++;
        if (findings[i].suppressed) this.streamedSuppressed++;
        this.sink(findings[i]);
      }
      findings.length = start;
    }
  }
}

/**
 * A copy of a string that holds on to nothing else. Strings read from YAML are slices
 * of the parsed text (and strings built from them point to those slices): keeping one
 * in a finding would keep the whole text it was cut from alive, so memory would grow
 * with the input instead of with the findings.
 */
function own(s: string): string {
  return typeof s === 'string' && s.length > 0 ? (' ' + s).slice(1) : s;
}

/**
 * A copy of a suppression that holds on to no text of the input: what a set-level rule's
 * member keeps until the report. (Kept as read, its reason, a slice of the batch of
 * documents it was parsed with, kept that whole batch alive: memory grew with the input.)
 */
function detachSuppression(s: Suppression | undefined): Suppression | undefined {
  if (s === undefined) return undefined;
  return { ruleId: own(s.ruleId), reason: own(s.reason), annotation: own(s.annotation), length: s.length, valid: s.valid };
}

function joinPrefix(prefix: string, p: string): string {
  if (p === '') return prefix;
  return p.startsWith('[') ? prefix + p : `${prefix}.${p}`;
}

// A batcher dies with its stream; its hidden class must not (see shapes.ts; engine.ts
// keeps a session)
keepShape(new DocumentBatcher(() => undefined));
