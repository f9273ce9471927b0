/** Entry point of the kubeharden command line (placeholder until the CLI lands). */
export function run(): void {
  process.stderr.write('kubeharden: the CLI is not built yet\n');
  process.exitCode = 2;
}
