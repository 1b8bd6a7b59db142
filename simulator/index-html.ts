// Styles are inline so the page is one document plus one script; sized for Talk's 400x800 frame.
const STYLES = `
*{box-sizing:border-box}
[hidden]{display:none!important}
html,body{margin:0;height:100%}
body{font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;background:#eef1f5}
#app{display:flex;flex-direction:column;gap:6px;height:100%;padding:0 8px 8px}
.bar{display:flex;align-items:center;justify-content:space-between;margin:0 -8px;padding:8px 10px;background:#14324f;color:#fff}
h1{font-size:15px;margin:0}
h2{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#5b6b7c;margin:0 0 4px}
.status{font-size:12px;font-weight:600;padding:2px 8px;border-radius:10px;background:#6b7785}
.status[data-kind=idle]{background:#1f8f4e}.status[data-kind=unavailable]{background:#b0541b}
.status[data-kind=ringing-out],.status[data-kind=ringing-in]{background:#c08a00}
.status[data-kind=connected]{background:#1565c0}.status[data-kind=wrap-up]{background:#6a4fb3}
.card{background:#fff;border:1px solid #d5dce4;border-radius:6px;padding:7px 9px}
.row{display:flex;align-items:center;justify-content:space-between;gap:8px}
.agent{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
label{display:block;font-weight:600;margin:4px 0 2px}
input,select,textarea{width:100%;font:inherit;padding:4px 6px;border:1px solid #b7c2cd;border-radius:4px;background:#fff}
input:disabled{background:#eceff2;color:#7b8794}
textarea{resize:vertical}
.inline{display:flex;gap:6px}.inline input{flex:1;min-width:0}.inline button{white-space:nowrap}
.actions{display:flex;flex-wrap:wrap;gap:5px;margin-top:6px}
button{font:inherit;padding:4px 10px;border-radius:4px;border:1px solid #97a6b5;background:#f6f8fa;cursor:pointer}
button:disabled{opacity:.5;cursor:default}
button.primary{background:#1f8f4e;border-color:#1f8f4e;color:#fff}
button.danger{background:#c62828;border-color:#c62828;color:#fff}
button.customer{border-style:dashed}
.call-line{margin:0;font-weight:600}
.hint{margin:4px 0 0;color:#b0541b;font-size:12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:1px 8px;margin:0}
dt{color:#5b6b7c}dd{margin:0;overflow-wrap:anywhere}
.log-card{flex:1;min-height:120px;display:flex;flex-direction:column}
.log{list-style:none;margin:0;padding:0;overflow:auto;flex:1;font:11px/1.3 ui-monospace,Menlo,Consolas,monospace}
.log li{display:grid;grid-template-columns:auto auto 1fr;gap:6px;padding:2px 0;border-bottom:1px solid #eef1f5}
.log time{color:#7b8794}.log-kind{font-weight:700}
.log-in .log-kind{color:#1565c0}.log-out .log-kind{color:#1f8f4e}.log-note .log-kind{color:#7b8794}
.log-text{overflow-wrap:anywhere}
`

/** The simulator's HTML document; asset URLs are relative so it works under any base path. */
export const SIMULATOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LeadDesk Talk simulator</title>
<style>${STYLES}</style>
<script src="./simulator.js" defer></script>
</head>
<body>
<main id="app"></main>
</body>
</html>
`
