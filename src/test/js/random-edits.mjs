#!/usr/bin/env node
// Deterministic random multi-peer edit scripts for fuzz/interop tests (in the spirit of yjs/tests/testHelper.js
// applyRandomTests: random text inserts incl. emoji/CJK, deletes, formats, embeds, map sets/deletes, array
// inserts/deletes, random message delivery and occasional full syncs).
//
// The script is generated while simulating it in Yjs 13.6.33, so every index is valid for the state the peer has at
// that point of the schedule, and the expected (converged) states and the exact Yjs updates are included.
// Output format: see README.md, "random-edits.mjs".
//
// CLI:  node random-edits.mjs [--seed N] [--peers N] [--ops N] [--gc true|false] [--rich] [--no-format] [--no-updates] [--pretty]
// Lib:  import { generate, mulberry32 } from './random-edits.mjs'

import * as Y from 'yjs'
import { pathToFileURL } from 'node:url'
import { toB64, toWire } from './codec.mjs'
import { runTopLevelStep } from './steps.mjs'

export const FORMAT_VERSION = 1
const REMOTE = Symbol('remote')
export const NAMES = Object.freeze({ text: 'content', map: 'm', array: 'arr' })
/** root name -> kind; consumers must instantiate these root types right after creating each doc (see README) */
export const ROOTS = Object.freeze({ [NAMES.text]: 'text', [NAMES.map]: 'map', [NAMES.array]: 'array' })

/** mulberry32: tiny seeded PRNG; returns a function giving uint32 values. */
export const mulberry32 = (seed) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

class Rng {
  constructor (seed) { this.next = mulberry32(seed) }
  float () { return this.next() / 4294967296 }
  /** integer in [min, max] inclusive */
  int (min, max) { return min + Math.floor(this.float() * (max - min + 1)) }
  bool (p = 0.5) { return this.float() < p }
  pick (arr) { return arr[this.int(0, arr.length - 1)] }
  /** weighted choice: entries [weight, value] */
  weighted (entries) {
    let total = 0
    for (const [w] of entries) total += w
    let r = this.float() * total
    for (const [w, v] of entries) { if ((r -= w) < 0) return v }
    return entries[entries.length - 1][1]
  }
}

// Character pools (UTF-16 strings; emoji are astral = surrogate pairs).
const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const PUNCT = ' .,;:!?-_\'"()[]{}/\\\t'
const LATIN = ['é', 'ü', 'ß', 'ø', 'ñ', 'Ω', 'ж', 'ა']
const CJK = ['世', '界', '你', '好', '日', '本', '語', '한', '국', 'の']
const EMOJI = ['😀', '🎉', '👍', '🚀', '🦄', '𝄞', '𠜎', '❤️', '👩‍💻', '🇩🇪']

const randomString = (rng) => {
  const n = rng.weighted([[6, 1], [4, 2], [3, 3], [2, 5], [1, 8]])
  let s = ''
  for (let i = 0; i < n; i++) {
    s += rng.weighted([
      [50, () => ASCII[rng.int(0, ASCII.length - 1)]],
      [12, () => PUNCT[rng.int(0, PUNCT.length - 1)]],
      [5, () => '\n'],
      [10, () => rng.pick(LATIN)],
      [12, () => rng.pick(CJK)],
      [11, () => rng.pick(EMOJI)]
    ])()
  }
  return s
}

const FORMATS = [
  { bold: true }, { italic: true }, { bold: null }, { italic: null }, { color: '#ff0000' }, { color: null },
  { bold: true, italic: true }, { link: 'https://example.com/x' }, { size: 12 }, { header: 2 }
]
const INSERT_ATTRS = [{ bold: true }, { italic: true }, { color: '#00ff00' }, { bold: true, color: '#0000ff' }]

// JSON-ish values exercising lib0 writeAny: small/negative/int31-edge ints, float32-exact and float64 numbers,
// large integers (2^40 is float32-exact, 2^40+1 is not), strings (unicode), booleans, null, nested objects/arrays.
const NUMBERS = [0, 1, -1, 42, -1000, 2147483647, -2147483647, 2147483648, 1099511627776, 1099511627777,
  0.5, -2.25, 0.1, 1 / 3, 1e300, 123456.789]

