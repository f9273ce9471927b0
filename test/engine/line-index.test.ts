import * as fc from 'fast-check';
import { LineIndex } from '../../src/engine/input/yaml-document';

/** Line and column of an offset, counted from the start of the text. */
function naive(text: string, offset: number): { line: number; column: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let start = 0;
  for (let i = 0; i < o; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: o - start + 1 };
}

describe('LineIndex', () => {
  test('any sequence of offsets, forwards, backwards or jumping, gives the counted line and column', () => {
    const text = fc.array(fc.constantFrom('a', 'b', '\n', '\r', ' ', 'é'), { maxLength: 60 }).map((cs) => cs.join(''));
    fc.assert(fc.property(text, fc.array(fc.integer({ min: -3, max: 65 }), { maxLength: 12 }), (t, offsets) => {
      const index = new LineIndex(t);
      for (const o of offsets) {
        expect(index.position(o)).toEqual(naive(t, o));
        expect(index.lineOf(o)).toBe(naive(t, o).line);
      }
    }), { numRuns: 500 });
  });

  test('texts that start with newlines, and offsets out of range', () => {
    const index = new LineIndex('\n\n\nx\n');
    expect(index.position(5)).toEqual({ line: 5, column: 1 });
    expect(index.position(0)).toEqual({ line: 1, column: 1 });
    expect(index.position(3)).toEqual({ line: 4, column: 1 });
    expect(index.position(1)).toEqual({ line: 2, column: 1 });
    expect(index.position(99)).toEqual({ line: 5, column: 1 });
    expect(index.position(-1)).toEqual({ line: 1, column: 1 });
    expect(index.position(NaN)).toEqual({ line: 1, column: 1 });
  });
});
