import { optionsWithConfigFile } from '../engine/config';
import { Engine, Reports, SEVERITY_ORDER } from '../engine/engine';
import { CheckOptions, Finding, Severity } from '../engine/types';
import { Rules } from '../rules/catalog';

/**
 * A resource that breaks a rule, as the cdk8s CLI validation report takes it.
 *
 * @example
 * const r: ValidationViolatingResource = { resourceName: 'web', locations: ['spec.template.spec.hostNetwork (line 12)'], manifestPath: 'dist/app.k8s.yaml' };
 */
export interface ValidationViolatingResource {
  /** `metadata.name` of the resource (the CLI maps it to its construct path). */
  readonly resourceName: string;
  /** Where in the resource: `<json path> (line <n>)`. */
  readonly locations: string[];
  /** The manifest file. */
  readonly manifestPath: string;
}

/**
 * A violation, as the cdk8s CLI validation report takes it.
 *
 * @example
 * context.report.addViolation({ ruleName: 'pss-host-namespaces [high]', recommendation: '...', fix: '...', violatingResources: [r] });
 */
export interface ValidationViolation {
  /** The rule id. */
  readonly ruleName: string;
  /** What is wrong. */
  readonly recommendation: string;
  /** How to fix it. */
  readonly fix: string;
  /** The resources that break the rule. */
  readonly violatingResources: ValidationViolatingResource[];
}

/**
 * The report of the cdk8s CLI validation context (`context.report`).
 *
 * @example
 * context.report.submit('success', { profile: 'hardened' });
 */
export interface IValidationReport {
  /** Adds a violation. */
  addViolation(violation: ValidationViolation): void;
  /**
   * Submits the report.
   * @param status `success` or `failure`
   */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/**
 * The logger of the cdk8s CLI validation context (`context.logger`).
 *
 * @example
 * context.logger.log('kubeharden: checking 2 manifests');
 */
export interface IValidationLogger {
  /** Logs a message. */
  log(message: string): void;
}

/**
 * What the cdk8s CLI hands a validation plugin (tests build one directly).
 *
 * @example
 * await new KubehardenValidation().validate({ manifests: ['dist/app.k8s.yaml'], report, logger });
 */
export interface IValidationContext {
  /** The synthesized manifest files. */
  readonly manifests: string[];
  /** The report to fill and submit. */
  readonly report: IValidationReport;
  /** The logger. */
  readonly logger: IValidationLogger;
}

/**
 * Options of the validation plugin (the `properties` of its entry in cdk8s.yaml): the
 * options shape every entry point takes (CheckOptions; in cdk8s.yaml the profile and
 * severities are written as their names, `restricted`, `high`), and a configuration file
 * to read.
 *
 * @example
 * const props: KubehardenValidationProps = { profile: Profile.RESTRICTED, failOn: Severity.HIGH, configFile: 'kubeharden.config.yaml' };
 */
export interface KubehardenValidationProps extends CheckOptions {
  /**
   * A kubeharden configuration file (`kubeharden.config.yaml`) to read, relative to the
   * working directory of the cdk8s app (where `cdk8s synth` runs). The properties given
   * here win over the file's (the lists add up), as `kubeharden check` flags win over it.
   * @default - no file
   */
  readonly configFile?: string;
  /**
   * Rule ids not to run.
   * @default - none
   * @deprecated use `rules: { <rule-id>: false }`
   */
  readonly disabledRules?: string[];
}

/**
 * A cdk8s CLI validation plugin: runs the kubeharden rules over the manifests that
 * `cdk8s synth` writes and reports each unsuppressed finding as a violation (rule id,
 * resource, JSON path and line, remediation), most severe first. Suppressed findings are
 * not violations.
 *
 * In cdk8s.yaml (`version` is the exact version installed: cdk8s-cli refuses a range):
 *
 * ```yaml
 * validations:
 *   - package: kubeharden
 *     version: 1.0.0
 *     class: KubehardenValidation
 *     properties:
 *       configFile: kubeharden.config.yaml   # optional; the properties below win over it
 *       profile: hardened
 *       failOn: low
 *       rules:
 *         image-digest: false
 * ```
 *
 * @example
 * await new KubehardenValidation({ profile: Profile.RESTRICTED, configFile: 'kubeharden.config.yaml' }).validate(context);
 */
export class KubehardenValidation {
  private readonly engine: Engine;
  private readonly failOn: Severity;

  /**
   * @throws if a property or the configuration file is invalid (an unknown key or rule id, a bad value), naming each
   */
  constructor(props: KubehardenValidationProps = {}) {
    this.engine = new Engine(optionsWithConfigFile(props, 'kubeharden validation properties', { deprecatedKeys: ['disabledRules'] }));
    this.failOn = this.engine.failOn;
  }

  /**
   * Checks the context's manifests, adds the violations and submits the report.
   */
  public async validate(context: IValidationContext): Promise<void> {
    const report = this.engine.checkPaths(context.manifests);
    const failing = Reports.findingsAtOrAbove(report, this.failOn);
    const byRule = new Map<string, Finding[]>();
    for (const f of failing) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    // Most severe rule first (as the CLI prints the violations in the order they are added);
    // rules of one severity keep the order of their first finding.
    const bySeverity = [...byRule].sort(([, a], [, b]) => SEVERITY_ORDER.indexOf(a[0].severity) - SEVERITY_ORDER.indexOf(b[0].severity));
    for (const [ruleId, findings] of bySeverity) {
      const rule = Rules.find(ruleId);
      const resources = new Map<string, { resourceName: string; manifestPath: string; locations: string[] }>();
      for (const f of findings) {
        const key = `${f.file}|${f.object.kind}|${f.object.namespace ?? ''}|${f.object.name ?? ''}`;
        const entry = resources.get(key) ?? { resourceName: f.object.name ?? '<unnamed>', manifestPath: f.file, locations: [] };
        entry.locations.push(`${f.path || '<object>'}${f.line ? ` (line ${f.line})` : ''}: ${f.message}`);
        resources.set(key, entry);
      }
      context.report.addViolation({
        ruleName: `${ruleId} [${findings[0].severity}]`,
        recommendation: rule?.metadata.title ?? findings[0].message,
        fix: rule?.metadata.remediation ?? findings[0].message,
        violatingResources: [...resources.values()],
      });
    }
    for (const e of report.errors) context.logger.log(`kubeharden: ${e.file}:${e.line}:${e.column}: ${e.message}`);
    const ok = failing.length === 0 && report.errors.length === 0;
    context.report.submit(ok ? 'success' : 'failure', {
      profile: this.engine.profile,
      objects: String(report.summary.objects),
      findings: String(failing.length),
      suppressed: String(report.summary.suppressed),
      errors: String(report.errors.length),
    });
  }
}
