import { badRequest, badRequestAll, fieldProblem } from './api-errors'
import type { FieldProblem } from './api-errors'
import { phoneProblem } from './phone'
import { textProblem } from './text-rules'

/** The editable fields of a contact, validated and trimmed (empty optional fields are `null`). */
export interface ContactInput {
  name: string
  phone: string
  company: string | null
  email: string | null
  notes: string | null
}

/** The longest accepted value of each field, in characters. */
export const CONTACT_FIELD_LIMITS = { name: 200, phone: 40, company: 200, email: 254, notes: 2000 } as const

type ContactField = keyof ContactInput

// Deliberately loose: one @, no spaces, a dot in the domain. Real validation is sending mail.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/

function readText(value: unknown, field: ContactField, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) throw badRequest(field, 'is required')
    return null
  }
  if (typeof value !== 'string') throw badRequest(field, 'must be a string')
  // Line ends arrive as CRLF from Windows files and forms; one form keeps exports and diffs stable.
  const text = value.replace(/\r\n?/g, '\n').trim()
  if (!text) {
    if (required) throw badRequest(field, 'is required')
    return null
  }
  if (text.length > CONTACT_FIELD_LIMITS[field]) throw badRequest(field, `must be at most ${CONTACT_FIELD_LIMITS[field]} characters`)
  // Control characters would corrupt CSV exports and confuse screen readers; notes may keep line breaks and tabs.
  const problem = textProblem(text, field === 'notes' ? 'multi-line' : 'single-line')
  if (problem) throw badRequest(field, problem)
  return text
}

function readField(body: Record<string, unknown>, field: ContactField): string | null {
  const text = readText(body[field], field, field === 'name' || field === 'phone')
  if (field === 'phone' && text !== null) {
    const problem = phoneProblem(text)
    if (problem) throw badRequest('phone', problem)
  }
  if (field === 'email' && text !== null && !EMAIL.test(text)) throw badRequest('email', 'is not an email address')
  return text
}

const FIELDS: ContactField[] = ['name', 'phone', 'company', 'email', 'notes']

function asRecord(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body', 'must be a JSON object')
  return body as Record<string, unknown>
}

/** Reads the given fields; throws one 400 naming every invalid one (`badRequestAll`). */
function readFields(record: Record<string, unknown>, fields: readonly ContactField[]): Partial<Record<ContactField, string | null>> {
  const values: Partial<Record<ContactField, string | null>> = {}
  const problems: FieldProblem[] = []
  for (const field of fields) {
    try {
      values[field] = readField(record, field)
    }
    catch (error) {
      const problem = fieldProblem(error)
      if (!problem) throw error
      problems.push(problem)
    }
  }
  if (problems.length) throw badRequestAll(problems)
  return values
}

/** Validates a whole contact (create, CSV row); throws a 400 naming every bad field (`data.field` is the first). Unknown keys are ignored. */
export function parseContactInput(body: unknown): ContactInput {
  const { name, phone, company, email, notes } = readFields(asRecord(body), FIELDS)
  return { name: name!, phone: phone!, company: company ?? null, email: email ?? null, notes: notes ?? null }
}

/** Validates an update: only the keys present are checked and returned (`null` clears an optional field). */
export function parseContactPatch(body: unknown): Partial<ContactInput> {
  const record = asRecord(body)
  const present = FIELDS.filter(field => Object.hasOwn(record, field))
  if (present.length === 0) throw badRequest('body', `must contain at least one of ${FIELDS.join(', ')}`)
  return readFields(record, present) as Partial<ContactInput>
}
