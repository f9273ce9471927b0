/**
 * A stand-in for the Pulumi policy server: runs a program under pulumi.runtime.setMocks,
 * captures every registered resource, and calls policies with the arguments the server
 * builds (@pulumi/policy server.js: analyze, analyzeStack, remediate), including its
 * unknown-checking proxy and, for remediation, its secrets-preserving proxy.
 */
import type {
  Policies, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy,
} from '@pulumi/policy';
import * as pulumi from '@pulumi/pulumi';
import { UNKNOWN } from '../../src/pulumi/unknown-values';
/* eslint-disable @typescript-eslint/no-require-imports */
// The policy server's own proxies and Secret class (internal modules of @pulumi/policy, untyped).
const { Secret } = require('@pulumi/policy/policy');
const { unknownCheckingProxy } = require('@pulumi/policy/proxy');
const { secretsPreservingProxy } = require('@pulumi/policy/secret');
/* eslint-enable @typescript-eslint/no-require-imports */

const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** A registered resource as the engine sends it to analyzers. */
export interface Captured {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Wire form: unknowns as the engine's sentinel, secrets as RPC envelopes. */
  readonly inputs: Record<string, any>;
  readonly parent?: string;
}

export interface ProgramOptions {
  readonly preview: boolean;
  /** The state a mocked provider returns (default: the inputs). */
  readonly outputs?: (type: string, inputs: any) => any;
}

/** Runs a Pulumi program module under mocks and returns what it registered. */
export async function runProgram(modulePath: string, options: ProgramOptions): Promise<Captured[]> {
  const captured: Captured[] = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      const urn = `urn:pulumi:test::kubeharden-example-app::${args.type}::${args.name}`;
      captured.push({ type: args.type, name: args.name, urn, inputs: toWire(args.inputs) });
      const state = options.outputs ? options.outputs(args.type, args.inputs) : args.inputs;
      return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
  }, 'kubeharden-example-app', 'test', options.preview);
  let mod: any;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(modulePath);
  });
  // Wait for every output of the program, then for registrations to settle.
  await Promise.all(Object.values(mod).filter(pulumi.Resource.isInstance).map((r: any) => new Promise((resolve) => r.urn.apply(resolve))));
  let last = -1;
  while (last !== captured.length) {
    last = captured.length;
    await new Promise((r) => setTimeout(r, 50));
  }
  return expandComponents(captured);
}

/** Mock inputs → the wire form the engine sends (unknown → sentinel). */
export function toWire(v: any): any {
  if (v === undefined || v === null || typeof v !== 'object') return v;
  if ((v as any).__pulumiUnknown === true) return UNKNOWN;
  if (Array.isArray(v)) return v.map(toWire);
  const out: Record<string, any> = {};
  for (const k of Object.keys(v)) if (v[k] !== undefined) out[k] = toWire(v[k]);
  return out;
}

/**
 * What the Kubernetes provider does for a `kubernetes:yaml/v2:ConfigGroup`: registers each
 * object (List items too) as a child resource of its own type token.
 */
export function expandComponents(resources: Captured[]): Captured[] {
  const out: Captured[] = [];
  for (const r of resources) {
    out.push(r);
    if (r.type !== 'kubernetes:yaml/v2:ConfigGroup') continue;
    const objs: any[] = [];
    const add = (o: any) => {
      if (Array.isArray(o)) o.forEach(add);
      else if (o && typeof o === 'object' && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) o.items.forEach(add);
      else if (o && typeof o === 'object') objs.push(o);
    };
    add(r.inputs.objs);
    for (const o of objs) {
      const type = tokenOf(o);
      const name = `${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
      out.push({ type, name, urn: `urn:pulumi:test::kubeharden-example-app::kubernetes:yaml/v2:ConfigGroup$${type}::${name}`, inputs: o, parent: r.urn });
    }
  }
  return out;
}

/** The type token the provider registers an object under. */
export function tokenOf(o: any): string {
  const apiVersion: string = o.apiVersion;
  const gv = apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`;
  return `kubernetes:${gv}:${o.kind}`;
}

const OPTS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  additionalSecretOutputs: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
};

class NotApplicableError extends Error {
  constructor(public readonly reason?: string) {
    super(reason ?? 'Policy does not apply');
  }
}

/** Wire props → what the server hands policies: secrets unwrapped (analyze) or as Secret objects (remediate). */
function deserialize(v: any, secrets: 'unwrap' | 'wrap'): any {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => deserialize(x, secrets));
  if (v[SIG_KEY] === SECRET_SIG) {
    const inner = deserialize(v.value, secrets);
    return secrets === 'wrap' ? new Secret(inner) : inner;
  }
  const out: Record<string, any> = {};
  for (const k of Object.keys(v)) if (v[k] !== undefined) out[k] = deserialize(v[k], secrets);
  return out;
}

/** A violation as the server records it. */
export interface Violation {
  readonly policy: string;
  readonly urn?: string;
  readonly message: string;
}

