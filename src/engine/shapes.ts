/**
 * Instances kept for the life of the process so that the hidden classes of the engine's
 * short-lived objects are never collected.
 *
 * V8 gives every object a hidden class (a "map"), and the optimised code of the functions
 * that read an object embeds its map. A class instance's map is reached from the class only
 * through weak links: once no instance is alive, a full collection frees the map and
 * throws away every optimised function that embedded it. A session, its document streams
 * and its locators all die when a check ends, so each check after a full collection ran
 * its first part in the interpreter and compiled some forty functions anew (measured
 * with `--trace-deopt`: about 42 functions discarded, "weak objects", at each collection
 * between two checks; 250 to 300 ms of compilation, on a second core, per check of the
 * benchmark's corpus). Long-lived callers (a policy pack, a watch loop, a test run)
 * checked each object that way. One instance of each of these classes (and of go-yaml's
 * decoder and its mappings, for documents with anchors, tags or merge keys), built by
 * its module with empty inputs and holding nothing of any input, keeps their maps alive.
 *
 * A kept instance has the map of the real ones only while the class gives every field a
 * value in its constructor (declared fields do) and no code adds a property later;
 * test/engine/shapes.test.ts compares them after real use.
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