const randomValue = (rng, depth, rich) => {
  const leaf = [
    [5, () => rng.pick(NUMBERS)],
    [3, () => rng.int(-100000, 100000)],
    [5, () => randomString(rng)],
    [2, () => rng.bool()],
    [1, () => null]
  ]
  if (rich) {
    leaf.push([1, () => ({ $bytes: toB64(Uint8Array.from({ length: rng.int(0, 6) }, () => rng.int(0, 255))) })])
  }
  if (depth > 0) {
    leaf.push([2, () => {
      const o = {}
      const n = rng.int(0, 3)
      for (let i = 0; i < n; i++) o['k' + rng.int(0, 9)] = randomValue(rng, depth - 1, rich)
      return o
    }])
    leaf.push([2, () => Array.from({ length: rng.int(0, 3) }, () => randomValue(rng, depth - 1, rich))])
  }
  return rng.weighted(leaf)()
}

// Top-level map/array values: with --rich also binary (ContentBinary) and nested shared types (ContentType).
const randomTopValue = (rng, rich) => {
  if (rich) {
    const r = rng.int(0, 9)
    if (r === 0) return { $ymap: { x: randomValue(rng, 1, false), y: randomString(rng) } }
    if (r === 1) return { $yarray: [randomValue(rng, 0, false), randomValue(rng, 0, false)] }
    if (r === 2) return { $ytext: randomString(rng) }
  }
  return randomValue(rng, 2, rich)
}

const MAP_KEYS = ['a', 'b', 'c', 'd', 'e', 'key', 'ключ', '鍵']

/** UTF-16 view of a Y.Text with embeds counted as one unit (matches Yjs indices). */
const textUnits = (ytext) => {
  let s = ''
  for (const op of ytext.toDelta()) s += typeof op.insert === 'string' ? op.insert : '\uFFFC'
  return s
}
const isHigh = (c) => c >= 0xD800 && c <= 0xDBFF
const isLow = (c) => c >= 0xDC00 && c <= 0xDFFF
/** Moves index left until it is not between a high and a low surrogate. */
const boundary = (s, i) => {
  while (i > 0 && i < s.length && isLow(s.charCodeAt(i)) && isHigh(s.charCodeAt(i - 1))) i--
  return i
}
/** Random UTF-16 range [index, index+len) on code-point boundaries, len >= 1 (null if text empty). */
const randomRange = (rng, s, maxCps) => {
  if (s.length === 0) return null
  const start = boundary(s, rng.int(0, s.length - 1))
  let end = start
  const cps = rng.int(1, maxCps)
  for (let k = 0; k < cps && end < s.length; k++) {
    end += (isHigh(s.charCodeAt(end)) && end + 1 < s.length && isLow(s.charCodeAt(end + 1))) ? 2 : 1
  }
  return { index: start, len: end - start }
}

/** Generates one random (non-transact) step valid for doc's current state. */
const randomStep = (rng, doc, opts) => {
  const ytext = doc.getText(NAMES.text)
  const yarr = doc.getArray(NAMES.array)
  const kind = rng.weighted([
    [40, 'insert'], [22, 'delete'], [8, 'format'], [4, 'embed'],
    [10, 'mapSet'], [3, 'mapDelete'], [9, 'arrayInsert'], [4, 'arrayDelete']
  ])
  switch (kind) {
    case 'insert': {
      const s = textUnits(ytext)
      const step = { t: 'insert', name: NAMES.text, index: boundary(s, rng.int(0, s.length)), text: randomString(rng) }
      if (opts.formats && rng.bool(0.2)) step.attrs = rng.pick(INSERT_ATTRS)
      return step
    }
    case 'delete': case 'format': {
      const r = randomRange(rng, textUnits(ytext), kind === 'delete' ? 6 : 12)
      if (r === null) return { t: 'insert', name: NAMES.text, index: 0, text: randomString(rng) }
      if (kind === 'delete' || !opts.formats) return { t: 'delete', name: NAMES.text, index: r.index, len: r.len }
      return { t: 'format', name: NAMES.text, index: r.index, len: r.len, attrs: rng.pick(FORMATS) }
    }
    case 'embed': {
      const s = textUnits(ytext)
      const step = { t: 'embed', name: NAMES.text, index: boundary(s, rng.int(0, s.length)), value: { image: 'img-' + rng.int(0, 999) + '.png' } }
      if (opts.formats && rng.bool(0.3)) step.attrs = { width: rng.int(1, 500) }
      return step
    }
    case 'mapSet':
      return { t: 'mapSet', name: NAMES.map, key: rng.pick(MAP_KEYS), value: randomTopValue(rng, opts.rich) }
    case 'mapDelete':
      return { t: 'mapDelete', name: NAMES.map, key: rng.pick(MAP_KEYS) }
    case 'arrayInsert':
      return { t: 'arrayInsert', name: NAMES.array, index: rng.int(0, yarr.length), values: Array.from({ length: rng.int(1, 3) }, () => randomTopValue(rng, opts.rich)) }
    case 'arrayDelete': {
      if (yarr.length === 0) return { t: 'arrayInsert', name: NAMES.array, index: 0, values: [randomTopValue(rng, opts.rich)] }
      const index = rng.int(0, yarr.length - 1)
      return { t: 'arrayDelete', name: NAMES.array, index, len: rng.int(1, Math.min(3, yarr.length - index)) }
    }
  }
  throw new Error('unreachable')
}

