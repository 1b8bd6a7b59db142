/**
 * A deliberately tiny validator toolkit so the protocol layer can validate every Talk message
 * without pulling a schema library into a CRM's bundle (bench/footprint.ts keeps it honest).
 * Each validator returns a fresh, normalised value or throws a `SchemaIssue` that
 * `parseTalkEvent` turns into a structured error; nothing outside `protocol/` sees the throw.
 */

/** One validation failure: where (filled in as it unwinds), what was expected, what arrived. */
export class SchemaIssue {
  path = ''
  constructor(public expected: string, readonly received: string) {}

  /** Puts `key` in front of the path, as the issue leaves the object holding that key. */
  at(key: string): this {
    this.path = this.path ? `${key}.${this.path}` : key
    return this
  }

  /** The one-line form used in parse errors and `TalkError` messages. */
  toString(): string {
    return `${this.path}: expected ${this.expected}, got ${this.received}`
  }
}

/** A validator: checks `value` and returns the normalised value. */
export type Validator<T> = (value: unknown) => T

/** A validator whose key may be missing (made by `optional()`); the flag exists only in types. */
export type OptionalValidator<T> = Validator<T | undefined> & { readonly optional: true }

/** The value type a validator produces. */
export type Infer<V> = V extends Validator<infer T> ? T : never

/** An object shape: key -> validator. */
export type Shape = Record<string, Validator<unknown>>

type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S]

/** Flattens intersections so editors show one object type. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The object type described by a shape (keys made by `optional()` become optional). */
export type InferShape<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>

/** Names the JSON-ish type of a value for error messages ("null", "array", "string"...). */
export function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}

function fail(expected: string, value: unknown): never {
  throw new SchemaIssue(expected, describeType(value))
}

function is<T>(label: string, test: (value: unknown) => boolean): Validator<T> {
  return v => test(v) ? v as T : fail(label, v)
}

/** Accepts any string. */
export const string: Validator<string> = is('string', v => typeof v == 'string')

/** Accepts a finite number. */
export const number: Validator<number> = is('number', Number.isFinite)

/** Accepts a boolean. */
export const boolean: Validator<boolean> = is('boolean', v => typeof v == 'boolean')

/** Accepts a whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): Validator<number> {
  return is(`whole number from ${min} to ${max}`, v => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max)
}

// A number only as a whole one: 1e21 would otherwise become the text "1e+21", and 1.5 "1.5".
const stringOrWholeNumber = is<string | number>('string or whole number', v => typeof v == 'string' || (Number.isSafeInteger(v) && (v as number) >= 0))

/** Accepts a phone number sent as a string or a whole number and normalises it to a string. */
export const phone: Validator<string> = v => String(stringOrWholeNumber(v))

/** Accepts one of the listed strings. */
export function oneOf<T extends string>(...values: T[]): Validator<T> {
  return is(values.map(v => `'${v}'`).join(' or '), v => values.includes(v as T))
}

/** Accepts `null` (and a missing key, read as `null`) besides what `inner` accepts. */
export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return (v) => {
    if (v == null) return null
    try {
      return inner(v)
    }
    catch (issue) {
      // Only the field itself gets "or null" (its path is still empty); a nested field's issue is reported as it is.
      if (issue instanceof SchemaIssue && !issue.path) issue.expected += ' or null'
      throw issue
    }
  }
}

/** Marks a key as optional; `null` is read as absent. */
export function optional<T>(inner: Validator<T>): OptionalValidator<T> {
  return (v => v == null ? undefined : inner(v)) as OptionalValidator<T>
}

// Runs `read` for each key of `keys`; an issue escaping it gets the key in front of its path.
// Paths are thus built only when a field fails, never for a valid message.
function eachKey(keys: object, read: (key: string) => void): void {
  let key = ''
  try {
    for (key in keys) read(key)
  }
  catch (issue) {
    throw issue instanceof SchemaIssue ? issue.at(key) : issue
  }
}

/** Validates the keys of `shape` on `value` and returns a new object with only those keys (added to `out`). */
export function readShape<S extends Shape>(shape: S, value: Record<string, unknown>, out: Record<string, unknown> = {}): InferShape<S> {
  eachKey(shape, (key) => {
    const result = shape[key]!(value[key])
    if (result !== undefined) out[key] = result
  })
  return out as InferShape<S>
}

/** Accepts an object with the given shape; unknown keys are dropped. */
export function object<S extends Shape>(shape: S): Validator<InferShape<S>> {
  return v => describeType(v) == 'object' ? readShape(shape, v as Record<string, unknown>) : fail('object', v)
}

/** A value that survives `JSON.stringify` and `structuredClone` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** Accepts a plain object of JSON-compatible values (what `structuredClone` and Talk can carry). */
export const jsonRecord: Validator<Record<string, JsonValue>> = v => describeType(v) == 'object' ? checkJson(v, 0) as Record<string, JsonValue> : fail('object', v)

function checkJson(value: unknown, depth: number): unknown {
  const type = describeType(value)
  // The depth limit also stops cyclic objects, which JSON cannot carry either.
  if (depth > 16) fail('at most 16 levels of nesting', value)
  if (type == 'array' || (type == 'object' && Object.getPrototypeOf(value) === Object.prototype)) {
    eachKey(value as object, key => checkJson((value as Record<string, unknown>)[key], depth + 1))
  }
  else if (!(type == 'null' || type == 'string' || type == 'boolean' || Number.isFinite(value))) fail('JSON value', value)
  return value
}