/** The outcome of analyzing resources. */
export interface Analysis {
  readonly violations: Violation[];
  readonly notApplicable: { policy: string; urn: string; reason?: string }[];
}

function levelOf(p: { enforcementLevel?: string }, config: Record<string, any>, name: string): string {
  return config[name]?.enforcementLevel ?? p.enforcementLevel ?? 'advisory';
}

function getConfigFun(config: Record<string, any>, name: string) {
  return <T extends object>(): T => {
    const { enforcementLevel: _e, ...rest } = config[name] ?? {};
    return rest as T;
  };
}

/** The `analyze` RPC: every resource policy on one resource. */
export async function analyze(policies: Policies, r: Captured, config: Record<string, any> = {}): Promise<Analysis> {
  const violations: Violation[] = [];
  const notApplicable: Analysis['notApplicable'] = [];
  for (const p of policies) {
    if (levelOf(p, config, p.name) === 'disabled' || !('validateResource' in p) || !p.validateResource) continue;
    const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
    for (const validate of validations) {
      const props = unknownCheckingProxy(deserialize(r.inputs, 'unwrap'));
      const args: ResourceValidationArgs = {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: { ...OPTS, ...(r.parent ? { parent: r.parent } : {}) },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: getConfigFun(config, p.name),
        notApplicable: (reason?: string) => { throw new NotApplicableError(reason); },
      };
      try {
        await validate(args, (message: string) => { violations.push({ policy: p.name, urn: r.urn, message }); });
      } catch (e) {
        if (e instanceof NotApplicableError) notApplicable.push({ policy: p.name, urn: r.urn, reason: e.reason });
        else throw e;
      }
    }
  }
  return { violations, notApplicable };
}

/** The `analyzeStack` RPC: every stack policy on all resources. */
export async function analyzeStack(policies: Policies, resources: Captured[], config: Record<string, any> = {}): Promise<Analysis> {
  const violations: Violation[] = [];
  const notApplicable: Analysis['notApplicable'] = [];
  const policyResources: PolicyResource[] = resources.map((r) => ({
    type: r.type,
    props: unknownCheckingProxy(deserialize(r.inputs, 'unwrap')),
    urn: r.urn,
    name: r.name,
    opts: OPTS,
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  for (const p of policies) {
    if (levelOf(p, config, p.name) === 'disabled' || !('validateStack' in p)) continue;
    const args: StackValidationArgs = {
      resources: policyResources,
      stackTags: new Map(),
      getConfig: getConfigFun(config, p.name),
      notApplicable: (reason?: string) => { throw new NotApplicableError(reason); },
    };
    try {
      await (p as StackValidationPolicy).validateStack(args, (message: string, urn?: string) => {
        violations.push({ policy: p.name, urn, message });
      });
    } catch (e) {
      if (e instanceof NotApplicableError) notApplicable.push({ policy: p.name, urn: '', reason: e.reason });
      else throw e;
    }
  }
  return { violations, notApplicable };
}

/** The `remediate` RPC: every remediation with level `remediate`, in order; returns the wire props after them. */
export async function remediate(policies: Policies, r: Captured, config: Record<string, any> = {}): Promise<{ props: any; applied: string[] }> {
  let props = unknownCheckingProxy(secretsPreservingProxy(deserialize(r.inputs, 'wrap')));
  const applied: string[] = [];
  for (const p of policies as ResourceValidationPolicy[]) {
    if (levelOf(p, config, p.name) !== 'remediate' || !p.remediateResource) continue;
    const args: ResourceValidationArgs = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: OPTS,
      stackTags: new Map(),
      isType: () => false,
      asType: () => undefined,
      getConfig: getConfigFun(config, p.name),
      notApplicable: (reason?: string) => { throw new NotApplicableError(reason); },
    };
    try {
      const result = await p.remediateResource(args);
      if (result) {
        props = result;
        applied.push(p.name);
      }
    } catch (e) {
      if (!(e instanceof NotApplicableError)) throw e;
    }
  }
  return { props: serialize(props), applied };
}

/** Remediated props → wire form (proxies removed, Secret objects as envelopes), as the server serializes them. */
function serialize(v: any): any {
  if (v === null || typeof v !== 'object') return v;
  if (v.__isSpecialProxy === true) return serialize(v.__getSpecialProxyTarget);
  if (v instanceof Secret) return { [SIG_KEY]: SECRET_SIG, value: serialize(v.value) };
  if (Array.isArray(v)) return v.map(serialize);
  const out: Record<string, any> = {};
  for (const k of Object.keys(v)) if (v[k] !== undefined) out[k] = serialize(v[k]);
  return out;
}

/** Policy names with a violation on a resource. */
export function violatedPolicies(a: Analysis, urn?: string): string[] {
  return [...new Set(a.violations.filter((v) => urn === undefined || v.urn === urn).map((v) => v.policy))].sort();
}
