import { registerCoreCopy } from '../runtime/core-copies.js';

/**
 * Marks every error berth raises, whichever copy of `@berth/core` raised it. `Symbol.for` gives the same
 * symbol in every copy, so an application whose dependency tree holds two copies (an adapter with a nested
 * core, say) still recognises berth's errors.
 */
const BRAND: unique symbol = Symbol.for('berth.error') as never;

// Every copy of core loads this module: it is where a copy makes itself known.
registerCoreCopy(import.meta.url);

/** The names of the classes in `value`'s prototype chain, nearest first. */
function classNames(value: object): string[] {
  const names: string[] = [];
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name = (proto.constructor as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string') names.push(name);
  }
  return names;
}

/**
 * The base of every error berth raises. Adapters convert their driver's errors into these classes, so
 * application code handles failures the same way on every backend.
 *
 * Checks work across copies of `@berth/core`: `BerthError.is(e)` tests the brand every berth error carries,
 * and `instanceof` falls back to the brand and the class name when the ordinary prototype check fails (so
 * `e instanceof UniqueViolationError` holds for an error raised by another copy's `UniqueViolationError`).
 * The name fallback relies on class names, which a minifier that renames classes would break: prefer
 * `BerthError.is(e)` and `e.code` where code may be minified.
 */
export abstract class BerthError extends Error {
  /** A stable, machine-readable code, for example `UNIQUE_VIOLATION`. */
  abstract readonly code: string;
  /** True when the same operation may succeed if simply tried again (a pool timeout, a lost connection). */
  abstract readonly retryable: boolean;
  /** The mark `BerthError.is` and `instanceof` read: a `Symbol.for` key, the same in every copy of the core. */
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** True when `value` is an error raised by berth, by this copy of `@berth/core` or by any other. */
  static is(value: unknown): value is BerthError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /**
   * Makes `instanceof` hold across copies of `@berth/core` (a nested second copy would otherwise make
   * `e instanceof UniqueViolationError` silently false): an error branded by any copy matches by class name.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof` (a subclass inherits this method), not BerthError.
    // biome-ignore lint/complexity/noThisInStatic: the subclass being tested is the point
    // biome-ignore lint/complexity/noUselessThisAlias: named once, for the two uses below
    const cls = this;
    if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
    // Another copy's error: same brand, and this class's name in its chain of classes.
    return BerthError.is(value) && classNames(value).includes(cls.name);
  }
}
