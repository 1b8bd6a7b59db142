/**
 * A deliberately tiny validator toolkit so the protocol layer can validate every Talk message
 * without pulling a schema library into a CRM's bundle (bench/footprint.ts keeps it honest).
 * Each validator returns a fresh, normalised value or throws a `SchemaIssue` that
 * `parseTalkEvent` turns into a structured error; nothing outside `protocol/` sees the throw.
 */

/** One validation failure: where, what was expected, what arrived. */
export class SchemaIssue {
  constructor(readonly path: string, public expected: string, readonly received: string) {}

  /** The one-line form used in parse errors and `TalkError` messages. */
  toString(): string {
    return `${this.path}: expected ${this.expected}, got ${this.received}`
  }
}

/** A validator: checks `value` at `path` and returns the normalised value. */
export type Validator<T> = (value: unknown, path: string) => T

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

function fail(path: string, expected: string, value: unknown): never {
  throw new SchemaIssue(path, expected, describeType(value))
}

function is<T>(label: string, test: (value: unknown) => boolean): Validator<T> {
  return (v, p) => test(v) ? v as T : fail(p, label, v)
}

/** Accepts any string. */
export const string: Validator<string> = is('string', v => typeof v == 'string')

/** Accepts a finite number. */
export const number: Validator<number> = is('number', Number.isFinite)

/** Accepts a boolean. */
export const boolean: Validator<boolean> = is('boolean', v => typeof v == 'boolean')

const stringOrNumber = is<string | number>('string or number', v => typeof v == 'string' || Number.isFinite(v))

/** Accepts a phone number sent as a string or a number and normalises it to a string. */
export const phone: Validator<string> = (v, p) => String(stringOrNumber(v, p))

/** Accepts one of the listed strings. */
export function oneOf<T extends string>(...values: T[]): Validator<T> {
  return is(values.map(v => `'${v}'`).join(' or '), v => values.includes(v as T))
}

/** Accepts `null` (and a missing key, read as `null`) besides what `inner` accepts. */
export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return (v, p) => {
    if (v == null) return null
    try {
      return inner(v, p)
    }
    catch (issue) {
      // Only the field itself gets "or null"; a nested field's issue is reported as it is.
      if (issue instanceof SchemaIssue && issue.path == p) issue.expected += ' or null'
      throw issue
    }
  }
}

/** Marks a key as optional; `null` is read as absent. */
export function optional<T>(inner: Validator<T>): OptionalValidator<T> {
  return ((v, p) => v == null ? undefined : inner(v, p)) as OptionalValidator<T>
}

/** Accepts a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value == 'object' && value !== null && !Array.isArray(value)
}

/** Validates the keys of `shape` on `value` and returns a new object with only those keys. */
export function readShape<S extends Shape>(shape: S, value: Record<string, unknown>, path: string): InferShape<S> {
  const out: Record<string, unknown> = {}
  for (const key in shape) {
    const result = shape[key]!(value[key], path ? `${path}.${key}` : key)
    if (result !== undefined) out[key] = result
  }
  return out as InferShape<S>
}

/** Accepts an object with the given shape; unknown keys are dropped. */
export function object<S extends Shape>(shape: S): Validator<InferShape<S>> {
  return (v, p) => isRecord(v) ? readShape(shape, v, p) : fail(p, 'object', v)
}

/** A value that survives `JSON.stringify` and `structuredClone` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** Accepts a plain object of JSON-compatible values (what `structuredClone` and Talk can carry). */
export const jsonRecord: Validator<Record<string, JsonValue>> = (v, p) => {
  if (!isRecord(v)) fail(p, 'object', v)
  checkJson(v, p, 0)
  return v as Record<string, JsonValue>
}

function checkJson(value: unknown, path: string, depth: number): void {
  // The depth limit also stops cyclic objects, which JSON cannot carry either.
  if (depth > 16) fail(path, 'at most 16 levels of nesting', value)
  if (Array.isArray(value)) value.forEach((item, i) => checkJson(item, `${path}[${i}]`, depth + 1))
  else if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) {
    for (const key in value) checkJson(value[key], `${path}.${key}`, depth + 1)
  }
  else if (!(value === null || typeof value == 'string' || typeof value == 'boolean' || Number.isFinite(value))) {
    fail(path, 'JSON value', value)
  }
}