/** Deep copy with object keys sorted (Y.Map / attribute key order depends on integration order). */
const sortKeys = (v) => {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v !== null && typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k])
    return o
  }
  return v
}

const docState = (doc) => sortKeys(toWire({
  text: doc.getText(NAMES.text).toString(),
  delta: doc.getText(NAMES.text).toDelta(),
  map: doc.getMap(NAMES.map).toJSON(),
  array: doc.getArray(NAMES.array).toJSON()
}))

/**
 * @param {{seed?:number, peers?:number, ops?:number, gc?:boolean, rich?:boolean, formats?:boolean,
 *          updates?:boolean, clientIds?:number[], deliverProb?:number, syncProb?:number, transactProb?:number}} o
 */
export const generate = (o = {}) => {
  const opts = {
    seed: o.seed ?? 1,
    peers: o.peers ?? 3,
    ops: o.ops ?? 100,
    gc: o.gc ?? true,
    rich: o.rich ?? false,
    formats: o.formats ?? true,
    updates: o.updates ?? true,
    deliverProb: o.deliverProb ?? 0.5,
    syncProb: o.syncProb ?? 0.02,
    transactProb: o.transactProb ?? 0.08
  }
  if (!Number.isInteger(opts.peers) || opts.peers < 1) throw new Error('peers must be >= 1')
  const rng = new Rng(opts.seed)

  // Distinct client ids from the PRNG (uint32, so about half are >= 2^31).
  let clientIds = o.clientIds
  if (clientIds == null) {
    const seen = new Set()
    clientIds = []
    while (clientIds.length < opts.peers) {
      const c = rng.next()
      if (!seen.has(c)) { seen.add(c); clientIds.push(c) }
    }
  }
  if (clientIds.length !== opts.peers) throw new Error('clientIds length must equal peers')

  const docs = clientIds.map((cid) => {
    const d = new Y.Doc({ gc: opts.gc })
    d.clientID = cid
    // Instantiate the root types up front. Yjs's local Y.Text results can depend on whether the Y.Text existed
    // before remote content arrived (see README), so every consumer must do the same.
    d.getText(NAMES.text)
    d.getMap(NAMES.map)
    d.getArray(NAMES.array)
    return d
  })
  const scripts = docs.map(() => [])
  const outbox = docs.map(() => []) // outbox[p][k] = k-th update emitted by peer p's own edits
  // queues[q][p] = FIFO of message indices from p not yet delivered to q
  const queues = docs.map(() => docs.map(() => []))
  const schedule = []

  // Queues a message k from peer p for every other peer.
  const broadcast = (p, u) => {
    const k = outbox[p].length
    outbox[p].push(u)
    for (let q = 0; q < docs.length; q++) if (q !== p) queues[q][p].push(k)
    return k
  }
  const deliver = (p, q) => {
    const k = queues[q][p].shift()
    const entry = { t: 'deliver', from: p, to: q, msg: k }
    // Yjs may run a local formatting-cleanup transaction after integrating remote Y.Text changes (YText.js
    // cleanupYTextAfterTransaction); its update is a new message from the receiver, recorded as "emits".
    const emitted = []
    const onUpdate = (u, origin) => { if (origin !== REMOTE) emitted.push(u) }
    docs[q].on('update', onUpdate)
    try {
      Y.applyUpdate(docs[q], outbox[p][k], REMOTE)
    } finally {
      docs[q].off('update', onUpdate)
    }
    if (emitted.length > 0) entry.emits = emitted.map((u) => broadcast(q, u))
    schedule.push(entry)
  }
  const syncAll = () => {
    for (let round = 0; ; round++) {
      if (round > 100) throw new Error('generator self-check: sync did not quiesce')
      let delivered = false
      for (let q = 0; q < docs.length; q++) {
        for (let p = 0; p < docs.length; p++) {
          while (queues[q][p].length > 0) { deliver(p, q); delivered = true }
        }
      }
      if (!delivered) break
    }
    const states = docs.map(docState)
    const s0 = JSON.stringify(states[0])
    for (let p = 1; p < states.length; p++) {
      if (JSON.stringify(states[p]) !== s0) throw new Error(`generator self-check: peer ${p} did not converge (seed ${opts.seed})`)
    }
    const check = { t: 'check', state: states[0] }
    schedule.push(check)
    return check
  }

  for (let i = 0; i < opts.ops; i++) {
    // random delivery / sync points, like yjs testHelper.applyRandomTests
    if (rng.bool(opts.syncProb)) {
      syncAll()
    } else if (rng.bool(opts.deliverProb)) {
      const receivers = []
      for (let q = 0; q < docs.length; q++) if (queues[q].some((m) => m.length > 0)) receivers.push(q)
      if (receivers.length > 0) {
        const q = rng.pick(receivers)
        const senders = []
        for (let p = 0; p < docs.length; p++) if (queues[q][p].length > 0) senders.push(p)
        deliver(rng.pick(senders), q)
      }
    }
    // one edit (one transaction) by a random peer
    const p = rng.int(0, docs.length - 1)
    const doc = docs[p]
    const emitted = []
    const onUpdate = (u) => { emitted.push(u) }
    doc.on('update', onUpdate)
    let step
    try {
      if (rng.bool(opts.transactProb)) {
        // Generate nested steps inside the transaction so each index is valid for the state at that point.
        step = { t: 'transact', steps: [] }
        const n = rng.int(2, 4)
        doc.transact(() => {
          for (let j = 0; j < n; j++) {
            const s = randomStep(rng, doc, opts)
            step.steps.push(s)
            runTopLevelStep(doc, s) // nested inside the outer transaction
          }
        })
      } else {
        step = randomStep(rng, doc, opts)
        runTopLevelStep(doc, step)
      }
    } finally {
      doc.off('update', onUpdate)
    }
    if (emitted.length > 1) throw new Error('generator self-check: one step emitted several updates')
    const entry = { t: 'edit', peer: p, step: scripts[p].length, msg: null }
    scripts[p].push(step)
    if (emitted.length === 1) entry.msg = broadcast(p, emitted[0])
    schedule.push(entry)
  }
  const final = syncAll()
  final.final = true
  final.update = toB64(Y.encodeStateAsUpdate(docs[0]))
  final.sv = toB64(Y.encodeStateVector(docs[0]))

  const out = {
    format: FORMAT_VERSION,
    yjs: '13.6.33',
    seed: opts.seed,
    peers: opts.peers,
    ops: opts.ops,
    gc: opts.gc,
    rich: opts.rich,
    formats: opts.formats,
    names: NAMES,
    roots: ROOTS,
    clientIds,
    scripts,
    schedule,
    expected: final.state
  }
  if (opts.updates) out.updates = outbox.map((us) => us.map(toB64))
  for (const d of docs) d.destroy()
  return out
}

