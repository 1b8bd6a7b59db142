import { defineEventHandler } from 'h3'
import { badRequest } from '../../utils/api-errors'
import { useApiDatabase } from '../../utils/api-database'
import { lookupCaller } from '../../utils/caller-lookup'
import { queryString } from '../../utils/query-params'

/** GET /api/contacts/lookup?number=: the contact a number belongs to (any format), its display form and the last call. */
export default defineEventHandler(async (event) => {
  const number = queryString(event, 'number')
  if (number === undefined) throw badRequest('number', 'is required')
  return lookupCaller((await useApiDatabase(event)).db, number)
})
