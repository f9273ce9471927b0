/**
 * What every SARIF log kubeharden writes must be: valid against the official SARIF 2.1.0
 * JSON schema, and within GitHub code scanning's documented limits and requirements
 * ("SARIF support for code scanning", "SARIF results exceed limit"): GitHub rejects the
 * whole upload when a log exceeds one of them.
 *
 * The schema is the OASIS SARIF 2.1.0 schema as @microsoft/jest-sarif ships it (draft-04,
 * hence Ajv's draft-04 class).
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { GITHUB_SARIF_LIMITS } from '../../src/cli/format-sarif';

const SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let validator: ((log: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null } | undefined;

function validate(): NonNullable<typeof validator> {
  if (validator === undefined) {
    // the schema's `language` pattern has a stray "]": valid as a plain RegExp, not as a unicode one
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'))) as NonNullable<typeof validator>;
  }
  return validator;
}

/** The schema errors of a SARIF log (none when it is valid). */
export function schemaProblems(log: unknown): string[] {
  const v = validate();
  if (v(log)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Where a value is not a non-empty string (GitHub accepts no empty string for a required property). */
function requireText(problems: string[], where: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') problems.push(`${where} must be a non-empty string`);
}

/**
 * The ways a SARIF log breaks GitHub's limits and required properties. `text` is the
 * log as written (for the size limit of the gzip-compressed file).
 */
export function githubProblems(log: any, text?: string): string[] {
  const L = GITHUB_SARIF_LIMITS;
  const problems: string[] = [];
  requireText(problems, '$schema', log?.$schema);
  if (log?.version !== '2.1.0') problems.push('version must be 2.1.0');
  if (!Array.isArray(log?.runs) || log.runs.length === 0) problems.push('runs must be a non-empty array');
  else if (log.runs.length > L.runsPerFile) problems.push(`${log.runs.length} runs: more than ${L.runsPerFile}`);
  if (text !== undefined) {
    const size = zlib.gzipSync(Buffer.from(text, 'utf8')).length;
    if (size > L.gzipBytes) problems.push(`${size} bytes gzip-compressed: more than ${L.gzipBytes}`);
  }
  (log?.runs ?? []).forEach((run: any, r: number) => {
    const at = `runs[${r}]`;
    const driver = run?.tool?.driver;
    requireText(problems, `${at}.tool.driver.name`, driver?.name);
    const rules: any[] = driver?.rules;
    if (!Array.isArray(rules)) problems.push(`${at}.tool.driver.rules must be an array`);
    else if (rules.length > L.rulesPerRun) problems.push(`${at}: ${rules.length} rules: more than ${L.rulesPerRun}`);
    if ((run?.tool?.extensions ?? []).length > L.extensionsPerRun) problems.push(`${at}: more than ${L.extensionsPerRun} tool extensions`);
    const ids = new Set<string>();
    (rules ?? []).forEach((rule: any, i: number) => {
      const rat = `${at}.tool.driver.rules[${i}] (${rule?.id})`;
      requireText(problems, `${rat}.id`, rule?.id);
      if (ids.has(rule?.id)) problems.push(`${rat}: duplicate id`);
      ids.add(rule?.id);
      if (rule?.name !== undefined && (typeof rule.name !== 'string' || rule.name.length > L.ruleNameLength)) problems.push(`${rat}.name longer than ${L.ruleNameLength}`);
      for (const field of ['shortDescription', 'fullDescription']) {
        requireText(problems, `${rat}.${field}.text`, rule?.[field]?.text);
        if (typeof rule?.[field]?.text === 'string' && rule[field].text.length > L.descriptionLength) {
          problems.push(`${rat}.${field}.text longer than ${L.descriptionLength}`);
        }
      }
      requireText(problems, `${rat}.help.text`, rule?.help?.text);
      const level = rule?.defaultConfiguration?.level;
      if (level !== undefined && !['note', 'warning', 'error'].includes(level)) problems.push(`${rat}.defaultConfiguration.level ${level}`);
      const props = rule?.properties ?? {};
      const tags = props.tags;
      if (tags !== undefined) {
        if (!Array.isArray(tags) || tags.some((t: unknown) => typeof t !== 'string' || t === '')) problems.push(`${rat}.properties.tags must be non-empty strings`);
        else if (tags.length > L.tagsPerRule) problems.push(`${rat}: ${tags.length} tags: more than ${L.tagsPerRule}`);
        else if (new Set(tags).size !== tags.length) problems.push(`${rat}: duplicate tags`);
      }
      const sev = props['security-severity'];
      if (sev !== undefined && !(typeof sev === 'string' && /^\d+(\.\d+)?$/.test(sev) && Number(sev) > 0 && Number(sev) <= 10)) {
        problems.push(`${rat}: security-severity ${sev} is not a score above 0.0 up to 10.0`);
      }
      if (props.precision !== undefined && !['very-high', 'high', 'medium', 'low'].includes(props.precision)) problems.push(`${rat}: precision ${props.precision}`);
      if (props['problem.severity'] !== undefined && !['error', 'warning', 'recommendation'].includes(props['problem.severity'])) {
        problems.push(`${rat}: problem.severity ${props['problem.severity']}`);
      }
    });
    if (!Array.isArray(run?.results)) {
      problems.push(`${at}.results must be an array (also when there is no finding)`);
      return;
    }
    if (run.results.length > L.resultsPerRun) problems.push(`${at}: ${run.results.length} results: more than ${L.resultsPerRun}`);
    run.results.forEach((result: any, i: number) => {
      const rat = `${at}.results[${i}]`;
      requireText(problems, `${rat}.message.text`, result?.message?.text);
      if (result?.ruleId !== undefined && !ids.has(result.ruleId)) problems.push(`${rat}: ruleId ${result.ruleId} is not a rule of the driver`);
      if (result?.ruleIndex !== undefined && rules?.[result.ruleIndex]?.id !== result.ruleId) problems.push(`${rat}: ruleIndex ${result.ruleIndex} is not rule ${result.ruleId}`);
      if (result?.level !== undefined && !['none', 'note', 'warning', 'error'].includes(result.level)) problems.push(`${rat}.level ${result.level}`);
      const locations = result?.locations;
      if (!Array.isArray(locations) || locations.length === 0) problems.push(`${rat}: at least one location is required`);
      else if (locations.length > L.locationsPerResult) problems.push(`${rat}: ${locations.length} locations: more than ${L.locationsPerResult}`);
      (locations ?? []).forEach((loc: any, j: number) => {
        requireText(problems, `${rat}.locations[${j}].physicalLocation.artifactLocation.uri`, loc?.physicalLocation?.artifactLocation?.uri);
        const line = loc?.physicalLocation?.region?.startLine;
        if (!(Number.isInteger(line) && line >= 1)) problems.push(`${rat}.locations[${j}]: region.startLine must be a line number from 1`);
      });
      const fingerprints = result?.partialFingerprints;
      if (fingerprints === null || typeof fingerprints !== 'object' || Object.keys(fingerprints).length === 0) problems.push(`${rat}: partialFingerprints are required`);
      else for (const [k, v] of Object.entries(fingerprints)) requireText(problems, `${rat}.partialFingerprints.${k}`, v);
      for (const flow of result?.codeFlows ?? []) {
        for (const thread of flow?.threadFlows ?? []) {
          if ((thread?.locations ?? []).length > L.threadFlowLocationsPerResult) problems.push(`${rat}: more than ${L.threadFlowLocationsPerResult} thread flow locations`);
        }
      }
    });
    for (const invocation of run?.invocations ?? []) {
      for (const n of invocation?.toolExecutionNotifications ?? []) requireText(problems, `${at} notification message.text`, n?.message?.text);
    }
  });
  return problems;
}

/** Throws, listing what is wrong, unless `text` is a SARIF log valid against the schema and within GitHub's limits. */
export function assertValidSarif(text: string, what = 'SARIF log'): any {
  let log: any;
  try {
    log = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not JSON: ${(e as Error).message}`);
  }
  const problems = [...schemaProblems(log).map((p) => `schema: ${p}`), ...githubProblems(log, text).map((p) => `GitHub: ${p}`)];
  if (problems.length > 0) throw new Error(`${what} is not a SARIF 2.1.0 log GitHub accepts:\n  ${problems.slice(0, 30).join('\n  ')}`);
  return log;
}
