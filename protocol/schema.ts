/**
 * A deliberately tiny validator toolkit (a few hundred bytes minified) so the protocol layer
 * can validate every Talk message without pulling a schema library into a CRM's bundle.
 * Each validator returns a fresh, normalised value or throws a `SchemaIssue` that
 * `parseTalkEvent` turns into a structured error; nothing outside `protocol/` sees the throw.
 */

/** One validation failure: where, what was expected, what arrived. */
export class SchemaIssue {
  constructor(readonly path: string, readonly expected: string, readonly received: string) {}
}

/** A validator: checks `value` at `path` and returns the normalised value. */
export interface Validator<T> {
  (value: unknown, path: string): T
  /** Human-readable name of what is accepted, used in error messages. */
  readonly label: string
  /** Set on validators made by `optional()`: the key may be missing. */
  readonly optional?: true
}

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

function make<T>(label: string, check: (value: unknown, path: string) => T, optional?: true): Validator<T> {
  return Object.assign(check, optional ? { label, optional } : { label })
}

function fail(path: string, expected: string, value: unknown): never {
  throw new SchemaIssue(path, expected, describeType(value))
}

/** Accepts any string. */
export const string: Validator<string> = make('string', (v, p) => typeof v === 'string' ? v : fail(p, 'string', v))

/** Accepts a finite number. */
export const number: Validator<number> = make('number', (v, p) => typeof v === 'number' && Number.isFinite(v) ? v : fail(p, 'number', v))

/** Accepts a boolean. */
export const boolean: Validator<boolean> = make('boolean', (v, p) => typeof v === 'boolean' ? v : fail(p, 'boolean', v))

/** Accepts a phone number sent as a string or a number and normalises it to a string. */
export const phone: Validator<string> = make('string or number', (v, p) =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : fail(p, 'string or number', v))

/** Accepts one of the listed strings. */
export function oneOf<T extends string>(...values: T[]): Validator<T> {
  const label = values.map(v => `'${v}'`).join(' or ')
  return make(label, (v, p) => values.includes(v as T) ? v as T : fail(p, label, v))
}

/** Accepts `null` (and a missing key, read as `null`) besides what `inner` accepts. */
export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  const label = `${inner.label} or null`
  return make(label, (v, p) => {
    if (v === null || v === undefined) return null
    try {
      return inner(v, p)
    }
    catch (issue) {
      if (issue instanceof SchemaIssue && issue.path === p) fail(p, label, v)
      throw issue
    }
  })
}

/** Marks a key as optional; `null` is read as absent. */
export function optional<T>(inner: Validator<T>): Validator<T | undefined> {
  return make(`${inner.label} (optional)`, (v, p) => v === null || v === undefined ? undefined : inner(v, p), true)
}

/** Accepts a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
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
  return make('object', (v, p) => isRecord(v) ? readShape(shape, v, p) : fail(p, 'object', v))
}

/** Accepts a plain object of JSON-compatible values (what `structuredClone` and Talk can carry). */
export const jsonRecord: Validator<Record<string, JsonValue>> = make('object of JSON values', (v, p) => {
  if (!isRecord(v)) fail(p, 'object', v)
  checkJson(v, p, 0)
  return v as Record<string, JsonValue>
})

/** A value that survives `JSON.stringify` and `structuredClone` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

function checkJson(value: unknown, path: string, depth: number): void {
  if (depth > 16) fail(path, 'at most 16 levels of nesting', value)
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, 'finite number', value)
    return
  }
  if (Array.isArray(value)) return value.forEach((item, i) => checkJson(item, `${path}[${i}]`, depth + 1))
  if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) {
    for (const key in value) checkJson(value[key], `${path}.${key}`, depth + 1)
    return
  }
  fail(path, 'JSON value', value)
}
