// The DevTools tab: a small same-origin page that listens on the BroadcastChannel the app's
// client plugin feeds. Everything is rendered with textContent: Talk payloads are untrusted.
/** The DevTools tab's page: one static document, served in dev only. */
export const DEVTOOLS_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LeadDesk Talk</title>
<style>body{font:13px system-ui,sans-serif;margin:12px;color:#222}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:2px 8px;border-bottom:1px solid #eee}code{font-size:12px}</style>
</head><body>
<h1>LeadDesk Talk</h1>
<p>Status: <strong id="status">waiting for the app…</strong></p>
<pre id="state" aria-label="Store state"></pre>
<h2>Message log</h2>
<table><thead><tr><th>Time</th><th>Dir</th><th>Action</th><th>Note</th></tr></thead><tbody id="log"></tbody></table>
<script>
const channel = new BroadcastChannel('nuxt-leaddesk-talk-devtools')
channel.onmessage = (event) => {
  if (!event.data || event.data.type !== 'snapshot') return
  const s = event.data.snapshot
  document.getElementById('status').textContent = s.status
  const { debugLog, ...rest } = s
  document.getElementById('state').textContent = JSON.stringify(rest, null, 2)
  const body = document.getElementById('log')
  body.replaceChildren(...debugLog.map((line) => {
    const row = document.createElement('tr')
    for (const text of [new Date(line.at).toLocaleTimeString(), line.direction, line.action, line.note || '']) {
      const cell = document.createElement('td')
      cell.textContent = text
      row.append(cell)
    }
    return row
  }))
}
channel.postMessage({ type: 'hello' })
</script>
</body></html>`
