import { defineEventHandler } from 'h3'
import { useApiDatabase } from '../../utils/api-database'
import { listCalls } from '../../utils/calls'
import { queryString, readChoice, readPaging } from '../../utils/query-params'

/** GET /api/calls?limit=&offset=&direction=in|out&answered=true|false&q=: calls newest first. */
export default defineEventHandler(async (event) => {
  const direction = readChoice(event, 'direction', ['in', 'out'] as const)
  const answered = readChoice(event, 'answered', ['true', 'false'] as const)
  const q = queryString(event, 'q')?.slice(0, 200)
  return listCalls((await useApiDatabase(event)).db, {
    ...readPaging(event),
    direction,
    answered: answered === undefined ? undefined : answered === 'true',
    q,
  })
})
