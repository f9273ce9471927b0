/**
 * Helpers for the Pod Security Standards rule tests: run one rule over a small YAML
 * manifest at a policy version, through the engine, and list its findings.
 */
import { Engine } from '../../../src/engine/engine';
import { IRule, Profile } from '../../../src/engine/types';
import { expectSeverityNeverDrops } from '../severity-monotonic';

/** Removes the common indentation of a template literal. */
export function yaml(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** A finding as the tests compare it. */
export interface Found {
  readonly path: string;
  readonly message: string;
}

/**
 * The findings of one rule on a manifest, at a Pod Security Standards version. Every
 * manifest checked here is also held to the property that profiles never lower a verdict
 * (../severity-monotonic.ts), with the whole catalog.
 */
export function findings(rule: IRule, manifest: string, version: string = 'latest'): Found[] {
  const engine = new Engine({ profile: Profile.RESTRICTED, pssVersion: version, catalog: [rule] });
  const report = engine.checkText(manifest, 'test.yaml');
  if (report.errors.length > 0) throw new Error(`input errors: ${JSON.stringify(report.errors)}`);
  expectSeverityNeverDrops(manifest, { pssVersion: version });
  return report.findings.map((f) => ({ path: f.path, message: f.message }));
}

/** A Pod manifest around a spec (and optional metadata lines), both given as YAML text. */
export function pod(spec: string, metadata: string = ''): string {
  const indent = (s: string) => yaml(s).split('\n').map((l) => (l === '' ? l : `  ${l}`)).join('\n');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${metadata ? indent(metadata) + '\n' : ''}spec:\n${indent(spec)}\n`;
}
