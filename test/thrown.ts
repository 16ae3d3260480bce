/** The error a test expects a call to throw, for assertions on its message and fields. */

/**
 * Calls `f` and returns what it throws when that is an instance of `type`; rethrows anything else;
 * throws `expected a <type name>` when `f` returns.
 */
export function thrownBy<E extends Error>(type: abstract new (...args: never[]) => E, f: () => unknown): E {
  try {
    f();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}`);
}
