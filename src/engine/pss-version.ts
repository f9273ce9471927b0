/**
 * Pod Security Standards versions (`v1.N`). pod-security-admission evaluates a pod
 * against the policy of a given Kubernetes minor version; `latest` is the newest.
 */

/** The newest Kubernetes minor version whose policy the catalog knows. */
export const LATEST_PSS_MINOR = 37;

/**
 * Parses `latest`, `v1.N` or `1.N` into the minor version, or returns undefined for
 * anything else. Versions newer than the newest known one evaluate as the newest, as
 * pod-security-admission does.
 */
export function parsePssVersion(version: string | undefined): number | undefined {
  if (version === undefined || version === '' || version === 'latest') return LATEST_PSS_MINOR;
  const m = /^v?1\.(\d{1,3})$/.exec(version);
  if (!m) return undefined;
  const minor = Number(m[1]);
  return Math.min(minor, LATEST_PSS_MINOR);
}

/** `1.N` from a minor version. */
export function formatPssVersion(minor: number): string {
  return `1.${minor}`;
}

/** The minor part of a `1.N` version string used in check metadata. */
export function minorOf(version: string): number {
  const m = /^v?1\.(\d+)$/.exec(version);
  if (!m) throw new Error(`invalid version in rule metadata: ${version}`);
  return Number(m[1]);
}

/**
 * The behaviour of a check at a version: of the versions given, the one with the newest
 * minimum version at or below `minor`; undefined when the check does not exist yet.
 */
export function versionAt<V extends { readonly minimumVersion: string }>(versions: readonly V[], minor: number): V | undefined {
  let found: V | undefined;
  let foundMinor = -1;
  for (const v of versions) {
    const m = minorOf(v.minimumVersion);
    if (m <= minor && m >= foundMinor) {
      found = v;
      foundMinor = m;
    }
  }
  return found;
}
