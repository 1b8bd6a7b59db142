/**
 * The API's routes and the methods each answers, so OPTIONS can list them (`Allow`) and an
 * unsupported method gets 405 instead of a 404. It mirrors the files in `server/api/`
 * (`tests/unit/server/api-routes.test.ts` fails when the two disagree).
 */

/** An HTTP method an API route answers. */
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** Every API route (Nitro's `:param` syntax) with its methods; static routes win over `:id`, as in Nitro's router. */
export const API_ROUTES: Readonly<Record<string, readonly ApiMethod[]>> = {
  '/api/health': ['GET'],
  '/api/health/ready': ['GET'],
  '/api/contacts': ['GET', 'POST'],
  '/api/contacts/import': ['POST'],
  '/api/contacts/export': ['GET'],
  '/api/contacts/lookup': ['GET'],
  '/api/contacts/:id': ['GET', 'PUT', 'DELETE'],
  '/api/calls': ['GET', 'POST'],
  '/api/calls/batch': ['POST'],
  '/api/calls/:id/note': ['PUT'],
  '/api/sms': ['POST'],
}

const compiled = Object.entries(API_ROUTES)
  .map(([route, methods]) => ({ pattern: new RegExp(`^${route.replace(/:\w+/g, '[^/]+')}/?$`), methods, dynamic: route.includes(':') }))
  .sort((a, b) => Number(a.dynamic) - Number(b.dynamic))

/** The methods the route at `path` (query allowed) answers, or `null` when no API route has that path. */
export function apiRouteMethods(path: string): readonly ApiMethod[] | null {
  const pathname = path.split('?')[0] ?? ''
  return compiled.find(route => route.pattern.test(pathname))?.methods ?? null
}

/** The `Allow` header of a route: its methods, HEAD with GET, and OPTIONS. */
export function allowHeader(methods: readonly ApiMethod[]): string {
  return [...methods.flatMap(method => method === 'GET' ? ['GET', 'HEAD'] : [method]), 'OPTIONS'].join(', ')
}