// ---------------------------------------------------------------------------------------------
// CLI

const parseArgs = (argv) => {
  const o = {}
  let pretty = false
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const val = () => {
      if (i + 1 >= argv.length) throw new Error('missing value for ' + a)
      return argv[++i]
    }
    const int = () => {
      const v = Number(val())
      if (!Number.isInteger(v)) throw new Error(a + ' needs an integer')
      return v
    }
    switch (a) {
      case '--seed': o.seed = int(); break
      case '--peers': o.peers = int(); break
      case '--ops': o.ops = int(); break
      case '--gc': o.gc = val() !== 'false'; break
      case '--no-gc': o.gc = false; break
      case '--rich': o.rich = true; break
      case '--no-format': o.formats = false; break
      case '--no-updates': o.updates = false; break
      case '--pretty': pretty = true; break
      case '-h': case '--help':
        process.stdout.write('usage: node random-edits.mjs [--seed N] [--peers N] [--ops N] [--gc true|false] [--rich] [--no-format] [--no-updates] [--pretty]\n')
        process.exit(0)
        break
      default: throw new Error('unknown argument: ' + a)
    }
  }
  return { o, pretty }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { o, pretty } = parseArgs(process.argv.slice(2))
    process.stdout.write(JSON.stringify(generate(o), null, pretty ? 1 : undefined) + '\n')
  } catch (e) {
    process.stderr.write('random-edits: ' + e.message + '\n')
    process.exit(2)
  }
}
