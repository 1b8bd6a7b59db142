import type { H3Event } from 'h3'
import { useAppDatabase } from './db'
import type { AppDatabase } from './db'

/** The `event.context` key through which a test server hands the handlers its own database. */
export const DATABASE_CONTEXT_KEY = 'leaddeskTalkDatabase'

/** The database for this request: the one in `event.context` (tests), else the process-wide one. */
export function useApiDatabase(event: H3Event): Promise<AppDatabase> {
  const provided = event.context[DATABASE_CONTEXT_KEY] as (() => Promise<AppDatabase>) | undefined
  return provided ? provided() : useAppDatabase()
}
