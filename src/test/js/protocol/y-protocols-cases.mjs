#!/usr/bin/env node
// The real y-protocols (pinned in ../package.json) as the reference for dev.quire.protocol: encodes messages with
// y-protocols' own writers and y-websocket 2.1.0's framing, reads frames that Quire wrote with y-protocols' own
// readers, and runs awareness merge scripts on a real Awareness. Run by dev.quire.protocol.YProtocolsInteropTest.
//
// One batch per run: a JSON object on stdin, a JSON object on stdout (diagnostics go to stderr).
//   {"encode":[case…], "decode":[{"frame":B64,"doc":B64?}…], "awareness":[{"localClient":n,"steps":[…]}…]}
// → {"yProtocols":"1.0.7", "encoded":[B64…], "decoded":[result…], "awareness":[[snapshot…]…]}
// Byte arrays are standard base64; awareness states are JSON text (null = removed). See README.md in this folder.

import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as authProtocol from 'y-protocols/auth'
import * as awarenessProtocol from 'y-protocols/awareness'
import { readFileSync } from 'node:fs'
import { fromB64, toB64 } from '../codec.mjs'

console.log = (...args) => console.error(...args)

// y-websocket@2.1.0 src/y-websocket.js
const messageSync = 0
const messageAwareness = 1
const messageAuth = 2
const messageQueryAwareness = 3
// Quire's own messages (dev.quire.protocol.ProtocolCodec): not part of y-protocols, written here with the same
// lib0 primitives, as a JavaScript client of Quire's subprotocol would
const messageQuire = 81
const quireAuthOk = 0
const quireRenew = 1
const quireAck = 2
const quireError = 3

const REMOTE = 'remote'

const docFrom = (b64) => {
  const doc = new Y.Doc()
  if (b64 != null) Y.applyUpdate(doc, fromB64(b64))
  return doc
}

/** A raw awareness update (awareness.js's layout) for entries {client, clock, state: JSON text | null}. */
const rawAwarenessUpdate = (entries) => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const { client, clock, state } of entries) {
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, state === null ? 'null' : state)
  }
  return encoding.toUint8Array(e)
}

const encodeCase = (c) => {
  const e = encoding.createEncoder()
  switch (c.kind) {
    case 'syncStep1':
      encoding.writeVarUint(e, messageSync)
      syncProtocol.writeSyncStep1(e, docFrom(c.doc))
      break
    case 'syncStep2':
      encoding.writeVarUint(e, messageSync)
      syncProtocol.writeSyncStep2(e, docFrom(c.doc), fromB64(c.sv))
      break
    case 'syncUpdate':
      encoding.writeVarUint(e, messageSync)
      syncProtocol.writeUpdate(e, fromB64(c.update))
      break
    case 'awareness': {
      // awareness.js encodeAwarenessUpdate reads clocks from meta and states from the Awareness, and writes
      // JSON.stringify(state): set those directly, for clients other than the Awareness's own
      const doc = new Y.Doc()
      const awareness = new awarenessProtocol.Awareness(doc)
      awareness.setLocalState(null)
      for (const { client, clock, state } of c.entries) {
        awareness.meta.set(client, { clock, lastUpdated: 0 })
        if (state === null) awareness.states.delete(client)
        else awareness.states.set(client, JSON.parse(state))
      }
      encoding.writeVarUint(e, messageAwareness)
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, c.entries.map(x => x.client)))
      awareness.destroy()
      break
    }
    case 'queryAwareness':
      encoding.writeVarUint(e, messageQueryAwareness)
      break
    case 'permissionDenied':
      encoding.writeVarUint(e, messageAuth)
      authProtocol.writePermissionDenied(e, c.reason)
      break
    case 'authOk':
      encoding.writeVarUint(e, messageQuire)
      encoding.writeVarUint(e, quireAuthOk)
      encoding.writeVarString(e, c.userId)
      encoding.writeVarUint(e, c.expiresAt)
      break
    case 'renew':
      encoding.writeVarUint(e, messageQuire)
      encoding.writeVarUint(e, quireRenew)
      encoding.writeVarString(e, c.token)
      break
    case 'ack':
      encoding.writeVarUint(e, messageQuire)
      encoding.writeVarUint(e, quireAck)
      encoding.writeVarUint(e, c.client)
      encoding.writeVarUint(e, c.clock)
      break
    case 'error':
      encoding.writeVarUint(e, messageQuire)
      encoding.writeVarUint(e, quireError)
      encoding.writeVarString(e, c.code)
      encoding.writeVarString(e, c.message)
      break
    default:
      throw new Error('unknown case kind: ' + c.kind)
  }
  return toB64(encoding.toUint8Array(e))
}

