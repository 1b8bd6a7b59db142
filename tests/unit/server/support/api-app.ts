import { readdirSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createApp, createRouter, send, setResponseHeader, setResponseStatus, toNodeListener } from 'h3'
import type { EventHandler, H3Error, RouterMethod } from 'h3'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll } from 'vitest'
import { DATABASE_CONTEXT_KEY } from '../../../../server/utils/api-database'
import type { DatabaseSchema } from '../../../../server/utils/database-schema'
import type { AppDatabase } from '../../../../server/utils/db'
import apiRequestsMiddleware from '../../../../server/middleware/15.api-requests'
import { startTestServer } from '../../../support/http'
import type { TestServer } from '../../../support/http'

/** The folder of the API's handler files. */
export const API_DIR = fileURLToPath(new URL('../../../../server/api', import.meta.url))

/** Every handler file below `dir`. */
export function apiFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? apiFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [])
}

/** Nitro's file routing: `api/contacts/[id].get.ts` -> GET /api/contacts/:id, `index` drops out. */
export function routeOf(file: string): { path: string, method: RouterMethod } {
  const parts = relative(API_DIR, file).replace(/\.ts$/, '').split(sep)
  const last = parts.pop()!
  const [name, method = 'get'] = last.split('.') as [string, RouterMethod | undefined]
  if (name !== 'index') parts.push(name)
  const path = `/api/${parts.map(part => part.replace(/^\[(\w+)\]$/, ':$1')).join('/')}`.replace(/\/$/, '')
  return { path, method }
}

/** Starts an HTTP server serving the real server/api handler files with their Nitro routes and the API request middleware, on `database`; `onError` sees every error answer. */
export async function startApiServer(database: () => Promise<AppDatabase>, { onError }: { onError?: (error: H3Error) => void } = {}): Promise<TestServer> {
  const app = createApp({
    // The body Nitro sends for an error on an /api route (its production JSON error handler), and its log line for an unhandled one.
    onError: async (error, event) => {
      const h3Error = error as H3Error
      onError?.(h3Error)
      if (h3Error.unhandled || h3Error.fatal) console.error(`[request error] [unhandled] [${event.method}] ${event.path}\n`, error)
      setResponseStatus(event, h3Error.statusCode, h3Error.statusMessage)
      setResponseHeader(event, 'content-type', 'application/json')
      const sensitive = h3Error.unhandled || h3Error.fatal
      await send(event, JSON.stringify({
        error: true,
        statusCode: h3Error.statusCode,
        statusMessage: h3Error.statusMessage,
        message: sensitive ? 'Server Error' : h3Error.message,
        data: sensitive ? undefined : h3Error.data,
      }))
    },
  })
  app.use((event) => {
    event.context[DATABASE_CONTEXT_KEY] = database
  })
  // The server's own request rules (cross-site writes, OPTIONS, HEAD, no-store), as Nitro runs them before the routes.
  app.use(apiRequestsMiddleware)
  const router = createRouter()
  // Static routes first, as Nitro's router prefers them over `:id` (/api/contacts/export).
  const routes = await Promise.all(apiFiles(API_DIR).map(async (file) => {
    const handler = (await import(pathToFileURL(file).href)).default as EventHandler
    return { ...routeOf(file), handler }
  }))
  routes.sort((a, b) => Number(a.path.includes(':')) - Number(b.path.includes(':')))
  for (const { path, method, handler } of routes) router.use(path, handler, method)
  app.use(router)
  return startTestServer(toNodeListener(app))
}

/** A running API server on one backend, for the tests of one `describe` block. */
export interface ApiSuite {
  /** Base URL of the server. */
  url: () => string
  /** The database the server uses (for direct checks and fault injection). */
  db: () => Kysely<DatabaseSchema>
  /** The same, with its engine (SQLite threads or the PostgreSQL pool). */
  app: () => AppDatabase
}

/** Opens a fresh database on `backend` and serves the API on it for the current `describe` block. */
export function useApiSuite(backend: { create: () => Promise<{ app: AppDatabase, drop: () => Promise<void> }> }): ApiSuite {
  let server: TestServer | undefined
  let app: AppDatabase | undefined
  let drop: (() => Promise<void>) | undefined
  beforeAll(async () => {
    ({ app, drop } = await backend.create())
    server = await startApiServer(async () => app!)
  })
  afterAll(async () => {
    await server?.close()
    await drop?.()
  })
  return { url: () => server!.url, db: () => app!.db, app: () => app! }
}
