/** Direction of an event log entry: a command in, an event out, or a note from the simulator. */
export type LogKind = 'in' | 'out' | 'note'

/** How many entries the event log keeps; older ones are dropped. */
export const EVENT_LOG_LIMIT = 200

const pad = (n: number) => String(n).padStart(2, '0')

/** Shows a message as one line of JSON; tokens are masked so the log never shows a usable JWT. */
export function summarizeMessage(data: unknown): string {
  try {
    const json = JSON.stringify(data, (key, value: unknown) =>
      key === 'jwt' && typeof value === 'string' ? `${value.slice(0, 12)}… (hidden)` : value)
    return (json ?? String(data)).slice(0, 400)
  }
  catch {
    return `(${typeof data} that is not JSON)`
  }
}

/** A bounded, newest-first list rendered as text into `list`. */
export function createEventLog(list: HTMLElement, now: () => number = Date.now) {
  return {
    /** Adds one entry at the top and drops the oldest beyond the limit. */
    add(kind: LogKind, text: string) {
      const time = new Date(now())
      const item = document.createElement('li')
      item.className = `log-${kind}`
      const stamp = document.createElement('time')
      stamp.textContent = `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`
      const label = document.createElement('span')
      label.className = 'log-kind'
      label.textContent = kind === 'in' ? '← in' : kind === 'out' ? '→ out' : '• note'
      const body = document.createElement('span')
      body.className = 'log-text'
      body.textContent = text
      item.append(stamp, label, body)
      list.prepend(item)
      while (list.childElementCount > EVENT_LOG_LIMIT) list.lastElementChild?.remove()
    },
  }
}
