/**
 * Renders the rule reference (docs/rules.md) and the controls cross-reference
 * (docs/controls.md) from the rule metadata, so the docs cannot drift from the catalog.
 */
import { Profile, RuleMetadata } from '../engine/types';

const GENERATED = '<!-- Generated from the rule metadata by `npx projen docs`. Do not edit by hand. -->';

const CATEGORY_TITLES: { [category: string]: string } = {
  'pod-security': 'Pod Security Standards',
  'workload': 'Workloads',
  'rbac': 'RBAC',
  'network': 'Network',
  'secrets': 'Secrets',
  'audit': 'Audit logging',
  'cluster': 'Cluster configuration',
  'namespace': 'Namespaces',
  'meta': 'Suppressions',
};

/** Frameworks of the cross-reference, by control prefix. */
const CONTROL_FRAMEWORKS: { prefix: string; title: string }[] = [
  { prefix: 'pss', title: 'Pod Security Standards (pod-security-admission check ids)' },
  { prefix: 'cis', title: 'CIS Kubernetes Benchmark' },
  { prefix: 'nsa', title: 'NSA/CISA Kubernetes Hardening Guide' },
  { prefix: 'kube-linter', title: 'kube-linter' },
  { prefix: 'polaris', title: 'Polaris' },
  { prefix: 'kyverno', title: 'Kyverno policies' },
  { prefix: 'checkov', title: 'Checkov' },
  { prefix: 'trivy', title: 'Trivy' },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]/g, '');
}

function categoryOrder(rules: RuleMetadata[]): string[] {
  const known = Object.keys(CATEGORY_TITLES);
  const present = [...new Set(rules.map((r) => r.category))];
  return present.sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
}

/** docs/rules.md */
export function renderRulesMarkdown(rules: RuleMetadata[]): string {
  const out: string[] = [];
  out.push('# kubeharden rules', '', GENERATED, '');
  out.push(`${rules.length} rules. Profiles: \`baseline\` and \`restricted\` are exactly the Pod Security Standards levels `
    + '(at `restricted`, a restricted check replaces the baseline check it overrides from the version it says); '
    + '`hardened` (the CLI default) is `restricted` plus every other rule.', '');
  out.push('Suppress a finding on its object with the annotation `ignore.kubeharden.io/<rule-id>: "<reason of 10 characters or more>"`.', '');
  out.push('Admission: `enforced` rules are enforced in the cluster by the policies `kubeharden admission` writes '
    + '(see [admission.md](admission.md)); the others are judged by `kubeharden check` only, for the reason their entry gives. '
    + 'A fix marked "also at admission" is made in the cluster too by `kubeharden admission --mutate`.', '');
  out.push('| rule | severity | profiles | fix | admission | title |', '| --- | --- | --- | --- | --- | --- |');
  for (const category of categoryOrder(rules)) {
    for (const r of rules.filter((x) => x.category === category)) {
      out.push(`| [\`${r.id}\`](#${anchor(r.id)}) | ${r.severity} | ${r.profiles.join(', ')} | ${r.fix ? (r.fixAtAdmission === 'made' ? 'yes, also at admission' : 'yes') : 'no'} | ${r.admission === 'enforced' ? 'enforced' : 'no'} | ${cell(r.title)} |`);
    }
  }
  out.push('');
  for (const category of categoryOrder(rules)) {
    out.push(`## ${CATEGORY_TITLES[category] ?? category}`, '');
    for (const r of rules.filter((x) => x.category === category)) {
      out.push(`### ${r.id}`, '');
      out.push(`**${r.title}**`, '');
      out.push(`- Severity: ${r.severity}`);
      out.push(`- Profiles: ${r.profiles.join(', ')}`);
      out.push(`- Applies to: ${r.kinds.includes('*') ? 'every kind' : r.kinds.join(', ')}`);
      if (r.controls.length) out.push(`- Controls: ${r.controls.map((c) => `\`${c}\``).join(', ')}`);
      if (r.pss) {
        out.push(`- Pod Security Standards: check \`${r.pss.checkId}\`, level ${r.pss.level}`);
        for (const v of r.pss.versions) {
          const parts = [];
          if (v.overrides?.length) parts.push(`replaces ${v.overrides.map((o) => `\`${o}\``).join(', ')} at restricted`);
          if (v.note) parts.push(v.note);
          out.push(`  - from v${v.minimumVersion}${parts.length ? `: ${parts.join('; ')}` : ''}`);
        }
      }
      if (r.options?.length) {
        out.push('- Options (configuration file, `rules.<id>.options`):');
        for (const o of r.options) out.push(`  - \`${o.name}\` (${o.type}): ${o.description}`);
      }
      out.push(`- Fix: ${r.fix ? `\`kubeharden fix\` ${r.fix}` : 'none (the change needs a decision only the owner can make)'}`);
      out.push(`- Admission: ${r.admission === 'enforced' ? 'enforced by `kubeharden admission`\'s policies' : (r.admission ?? 'not enforced')}`);
      if (r.fix) {
        out.push(`- Fix at admission: ${r.fixAtAdmission === 'made' ? 'made by the MutatingAdmissionPolicies of `kubeharden admission --mutate`' : (r.fixAtAdmission ?? 'not made')}`);
      }
      out.push('', r.rationale, '', `**Remediation.** ${r.remediation}`, '');
    }
  }
  return out.join('\n');
}

/** docs/controls.md */
export function renderControlsMarkdown(rules: RuleMetadata[]): string {
  const out: string[] = [];
  out.push('# Controls cross-reference', '', GENERATED, '');
  out.push('Which kubeharden rule enforces a control of a standard, or replaces a check of another tool. '
    + 'Users migrating from kube-linter, Polaris, Kyverno, Checkov or Trivy find their check here.', '');
  out.push('| framework | controls covered |', '| --- | --- |');
  for (const fw of CONTROL_FRAMEWORKS) {
    const n = new Set(rules.flatMap((r) => r.controls.filter((c) => c.startsWith(`${fw.prefix}:`)))).size;
    out.push(`| [${fw.title}](#${anchor(fw.prefix)}) | ${n} |`);
  }
  out.push('');
  for (const fw of CONTROL_FRAMEWORKS) {
    const byControl = new Map<string, string[]>();
    for (const r of rules) {
      for (const c of r.controls) {
        if (!c.startsWith(`${fw.prefix}:`)) continue;
        const id = c.slice(fw.prefix.length + 1);
        byControl.set(id, [...(byControl.get(id) ?? []), r.id]);
      }
    }
    out.push(`## ${fw.prefix}`, '', fw.title, '');
    if (byControl.size === 0) {
      out.push('No rule maps to this framework yet.', '');
      continue;
    }
    out.push('| control | kubeharden rules |', '| --- | --- |');
    const ids = [...byControl.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const id of ids) out.push(`| \`${cell(id)}\` | ${byControl.get(id)!.map((r) => `[\`${r}\`](rules.md#${anchor(r)})`).join(', ')} |`);
    out.push('');
  }
  const profiles = Object.values(Profile);
  out.push('## Rules by profile', '', '| profile | rules |', '| --- | --- |');
  for (const p of profiles) out.push(`| ${p} | ${rules.filter((r) => r.profiles.includes(p)).length} |`);
  out.push('');
  return out.join('\n');
}
