/**
 * Instances kept for the life of the process so that the hidden classes of the engine's
 * short-lived objects are never collected.
 *
 * V8 gives every object a hidden class (a "map"), and the optimised code of the functions
 * that read an object embeds its map. A class holds its instances' initial map, but the
 * maps that its constructor's field stores lead to are reached only through weak
 * transitions: once no instance is alive, a full collection frees them and throws away
 * every optimised function that embedded them. An engine's session, its document streams
 * and its locators all die when a check ends, so each check after a full collection ran
 * its first part unoptimised and compiled some forty functions anew (measured with
 * `--trace-deopt`: about 42 functions discarded, "weak objects", at each collection
 * between two checks; 250 to 300 ms of compilation, on a second core, per check of the
 * benchmark's corpus). Long-lived callers (a policy pack, a watch loop, a test run)
 * checked each object that way. Each module whose class lives only as long as a check or
 * an engine keeps one instance here, built with empty inputs and holding nothing of any
 * input.
 *
 * A kept instance has the map of the real ones only while the class gives every field a
 * value in its constructor (declared fields do) and no code adds a property later;
 * test/engine/shapes.test.ts compares them after real use, and names every class of
 * src/engine and src/rules that has no kept instance.
 */
const KEPT: object[] = [];

/** Keeps `instance` alive for the life of the process (see the module comment); returns it. @internal */
export function keepShape<T extends object>(instance: T): T {
  KEPT.push(instance);
  return instance;
}

/** The instances kept so far. @internal */
export function keptShapes(): readonly object[] {
  return KEPT;
}