/** Reads a frame the way y-websocket's message handlers do, reporting what they saw. */
const decodeCase = ({ frame, doc: docB64 }) => {
  const bytes = fromB64(frame)
  const decoder = decoding.createDecoder(bytes)
  const type = decoding.readVarUint(decoder)
  const out = { type }
  switch (type) {
    case messageSync: {
      // the fields, then the real readSyncMessage on the same bytes, with y-websocket's reply framing
      out.syncType = decoding.readVarUint(decoder)
      out.payload = toB64(decoding.readVarUint8Array(decoder))
      const doc = docFrom(docB64)
      const reply = encoding.createEncoder()
      encoding.writeVarUint(reply, messageSync)
      const again = decoding.createDecoder(bytes)
      decoding.readVarUint(again)
      let applyError = null
      syncProtocol.readSyncMessage(again, reply, doc, REMOTE, (err) => { applyError = String(err) })
      out.reply = encoding.length(reply) > 1 ? toB64(encoding.toUint8Array(reply)) : null
      out.docAfter = toB64(Y.encodeStateAsUpdate(doc))
      out.applyError = applyError
      break
    }
    case messageAwareness: {
      const update = decoding.readVarUint8Array(decoder)
      const d = decoding.createDecoder(update)
      const len = decoding.readVarUint(d)
      out.entries = []
      for (let i = 0; i < len; i++) {
        const client = decoding.readVarUint(d)
        const clock = decoding.readVarUint(d)
        const state = JSON.parse(decoding.readVarString(d))
        out.entries.push({ client, clock, state: state === null ? null : JSON.stringify(state) })
      }
      // awareness.js's own reader and writer: what a stock server relays
      out.reencoded = toB64(awarenessProtocol.modifyAwarenessUpdate(update, s => s))
      break
    }
    case messageAuth:
      authProtocol.readAuthMessage(decoder, new Y.Doc(), (_y, reason) => { out.reason = reason })
      break
    case messageQueryAwareness:
      break
    case messageQuire: {
      const sub = decoding.readVarUint(decoder)
      out.sub = sub
      if (sub === quireAuthOk) {
        out.userId = decoding.readVarString(decoder)
        out.expiresAt = decoding.readVarUint(decoder)
      } else if (sub === quireRenew) {
        out.token = decoding.readVarString(decoder)
      } else if (sub === quireAck) {
        out.client = decoding.readVarUint(decoder)
        out.clock = decoding.readVarUint(decoder)
      } else if (sub === quireError) {
        out.code = decoding.readVarString(decoder)
        out.message = decoding.readVarString(decoder)
      }
      break
    }
  }
  out.leftOver = decoding.hasContent(decoder) ? bytes.length - decoder.pos : 0
  return out
}

/** Runs awareness steps on a real Awareness; one snapshot (events, states, clocks) per step. */
const awarenessScript = ({ localClient, steps }) => {
  const doc = new Y.Doc()
  doc.clientID = localClient
  const awareness = new awarenessProtocol.Awareness(doc) // sets {} at clock 0, like setLocalState("{}")
  let events = {}
  awareness.on('update', ({ added, updated, removed }) => { events.update = { added, updated, removed } })
  awareness.on('change', ({ added, updated, removed }) => { events.change = { added, updated, removed } })
  const snapshots = []
  for (const step of steps) {
    events = {}
    switch (step.op) {
      case 'apply':
        awarenessProtocol.applyAwarenessUpdate(awareness, rawAwarenessUpdate(step.entries), REMOTE)
        break
      case 'setLocal':
        awareness.setLocalState(step.state === null ? null : JSON.parse(step.state))
        break
      case 'remove':
        awarenessProtocol.removeAwarenessStates(awareness, step.clients, REMOTE)
        break
      default:
        throw new Error('unknown awareness step: ' + step.op)
    }
    const states = {}
    awareness.getStates().forEach((state, client) => { states[client] = JSON.stringify(state) })
    const clocks = {}
    awareness.meta.forEach((m, client) => { clocks[client] = m.clock })
    snapshots.push({ events, states, clocks })
  }
  events = {} // destroy() removes the local state: not part of the last step
  awareness.destroy()
  return snapshots
}

const input = JSON.parse(readFileSync(0, 'utf8'))
const pkg = JSON.parse(readFileSync(new URL('../node_modules/y-protocols/package.json', import.meta.url), 'utf8'))
const result = {
  yProtocols: pkg.version,
  encoded: (input.encode ?? []).map(encodeCase),
  decoded: (input.decode ?? []).map(decodeCase),
  awareness: (input.awareness ?? []).map(awarenessScript)
}
// Awareness instances keep an interval until destroyed: exit once the result is written, in case one is left
process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0))
