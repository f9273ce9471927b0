/*
 * Checks of construct props shared by several kubeharden constructs (internal: not
 * exported from the package).
 */

/**
 * A DNS label (RFC 1123) without its length limit: lowercase alphanumerics and `-`,
 * starting and ending with an alphanumeric. Callers check the length they allow.
 * @internal
 */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The value, when it is a whole number of at least `min`.
 * @throws `<where>: <field> must be a whole number >= <min>, got <value>` otherwise
 * @internal
 */
export function wholeNumber(value: number, min: number, field: string, where: string): number {
  if (!Number.isInteger(value) || value < min) throw new Error(`${where}: ${field} must be a whole number >= ${min}, got ${value}`);
  return value;
}

/**
 * Checks that a path is absolute and has no `..`.
 * @throws `<where>: <what> "<path>" must be an absolute path without ".."` otherwise
 * @internal
 */
export function checkAbsolute(path: string, what: string, where: string): void {
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('..')) {
    throw new Error(`${where}: ${what} "${path}" must be an absolute path without ".."`);
  }
}
