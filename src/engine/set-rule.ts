import { notAtAdmission } from './admission';
import { RuleFix, withAdmission, withFix } from './rule';
import { ISetRule, IRule, RuleContext, RuleMetadata, SetFinding, SetMember } from './types';

/** What a set-level rule file declares. */
export interface SetRuleDefinition {
  readonly collect: (object: any, context: RuleContext) => any;
  readonly checkSet: (members: SetMember[], context: RuleContext) => SetFinding[];
}

class FunctionSetRule implements ISetRule {
  public readonly metadata: RuleMetadata;
  public readonly _fix?: RuleFix;
  /** Admission sees one object at a time. */
  public readonly _admission = notAtAdmission('a set-level rule: it judges the whole manifest set, and admission sees one object at a time');
  constructor(metadata: RuleMetadata, private readonly def: SetRuleDefinition, fix?: RuleFix) {
    this.metadata = withAdmission(withFix({ ...metadata, setLevel: true }, fix), this._admission, fix);
    if (fix) this._fix = fix;
  }

  public check(): never[] {
    return [];
  }

  public collect(object: any, context: RuleContext): any {
    try {
      return this.def.collect(object, context);
    } catch {
      return undefined;
    }
  }

  public checkSet(members: SetMember[], context: RuleContext): SetFinding[] {
    try {
      return this.def.checkSet(members, context);
    } catch (e) {
      return members.length ? [{ member: 0, path: '', message: `internal error in rule ${this.metadata.id}: ${(e as Error)?.message ?? e}` }] : [];
    }
  }
}

/** Defines a set-level rule. */
export function defineSetRule(metadata: RuleMetadata, def: SetRuleDefinition, fix?: RuleFix): ISetRule {
  return new FunctionSetRule(metadata, def, fix);
}

/** Whether a rule is a set-level rule. */
export function isSetRule(rule: IRule): rule is ISetRule {
  return rule.metadata.setLevel === true && typeof (rule as ISetRule).checkSet === 'function' && typeof (rule as ISetRule).collect === 'function';
}
