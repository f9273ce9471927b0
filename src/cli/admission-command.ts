/**
 * `kubeharden admission`: the ValidatingAdmissionPolicies (with their bindings and the
 * ConfigMap of rule options) that enforce the engine's rules in a cluster, as YAML or JSON,
 * and the rules of the profile that cannot be enforced at admission, with the reason.
 */
import * as fs from 'fs';
import { stringify } from 'yaml';
import { FlagSpec, listFlag, parseArgs, stringFlag, UsageError } from './args';
import { errorDetail } from './error-detail';
import { printable } from './format-text';
import { ENGINE_FLAGS, engineSetup, EXIT_ERROR, EXIT_OK } from './input-options';
import { CliIo } from './io';
import { AdmissionAction } from '../admission/generate';
import { Engine } from '../engine/engine';

const FORMATS = ['yaml', 'json'] as const;

const ADMISSION_FLAGS: FlagSpec[] = [
  ...ENGINE_FLAGS,
  { name: 'kubernetes-version', takesValue: true },
  { name: 'action', short: 'a', takesValue: true, values: Object.values(AdmissionAction) },
  { name: 'params-namespace', takesValue: true },
  { name: 'exclude-namespace', takesValue: true },
  { name: 'mutate', takesValue: false },
  { name: 'output', short: 'o', takesValue: true },
  { name: 'format', short: 'f', takesValue: true, values: FORMATS },
  { name: 'help', short: 'h', takesValue: false },
];

/** Runs `admission`; returns the exit code. */
export function admissionCommand(args: readonly string[], io: CliIo): number {
  const parsed = parseArgs(args, ADMISSION_FLAGS, 'admission');
  if (parsed.positionals.length > 0) {
    throw new UsageError('"admission" takes no paths: it writes the policies of the profile, not of manifests', 'admission');
  }
  const output = stringFlag(parsed, 'output');
  if (output === '') throw new UsageError('--output needs a file name', 'admission');
  const kubernetesVersion = stringFlag(parsed, 'kubernetes-version');
  if (kubernetesVersion !== undefined && !/^v?1\.\d{1,3}$/.test(kubernetesVersion)) {
    throw new UsageError(`invalid --kubernetes-version "${printable(kubernetesVersion)}": expected v1.N (for example v1.30)`, 'admission');
  }
  const paramsNamespace = stringFlag(parsed, 'params-namespace');
  const excluded = listFlag(parsed, 'exclude-namespace', 'admission');
  const setup = engineSetup(parsed, io, 'admission', excluded.length > 0 ? { excludeNamespaces: excluded } : {});
  if (setup === undefined) return EXIT_ERROR;
  const engine = new Engine({ ...setup.options, failOn: setup.failOn });
  let set;
  try {
    set = engine.admissionPolicies({
      kubernetesVersion,
      action: stringFlag(parsed, 'action') as AdmissionAction | undefined,
      paramsNamespace,
      mutate: parsed.flags.has('mutate'),
    });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^admission options: /, ''), 'admission');
  }
  const format = stringFlag(parsed, 'format') ?? 'yaml';
  const header = [
    `kubeharden ${engine.profile} profile, Pod Security Standards v${engine.pssVersion}, for Kubernetes v${set.kubernetesVersion} and later`,
    `enforced at admission: ${set.enforced.length} rules`,
    ...(set.notEnforced.length ? [`not enforced at admission (${set.notEnforced.length}; kubeharden check judges them):`] : []),
    ...set.notEnforced.map((n) => `  ${n.ruleId}: ${n.reason}`),
    ...(parsed.flags.has('mutate') ? [`fixed at admission (MutatingAdmissionPolicy): ${set.mutated.length} rules`] : []),
    ...(set.notMutated.length ? [`fixable, but not fixed at admission (${set.notMutated.length}; kubeharden fix makes them):`] : []),
    ...set.notMutated.map((n) => `  ${n.ruleId}: ${n.reason}`),
  ];
  const text = format === 'json'
    ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: set.objects }, null, 2)}\n`
    : `${header.map((l) => `# ${l}`).join('\n')}\n${set.objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join('')}`;
  if (output === undefined) {
    io.stdout.write(text);
  } else {
    try {
      fs.writeFileSync(output, text, 'utf8');
    } catch (e) {
      io.stderr.write(`kubeharden: cannot write ${printable(output)}: ${errorDetail(e)}\n`);
      return EXIT_ERROR;
    }
  }
  io.stderr.write(`kubeharden: ${set.enforced.length} rules as ${set.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length} ValidatingAdmissionPolicies`
    + `${set.mutated.length ? `, ${set.mutated.length} fixes as ${set.objects.filter((o) => o.kind === 'MutatingAdmissionPolicy').length} MutatingAdmissionPolicies` : ''}`
    + `${output !== undefined ? ` in ${printable(output)}` : ''}; ${set.notEnforced.length} rules of the profile are not enforced at admission`
    + `${format === 'json' ? ' (kubeharden admission --format yaml lists them)' : ' (listed at the top)'}\n`);
  return EXIT_OK;
}
