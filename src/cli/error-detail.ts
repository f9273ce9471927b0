/**
 * The short detail of a thrown value for a message: its Node.js error code (`ENOENT`)
 * when it has one, else its message, else the value itself.
 */
export function errorDetail(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : String((e as Error)?.message ?? e);
}
