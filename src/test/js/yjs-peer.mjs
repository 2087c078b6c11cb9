#!/usr/bin/env node
// Long-running Yjs peer for Quire's interop tests.
//
// Protocol: one JSON request per line on stdin, exactly one JSON reply line on stdout per request
// (in request order). Every reply echoes the request's "id". Failures reply {"id":..,"error":"message"}
// and never end the loop. See README.md in this folder for the full protocol.
//
// stdout carries the protocol only; anything else (console.log from libraries, diagnostics) goes to stderr.

import * as Y from 'yjs'
import readline from 'node:readline'
import { fromB64, toB64, replacer } from './codec.mjs'
import { runScript } from './steps.mjs'

// Keep stdout clean for the protocol.
console.log = (...args) => console.error(...args)
console.info = (...args) => console.error(...args)

/** transaction origin of applied remote updates */
const REMOTE = Symbol('remote')

/** @type {Map<string, Y.Doc>} */
const docs = new Map()

// ---------------------------------------------------------------------------------------------
// helpers

const getDoc = (name) => {
  if (typeof name !== 'string') throw new Error('missing "doc"')
  const d = docs.get(name)
  if (d === undefined) throw new Error('unknown doc: ' + name)
  return d
}

const rootName = (req) => {
  if (typeof req.name !== 'string') throw new Error('missing "name"')
  return req.name
}

// ---------------------------------------------------------------------------------------------
// request handlers: each returns the reply object (without id)

const handlers = {
  ping: () => ({ pong: true, yjs: '13.6.33' }),

  new: (req) => {
    if (typeof req.doc !== 'string') throw new Error('missing "doc"')
    const gc = req.gc === undefined ? true : !!req.gc
    const doc = new Y.Doc({ gc })
    if (req.clientId !== undefined) {
      const cid = typeof req.clientId === 'string' ? Number(req.clientId) : req.clientId
      if (!Number.isSafeInteger(cid) || cid < 0) throw new Error('clientId must be a non-negative safe integer')
      doc.clientID = cid
    }
    if (req.roots != null) {
      // Instantiate root types now ({"name": "text"|"map"|"array"}), as a Java doc would on getText(name) etc.
      for (const [name, kind] of Object.entries(req.roots)) {
        if (kind === 'text') doc.getText(name)
        else if (kind === 'map') doc.getMap(name)
        else if (kind === 'array') doc.getArray(name)
        else throw new Error('unknown root kind: ' + kind)
      }
    }
    const old = docs.get(req.doc)
    if (old !== undefined) old.destroy()
    docs.set(req.doc, doc)
    return { clientId: doc.clientID }
  },

  apply: (req) => {
    const doc = getDoc(req.doc)
    const update = fromB64(req.update)
    // Yjs may follow a remote Y.Text change with a local formatting-cleanup transaction
    // (YText.js cleanupYTextAfterTransaction); its updates are returned as "emitted".
    const emitted = []
    const onUpdate = (u, origin) => { if (origin !== REMOTE) emitted.push(toB64(u)) }
    doc.on('update', onUpdate)
    try {
      Y.applyUpdate(doc, update, REMOTE)
    } finally {
      doc.off('update', onUpdate)
    }
    // pending: some structs or deletes could not be integrated yet (missing dependencies).
    return { pending: doc.store.pendingStructs !== null || doc.store.pendingDs !== null, emitted }
  },

  encode: (req) => {
    const doc = getDoc(req.doc)
    const sv = req.sv == null ? undefined : fromB64(req.sv)
    return { update: toB64(Y.encodeStateAsUpdate(doc, sv)) }
  },

  sv: (req) => ({ sv: toB64(Y.encodeStateVector(getDoc(req.doc))) }),

  text: (req) => {
    const ytext = getDoc(req.doc).getText(rootName(req))
    return { text: ytext.toString(), delta: ytext.toDelta() }
  },

  map: (req) => ({ json: getDoc(req.doc).getMap(rootName(req)).toJSON() }),

  array: (req) => ({ json: getDoc(req.doc).getArray(rootName(req)).toJSON() }),

  script: (req) => {
    const doc = getDoc(req.doc)
    if (!Array.isArray(req.steps)) throw new Error('"steps" must be an array')
    const updates = []
    try {
      runScript(doc, req.steps, (u) => { updates.push(toB64(u)) })
    } catch (e) {
      e.partialUpdates = updates
      throw e
    }
    return { updates }
  },

  mergeUpdates: (req) => {
    if (!Array.isArray(req.updates)) throw new Error('"updates" must be an array')
    return { update: toB64(Y.mergeUpdates(req.updates.map(fromB64))) }
  },

  diffUpdate: (req) => ({ update: toB64(Y.diffUpdate(fromB64(req.update), fromB64(req.sv))) }),

  svFromUpdate: (req) => ({ sv: toB64(Y.encodeStateVectorFromUpdate(fromB64(req.update))) }),

  free: (req) => {
    const d = docs.get(req.doc)
    if (d !== undefined) { d.destroy(); docs.delete(req.doc) }
    return { ok: true }
  },

  exit: () => ({ ok: true })
}

// ---------------------------------------------------------------------------------------------
// main loop

const write = (obj, cb) => {
  let line
  try {
    line = JSON.stringify(obj, replacer)
  } catch (e) {
    line = JSON.stringify({ id: obj.id, error: 'cannot serialize reply: ' + e.message })
  }
  process.stdout.write(line + '\n', cb)
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false })

let exiting = false
rl.on('line', (line) => {
  if (exiting) return
  if (line.trim() === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (e) {
    write({ id: null, error: 'invalid JSON: ' + e.message })
    return
  }
  const id = req !== null && typeof req === 'object' && 'id' in req ? req.id : null
  try {
    if (req === null || typeof req !== 'object' || Array.isArray(req)) throw new Error('request must be a JSON object')
    const h = Object.prototype.hasOwnProperty.call(handlers, req.op) ? handlers[req.op] : undefined
    if (h === undefined) throw new Error('unknown op: ' + req.op)
    const reply = h(req)
    if (req.op === 'exit') {
      exiting = true
      rl.close()
      write({ id, ...reply }, () => process.exit(0))
      return
    }
    write({ id, ...reply })
  } catch (e) {
    const reply = { id, error: (e && e.message) ? e.message : String(e) }
    if (e && e.partialUpdates) reply.updates = e.partialUpdates
    write(reply)
  }
})
rl.on('close', () => {
  if (!exiting) process.exit(0)
})

process.on('uncaughtException', (e) => {
  // Should not happen (every request is guarded), but never die silently mid-protocol.
  console.error('yjs-peer: uncaught exception:', e)
})
