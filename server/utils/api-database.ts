import type { Database } from 'db0'
import type { H3Event } from 'h3'
import { useAppDatabase } from './db'

/** The `event.context` key through which a test server hands the handlers its own database. */
export const DATABASE_CONTEXT_KEY = 'leaddeskTalkDatabase'

/** The database for this request: the one in `event.context` (tests), else the process-wide one. */
export function useApiDatabase(event: H3Event): Promise<Database> {
  const provided = event.context[DATABASE_CONTEXT_KEY] as (() => Promise<Database>) | undefined
  return provided ? provided() : useAppDatabase()
}
