/**
 * `npm run simulator`: serves the LeadDesk Talk simulator on http://127.0.0.1:4400/
 * (PORT and HOST override) for developing a Talk integration without a LeadDesk account.
 */
import { startSimulatorServer } from '../simulator/server'

const port = Number(process.env.PORT ?? 4400)
const host = process.env.HOST ?? '127.0.0.1'

const server = await startSimulatorServer({ host, port })

console.log(`LeadDesk Talk simulator: ${server.url}`)
console.log(`  auto-login:      ${server.url}?agent=Alice&lang=en`)
console.log(`  callee answers:  ${server.url}?agent=Alice&answerAfter=2000`)
console.log(`  JWKS (dev key):  ${server.url}jwks.json`)
console.log('')
console.log('Embed it like Talk, and trust its origin:')
console.log(`  <iframe id="LD_talk" allow="microphone *" src="${server.url}" width="400" height="800"></iframe>`)
console.log(`  allowedOrigins: ['${server.origin}']`)
console.log('')
console.log('Press Ctrl+C to stop.')

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0))
  })
}
