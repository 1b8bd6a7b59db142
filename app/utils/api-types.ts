/** A contact as the dashboard API returns it. */
export interface Contact {
  id: number
  name: string
  phone: string
  /** The phone as every number is shown (international format where it can be placed). */
  phoneDisplay: string
  company: string | null
  email: string | null
  notes: string | null
  createdAt: string
  updatedAt: string
}

/** Fields an agent edits in the contact form. */
export interface ContactInput {
  name: string
  phone: string
  company: string
  email: string
  notes: string
}

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[]
  total: number
  /** `true` when a contact search has more hits than `total` (it counts up to 10,000). */
  totalCapped?: boolean
  limit?: number
  offset?: number
}

/** One entry of a contact's timeline, as the server returns it: a call or an SMS, with its sort time (ISO 8601). */
export type TimelineEntry
  = | { kind: 'call', at: string, call: Record<string, unknown> }
    | { kind: 'sms', at: string, sms: { id: number, text: string, sentAt: string, callId: number | null } }

/** A contact with its call and SMS timeline, newest first. */
export interface ContactWithTimeline extends Contact {
  timeline: TimelineEntry[]
}

/** What the CSV import endpoint answers; `encoding` is what the server read the file's bytes as. */
export interface ImportResult {
  imported: number
  errors: { line: number, field: string, reason: string }[]
  encoding?: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252'
}

/** What `GET /api/contacts/lookup?number=` answers: the number as shown, its contact and the last call with them. */
export interface CallerLookup {
  number: { e164: string | null, display: string }
  contact: Contact | null
  lastCall: Record<string, unknown> | null
}

/** The body of an API error response. */
export interface ApiErrorBody {
  statusCode: number
  message: string
  /** For a 400: the first invalid field, and `problems`, every one of them. */
  data?: { field?: string, reason?: string, problems?: { field: string, reason: string }[] }
}

/** What `POST /api/calls/batch` answers for one call, in the order the calls were sent. */
export type CallBatchResult
  = | { id: number, status: 'created' | 'exists' }
    | { id: number | null, status: 'refused', field: string, reason: string }
