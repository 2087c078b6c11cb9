// A stock y-websocket@2.1.0 WebsocketProvider (Node, `ws` as the WebSocket), driven over stdin/stdout as JSON lines.
// Used by Quire's server tests to prove that an unmodified Yjs client can sync with Quire's server.
//
//   node provider-client.mjs --url ws://127.0.0.1:PORT/sync --doc DOC_ID [--ticket T] [--name CLAIMED_NAME]
//
// stdin commands (one JSON object per line):
//   {"op":"insert","index":0,"text":"hi"}        insert into Y.Text "text"
//   {"op":"text"}                                  -> {"text": "..."}
//   {"op":"waitText","text":"..."}                 -> {"text": "..."} once the text equals it
//   {"op":"awareness"}                             -> {"awareness": [{"clientId":..,"state":{..}}, ...]}
//   {"op":"waitAwareness","count":2}               -> same, once at least `count` states are known
//   {"op":"close"}                                 -> exits
// stdout events: {"event":"ready","clientId":..} (first line: this client's Yjs client id), {"event":"status","status":..},
//   {"event":"synced"}, {"event":"close","code":..,"reason":..}
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'
import readline from 'node:readline'

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]])
  return acc
}, []))

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const doc = new Y.Doc()
const text = doc.getText('text')
const params = args.ticket ? { ticket: args.ticket } : {}
const provider = new WebsocketProvider(args.url, args.doc, doc, {
  WebSocketPolyfill: WebSocket,
  params,
  disableBc: true,
  maxBackoffTime: 60000
})
out({ event: 'ready', clientId: doc.clientID })
provider.awareness.setLocalStateField('user', { name: args.name || 'claimed-by-client', id: 'claimed-id' })
provider.on('status', (e) => out({ event: 'status', status: e.status }))
provider.on('sync', (synced) => { if (synced) out({ event: 'synced' }) })
provider.on('connection-close', (e) => {
  out({ event: 'close', code: e ? e.code : null, reason: e ? String(e.reason || '') : null })
  // A refused connection would be retried with the same (used) ticket forever; the test decides what is next.
  if (e && e.code === 1008) provider.shouldConnect = false
})

const awarenessList = () => [...provider.awareness.getStates().entries()].map(([clientId, state]) => ({ clientId, state }))
const waiters = []
const check = () => {
  for (let i = waiters.length - 1; i >= 0; i--) {
    if (waiters[i].done()) { waiters[i].reply(); waiters.splice(i, 1) }
  }
}
text.observe(check)
provider.awareness.on('change', check)

const rl = readline.createInterface({ input: process.stdin })
rl.on('line', (line) => {
  if (!line.trim()) return
  const cmd = JSON.parse(line)
  switch (cmd.op) {
    case 'insert': text.insert(cmd.index, cmd.text); out({ ok: true }); break
    case 'text': out({ text: text.toString() }); break
    case 'waitText':
      waiters.push({ done: () => text.toString() === cmd.text, reply: () => out({ text: text.toString() }) }); check(); break
    case 'awareness': out({ awareness: awarenessList() }); break
    case 'waitAwareness':
      waiters.push({ done: () => provider.awareness.getStates().size >= cmd.count, reply: () => out({ awareness: awarenessList() }) }); check(); break
    case 'close': provider.destroy(); out({ closed: true }); process.exit(0); break
    default: out({ error: 'unknown op ' + cmd.op })
  }
})
rl.on('close', () => { provider.destroy(); process.exit(0) })
