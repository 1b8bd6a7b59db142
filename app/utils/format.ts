/** Formats a number of seconds as a call timer, `mm:ss` (or `h:mm:ss` past an hour). */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '00:00'
  const total = Math.floor(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = String(m).padStart(2, '0')
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** Formats epoch milliseconds as a short local date and time for tables and timelines. */
export function formatDateTime(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—'
  return dateTime.format(new Date(ms))
}

/** Formats epoch milliseconds as an ISO-like local timestamp for CSV files ("yyyy-mm-dd hh:mm:ss"). */
export function formatCsvTime(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return ''
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/** The agent statuses the store derives, in the words an agent reads in the header. */
export const statusLabels = {
  'offline': 'Offline',
  'available': 'Available',
  'unavailable': 'Unavailable',
  'ringing': 'Ringing',
  'in-call': 'In call',
  'wrap-up': 'Wrap-up',
} as const

/** A status the store can report. */
export type AgentStatus = keyof typeof statusLabels

/** Returns the header label of an agent status. */
export function statusLabel(status: AgentStatus): string {
  return statusLabels[status] ?? 'Offline'
}

/** Words for a call direction in tables. */
export function directionLabel(direction: 'in' | 'out' | null | undefined): string {
  if (direction === 'in') return 'Inbound'
  if (direction === 'out') return 'Outbound'
  return '—'
}

/** Words for a call phase in the active-call panel. */
export function phaseLabel(phase: 'ringing' | 'connected' | 'wrap-up'): string {
  return phase === 'connected' ? 'Connected' : phase === 'ringing' ? 'Ringing' : 'Wrap-up'
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayAndClock = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })

/** Formats a call's time compactly for the log: "Today 14:05" or "Nov 24, 14:05". */
export function formatCallTime(ms: number | null | undefined, now = Date.now()): string {
  if (ms == null || !Number.isFinite(ms)) return '—'
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString()
  return sameDay ? `Today ${clock.format(ms)}` : dayAndClock.format(ms)
}

/** Words for why a call was lost before Talk completed it. */
export function interruptionLabel(reason: 'page-closed' | 'frame-reloaded' | 'logged-out' | 'talk-restarted'): string {
  switch (reason) {
    case 'page-closed': return 'the page with Talk was closed or reloaded'
    case 'frame-reloaded': return 'Talk reloaded'
    case 'logged-out': return 'Talk logged out'
    case 'talk-restarted': return 'Talk started a new session'
  }
}

/** One line about an earlier call: "Today 14:05, inbound, not answered". */
export function describeLastCall(call: { at: number | null, direction: 'in' | 'out' | null, answered: boolean, duration: number | null }): string {
  const outcome = call.answered ? `answered, ${formatDuration(call.duration)}` : call.direction === 'in' ? 'missed' : 'not answered'
  return `${formatCallTime(call.at)}, ${directionLabel(call.direction).toLowerCase()}, ${outcome}`
}
