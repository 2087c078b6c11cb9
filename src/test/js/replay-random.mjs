#!/usr/bin/env node
// Reference consumer / self-test: replays random-edits.mjs output through a yjs-peer.mjs child process, using only
// the stdin/stdout protocol (as the Java YjsPeer does), and checks every update and every "check" state.
//
//   node replay-random.mjs [--seed N] [--peers N] [--ops N] [--gc true|false] [--rich] [--no-format] [--seeds K]
//                          [--no-roots]   (do not pre-instantiate root types: demonstrates the Yjs quirk, see README)
//   node random-edits.mjs ... > x.json && node replay-random.mjs --file x.json
//
// Exit code 0 when everything matched.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import readline from 'node:readline'
import { generate } from './random-edits.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))

class Peer {
  constructor () {
    this.proc = spawn(process.execPath, [path.join(here, 'yjs-peer.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] })
    this.nextId = 1
    this.waiting = new Map()
    readline.createInterface({ input: this.proc.stdout }).on('line', (line) => {
      const reply = JSON.parse(line)
      const w = this.waiting.get(reply.id)
      this.waiting.delete(reply.id)
      if (reply.error !== undefined) w.reject(new Error(reply.error))
      else w.resolve(reply)
    })
  }

  call (req) {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.proc.stdin.write(JSON.stringify({ id, ...req }) + '\n')
    })
  }
}

const sortKeys = (v) => {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v !== null && typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k])
    return o
  }
  return v
}
const same = (a, b) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))

/** Replays one generated script; returns a list of mismatch descriptions (empty = all good). */
export const replay = async (peer, g, prefix = 'r', useRoots = true) => {
  const errors = []
  const docName = (p) => `${prefix}-${p}`
  const names = g.names
  for (let p = 0; p < g.peers; p++) await peer.call({ op: 'new', doc: docName(p), clientId: g.clientIds[p], gc: g.gc, roots: useRoots ? g.roots : undefined })
  // outbox as produced by *this* replay (compared against g.updates when present)
  const outbox = Array.from({ length: g.peers }, () => [])
  for (const [i, e] of g.schedule.entries()) {
    if (e.t === 'edit') {
      const r = await peer.call({ op: 'script', doc: docName(e.peer), steps: [g.scripts[e.peer][e.step]] })
      if ((e.msg === null) !== (r.updates.length === 0)) errors.push(`#${i} edit: expected ${e.msg === null ? 'no' : 'one'} update, got ${r.updates.length}`)
      if (e.msg !== null) {
        outbox[e.peer][e.msg] = r.updates[0]
        if (g.updates && g.updates[e.peer][e.msg] !== r.updates[0]) errors.push(`#${i} edit: update bytes differ: expected ${g.updates[e.peer][e.msg]} got ${r.updates[0]}`)
      }
    } else if (e.t === 'deliver') {
      const r = await peer.call({ op: 'apply', doc: docName(e.to), update: outbox[e.from][e.msg] })
      const emits = e.emits || []
      const got = r.emitted || []
      if (got.length !== emits.length) errors.push(`#${i} deliver: expected ${emits.length} emitted updates, got ${got.length}`)
      emits.forEach((k, j) => {
        outbox[e.to][k] = got[j]
        if (g.updates && g.updates[e.to][k] !== got[j]) errors.push(`#${i} deliver: emitted update bytes differ`)
      })
    } else if (e.t === 'check') {
      for (let p = 0; p < g.peers; p++) {
        const t = await peer.call({ op: 'text', doc: docName(p), name: names.text })
        const m = await peer.call({ op: 'map', doc: docName(p), name: names.map })
        const a = await peer.call({ op: 'array', doc: docName(p), name: names.array })
        const st = e.state
        if (t.text !== st.text) errors.push(`#${i} check: peer ${p} text differs`)
        if (!same(t.delta, st.delta)) errors.push(`#${i} check: peer ${p} delta differs`)
        if (!same(m.json, st.map)) errors.push(`#${i} check: peer ${p} map differs`)
        if (!same(a.json, st.array)) errors.push(`#${i} check: peer ${p} array differs`)
        if (e.final) {
          const u = await peer.call({ op: 'encode', doc: docName(p) })
          if (u.update !== e.update) errors.push(`#${i} final: peer ${p} encodeStateAsUpdate differs`)
          const sv = await peer.call({ op: 'sv', doc: docName(p) })
          if (sv.sv !== e.sv) errors.push(`#${i} final: peer ${p} state vector differs`)
        }
      }
    } else {
      errors.push(`#${i}: unknown schedule entry ${e.t}`)
    }
    if (errors.length > 20) break
  }
  for (let p = 0; p < g.peers; p++) await peer.call({ op: 'free', doc: docName(p) })
  return errors
}

const main = async () => {
  const argv = process.argv.slice(2)
  const o = {}
  let file = null
  let seeds = 1
  let useRoots = true
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const v = () => argv[++i]
    if (a === '--file') file = v()
    else if (a === '--seed') o.seed = Number(v())
    else if (a === '--peers') o.peers = Number(v())
    else if (a === '--ops') o.ops = Number(v())
    else if (a === '--gc') o.gc = v() !== 'false'
    else if (a === '--rich') o.rich = true
    else if (a === '--no-format') o.formats = false
    else if (a === '--no-roots') useRoots = false
    else if (a === '--seeds') seeds = Number(v())
    else throw new Error('unknown argument: ' + a)
  }
  const peer = new Peer()
  let failed = 0
  const inputs = file !== null
    ? [JSON.parse(readFileSync(file, 'utf8'))]
    : Array.from({ length: seeds }, (_, k) => generate({ ...o, seed: (o.seed ?? 1) + k }))
  for (const g of inputs) {
    const errors = await replay(peer, g, 'r', useRoots)
    if (errors.length > 0) {
      failed++
      console.error(`seed ${g.seed}: ${errors.length} mismatch(es)\n  ` + errors.slice(0, 10).join('\n  '))
    }
  }
  await peer.call({ op: 'exit' })
  console.log(`${inputs.length - failed}/${inputs.length} scripts replayed OK`)
  process.exit(failed === 0 ? 0 : 1)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(e); process.exit(2) })
}
