/**
 * ANSI styling for the text output. A `Style` with colour off returns text unchanged.
 */
import { Severity } from '../engine/types';

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
} as const;

/** A style name. */
export type StyleName = keyof typeof CODES;

/** Applies styles when colour is on. */
export class Style {
  constructor(public readonly enabled: boolean) {}

  /** Wraps text in the given styles. */
  public apply(text: string, ...styles: StyleName[]): string {
    if (!this.enabled || text === '') return text;
    let out = text;
    for (const s of styles) out = `\u001b[${CODES[s][0]}m${out}\u001b[${CODES[s][1]}m`;
    return out;
  }

  /** A severity in its colour. */
  public severity(severity: Severity, text: string = severity): string {
    switch (severity) {
      case Severity.CRITICAL: return this.apply(text, 'magenta', 'bold');
      case Severity.HIGH: return this.apply(text, 'red', 'bold');
      case Severity.MEDIUM: return this.apply(text, 'yellow');
      default: return this.apply(text, 'blue');
    }
  }
}
