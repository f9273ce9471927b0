import { keyPath } from '../../engine/json-path';
import { sharedForObject } from '../../engine/pod-spec';
import { defineRule } from '../../engine/rule';
import { MIN_SUPPRESSION_REASON, suppressionsOf } from '../../engine/suppressions';
import { Profile, Severity } from '../../engine/types';

/**
 * A suppression must say why: `ignore.kubeharden.io/<rule-id>: "<reason>"` with a
 * reason of at least 10 characters (Unicode code points: ten emoji are ten characters),
 * naming a rule that exists. A suppression that breaks this does not take effect and
 * is reported itself.
 */
export const invalidSuppression = defineRule({
  id: 'invalid-suppression',
  title: 'Suppression annotations name a known rule and give a reason',
  severity: Severity.MEDIUM,
  category: 'meta',
  profiles: [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED],
  controls: [],
  rationale: 'A suppression hides a finding from every report gate. Without a written reason a reviewer cannot tell an accepted risk from a silenced one, and a misspelled rule id silently suppresses nothing.',
  remediation: 'Write `ignore.kubeharden.io/<rule-id>: "<why this is acceptable>"` with a reason of at least 10 characters, using an id from `kubeharden rules`.',
  kinds: ['*'],
  unsuppressible: true,
}, (object, context) => {
  // read once per object: the session reads the same suppressions for the object's findings
  const suppressions = sharedForObject(object, suppressionsOf, suppressionsOf);
  if (!suppressions) return [];
  const out = [];
  // the ids are few: a lookup in the list, not a set built for every object
  const known = context.knownRuleIds;
  for (const s of suppressions.values()) {
    const path = keyPath(keyPath('metadata', 'annotations'), s.annotation);
    if (!known.includes(s.ruleId)) {
      out.push({ path, message: `suppression names an unknown rule "${s.ruleId}"; see \`kubeharden rules\` for rule ids` });
    } else if (!s.valid) {
      out.push({ path, message: `suppression of ${s.ruleId} needs a reason of at least ${MIN_SUPPRESSION_REASON} characters (got ${s.length}); it does not take effect` });
    }
  }
  return out;
});
