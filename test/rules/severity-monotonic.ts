/**
 * The property that profiles never lower a verdict: for every object and every field path,
 * the highest severity reported never decreases from baseline to restricted to hardened
 * (at the same Pod Security Standards version, with the same rule options).
 *
 * At `restricted` pod-security-admission replaces some baseline checks by restricted ones
 * (capabilities, seccomp, volumes, procMount); a finding of the replacement must carry at
 * least the severity the replaced check gives the same field, or `--fail-on high` would pass
 * at the stricter profile what it fails at baseline. The rule test helpers (pss-test-util,
 * hardened-check) assert it on every inline fixture they check; severity-never-drops.test.ts
 * asserts it on the pod-security-admission fixtures and the fixture files.
 */
import { Engine } from '../../src/engine/engine';
import { Profile, Report, Severity } from '../../src/engine/types';

/** The profiles from the least to the most strict. */
export const PROFILES_BY_STRICTNESS = [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED] as const;

const RANK: Severity[] = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL];

/** Options of a comparison. */
export interface MonotonicOptions {
  /** Pod Security Standards version. @default 'latest' */
  readonly pssVersion?: string;
  /** Rule options, as given to every engine. */
  readonly ruleOptions?: { [ruleId: string]: { [key: string]: any } };
  /** Severity overrides, as given to every engine (to show that the property can fail). */
  readonly severities?: { [ruleId: string]: Severity };
}

const engines = new Map<string, Engine>();
function engineFor(profile: Profile, options: MonotonicOptions): Engine {
  if (options.ruleOptions || options.severities) {
    return new Engine({ profile, pssVersion: options.pssVersion, ruleOptions: options.ruleOptions, severities: options.severities });
  }
  const key = `${profile} ${options.pssVersion ?? 'latest'}`;
  let e = engines.get(key);
  if (!e) {
    e = new Engine({ profile, pssVersion: options.pssVersion });
    engines.set(key, e);
  }
  return e;
}

/** The highest severity rank reported at each object and path. */
function highest(report: Report): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of report.findings) {
    const o = f.object;
    const key = `${f.file} ${o.apiVersion} ${o.kind} ${o.namespace ?? ''}/${o.name ?? ''} ${f.path}`;
    out.set(key, Math.max(out.get(key) ?? -1, RANK.indexOf(f.severity)));
  }
  return out;
}

/**
 * Where a stricter profile reports a field at a lower severity than a laxer one (or not at
 * all): `<profile> -> <stricter profile>: <object and path>: <severity> -> <severity|none>`.
 * Inputs with errors are judged as far as they are checked.
 */
export function severityDrops(text: string, file: string, options: MonotonicOptions = {}): string[] {
  const maxima = PROFILES_BY_STRICTNESS.map((p) => highest(engineFor(p, options).checkText(text, file)));
  const out: string[] = [];
  for (let i = 1; i < maxima.length; i++) {
    for (const [key, rank] of maxima[i - 1]) {
      const stricter = maxima[i].get(key) ?? -1;
      if (stricter < rank) {
        out.push(`${PROFILES_BY_STRICTNESS[i - 1]} -> ${PROFILES_BY_STRICTNESS[i]}: ${key}: ${RANK[rank]} -> ${stricter < 0 ? 'none' : RANK[stricter]}`);
      }
    }
  }
  return out;
}

/** Fails the test when a stricter profile lowers a verdict on the text. */
export function expectSeverityNeverDrops(text: string, options: MonotonicOptions = {}): void {
  expect(severityDrops(text, 'fixture.yaml', options)).toEqual([]);
}
