import { CATALOG } from './index';
import { IRule, RuleMetadata } from '../engine/types';

/**
 * Access to the rule catalog.
 */
export class Rules {
  /** Every rule of the catalog. */
  public static all(): IRule[] {
    return CATALOG.slice();
  }

  /** The rule with this id, or undefined. */
  public static find(id: string): IRule | undefined {
    return CATALOG.find((r) => r.metadata.id === id);
  }

  /** The metadata of every rule. */
  public static metadata(): RuleMetadata[] {
    return CATALOG.map((r) => r.metadata);
  }

  private constructor() {}
}
