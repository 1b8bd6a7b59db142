import { defineEventHandler, getRouterParam } from 'h3'
import { badRequest, notFound } from '../../../utils/api-errors'
import { useApiDatabase } from '../../../utils/api-database'
import { MAX_NOTE, setCallNote } from '../../../utils/calls'
import { readJsonBody } from '../../../utils/http-body'
import { textProblem } from '../../../utils/text-rules'

/** PUT /api/calls/:id/note `{ note }` (`null` or empty clears it): the call with its note; 404 for a call the server does not have. */
export default defineEventHandler(async (event) => {
  const id = getRouterParam(event, 'id') ?? ''
  if (!/^\d{1,16}$/.test(id) || !Number.isSafeInteger(Number(id))) throw notFound(`No call with id ${JSON.stringify(id.slice(0, 40))}`)
  const body = await readJsonBody(event)
  const value = (body as { note?: unknown } | null)?.note
  if (value !== null && typeof value !== 'string') throw badRequest('note', 'must be a string or null')
  // Read like a contact's notes: one form of line end (CRLF and CR become LF), trimmed; line breaks and tabs belong in a note.
  const note = value?.replace(/\r\n?/g, '\n').trim() || null
  if (note && note.length > MAX_NOTE) throw badRequest('note', `must be at most ${MAX_NOTE} characters`)
  const problem = note && textProblem(note, 'multi-line')
  if (problem) throw badRequest('note', problem)
  const call = await setCallNote((await useApiDatabase(event)).db, Number(id), note)
  if (!call) throw notFound(`No call with id ${id} on the server yet`)
  return call
})
