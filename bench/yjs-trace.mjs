#!/usr/bin/env node
// Replays one editing trace (../shared/traces, format: FORMAT.md there) in Yjs and prints ONE JSON line:
//   {"impl":"yjs","trace":name,"kind":"sequential|concurrent","ops":<patch count>,"match":bool,"applyMs":..,
//    "updateBytes":..,"loadMs":..,"heapBytes":..}
//
// usage: node --expose-gc [--max-old-space-size=4096] bench/yjs-trace.mjs FILE.json.gz [--repeat N]
//          [--client-id N] [--root NAME]     (cross-checks only: sequential client id (default 1), root name
//                                             (default "content"); e.g. --client-id 4000000000 --root text gives
//                                             the 311,038-byte automerge-paper update of random-client-id setups)
//
// Sequential traces: Y.Doc with clientID 1, Y.Text "content", one doc.transact per txn applying its patches in order.
// Concurrent traces (kind "concurrent"): agent k edits as client k+1 on a replica that is first brought to exactly
// the causal closure of the txn's parents by applying the recorded updates of the missing ancestors; the txn's
// patches are applied as local edits in one transaction and its update is recorded. The replica of the last txn
// (which contains all others) is the final document. See replayConcurrent for the replica pool.
//
// applyMs: replay time. updateBytes: Y.encodeStateAsUpdate(final doc).length. loadMs: Y.applyUpdate of that update
// into a fresh doc.
// heapBytes: heapUsed growth (after global.gc()) per retained doc loaded from that update (averaged over several
// copies when the doc is small). match: final text == endContent, the loaded doc's text == endContent and
// (concurrent) a doc built from Y.mergeUpdates of all txn updates in shuffled order == endContent.
// With --repeat N: best (min) applyMs/loadMs of N runs, median heapBytes.

import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { performance } from 'node:perf_hooks'
import path from 'node:path'

// yjs is installed in src/test/js (the interop-test package); resolve it from there.
const require = createRequire(new URL('../src/test/js/package.json', import.meta.url))
let Y
try {
  Y = require('yjs')
} catch (e) {
  process.stderr.write('yjs-trace: cannot load yjs from src/test/js/node_modules; run: npm ci --prefix src/test/js\n')
  process.exit(2)
}

// Keep stdout to the one result line.
console.log = (...a) => console.error(...a)
console.warn = (...a) => console.error(...a)

let ROOT = 'content'
let SEQ_CLIENT_ID = 1

// -------------------------------------------------------------------------------------------------------------
// args

const args = process.argv.slice(2)
let file = null
let repeat = 1
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--repeat') repeat = Number(args[++i])
  else if (args[i].startsWith('--repeat=')) repeat = Number(args[i].slice(9))
  else if (args[i] === '--client-id') SEQ_CLIENT_ID = Number(args[++i])
  else if (args[i] === '--root') ROOT = String(args[++i])
  else if (file === null) file = args[i]
  else { process.stderr.write('yjs-trace: unexpected argument ' + args[i] + '\n'); process.exit(2) }
}
if (file === null || !Number.isInteger(repeat) || repeat < 1) {
  process.stderr.write('usage: node --expose-gc bench/yjs-trace.mjs FILE.json.gz [--repeat N]\n')
  process.exit(2)
}

const raw = readFileSync(file)
const trace = JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8'))
const name = path.basename(file).replace(/\.json(\.gz)?$/, '')
const concurrent = trace.kind === 'concurrent'
const txns = trace.txns
let ops = 0
for (const t of txns) ops += t.patches.length

// -------------------------------------------------------------------------------------------------------------
// Unicode: trace positions are code points; Y.Text indexes UTF-16 units.

const SURROGATE = /[\uD800-\uDFFF]/
const hasAstral = SURROGATE.test(trace.endContent) || txns.some((t) => t.patches.some((p) => SURROGATE.test(p[2])))

/** UTF-16 offset of code point index cp in s, starting the scan at UTF-16 offset `from` / code point `fromCp`. */
const cpToUtf16 = (s, cp, from = 0, fromCp = 0) => {
  let i = from
  for (let c = fromCp; c < cp; c++) {
    const u = s.charCodeAt(i)
    i += (u >= 0xD800 && u <= 0xDBFF && i + 1 < s.length) ? 2 : 1
  }
  return i
}

/** Converts one patch [pos, del, ins] (code points) against mirror string s; returns [pos16, del16, ins, newS]. */
const convertPatch = (s, [pos, del, ins]) => {
  const p16 = cpToUtf16(s, pos)
  const e16 = cpToUtf16(s, pos + del, p16, pos)
  return [p16, e16 - p16, ins, s.slice(0, p16) + ins + s.slice(e16)]
}

/** Sequential traces with astral chars: convert all positions up front (untimed). */
const utf16SequentialTxns = () => {
  if (!hasAstral) return txns
  let s = trace.startContent || ''
  return txns.map((t) => ({
    patches: t.patches.map((p) => {
      const [pos, del, ins, ns] = convertPatch(s, p)
      s = ns
      return [pos, del, ins]
    })
  }))
}

// -------------------------------------------------------------------------------------------------------------
// replay

const applyPatches = (ytext, patches) => {
  for (let j = 0; j < patches.length; j++) {
    const p = patches[j]
    if (p[1] > 0) ytext.delete(p[0], p[1])
    if (p[2].length > 0) ytext.insert(p[0], p[2])
  }
}

/** @return {{doc: Y.Doc, checks: string[]}} */
const replaySequential = (seqTxns) => {
  const doc = new Y.Doc()
  doc.clientID = SEQ_CLIENT_ID
  const ytext = doc.getText(ROOT)
  for (let i = 0; i < seqTxns.length; i++) {
    const patches = seqTxns[i].patches
    doc.transact(() => applyPatches(ytext, patches))
  }
  return { doc, updates: null }
}

/**
 * Concurrent replay.
 *
 * Client ids: agent k edits as client k+1. Each agent's txns are expected to be totally ordered (editing-traces
 * rule); so that this also works when they are not (FORMAT.md caveat), an agent's txns are split into "chains": a txn
 * continues a chain of its agent only if all earlier txns of that chain are in the causal closure of its parents,
 * otherwise a new chain with a fresh client id (numAgents+1+k) is started. Each chain is one Yjs client.
 *
 * Versions are vectors over chains: v[c] = number of chain c's txns included (closures are downward closed and each
 * chain is totally ordered, so this is exact).
 *
 * Replicas: a small pool of Y.Docs, each with a version. For txn i we take the pool replica that is not ahead of
 * closure(parents) and misses the fewest txns (preferring the replica the same chain used last if it misses not
 * many more; a fresh empty doc if none qualifies), apply the recorded updates of
 * the missing txns in one remote transaction, so that its state is exactly closure(parents), set its clientID to the
 * txn's client id and apply the patches as local edits in one transaction, recording the update. (The local update
 * depends only on the document state, not on which Y.Doc object produced it. Re-assigning Y.Doc.clientID is safe
 * because the doc already holds all earlier items of that client; during catch-up the replica uses client id 0,
 * which no chain uses, so Yjs's "client id already in use" check never fires.) With one replica per agent instead,
 * a trace with many agents (node_nodecc: 204) would replay nearly the whole history once per agent.
 */
const POOL_SIZE = 16
const replayConcurrent = () => {
  const n = txns.length
  const numAgents = trace.numAgents ?? (Math.max(...txns.map((t) => t.agent)) + 1)
  const updates = new Array(n)
  const chainTxns = [] // chain -> txn indices in order
  const chainClient = [] // chain -> Yjs client id
  const agentChains = new Map() // agent -> [chain]
  const version = new Array(n) // txn -> number[] (closure version, by chain)
  let nextExtraClient = numAgents + 1
  const stats = { extraChains: 0, freshReplicas: 0, caughtUp: 0 }

  const newChain = (agent, clientId) => {
    const c = chainTxns.length
    chainTxns.push([])
    chainClient.push(clientId)
    if (!agentChains.has(agent)) agentChains.set(agent, [])
    agentChains.get(agent).push(c)
    return c
  }
  for (let a = 0; a < numAgents; a++) newChain(a, a + 1)

  /** @type {{doc: Y.Doc, ytext: Y.Text, v: number[], used: number}[]} */
  const pool = []
  const newReplica = () => {
    const doc = new Y.Doc()
    doc.clientID = 0
    const r = { doc, ytext: doc.getText(ROOT), v: [], used: 0, chain: -1 }
    pool.push(r)
    stats.freshReplicas++
    return r
  }
  /** number of txns replica version v misses to reach vp, or -1 if v is ahead of vp somewhere */
  const missingCount = (v, vp) => {
    let m = 0
    const len = Math.max(v.length, vp.length)
    for (let c = 0; c < len; c++) {
      const d = (vp[c] | 0) - (v[c] | 0)
      if (d < 0) return -1
      m += d
    }
    return m
  }

  let captured = null
  const capture = (u) => { captured = u }
  let last = null

  for (let i = 0; i < n; i++) {
    const txn = txns[i]
    // closure version of the parents
    const vp = []
    for (const p of txn.parents) {
      const pv = version[p]
      for (let c = 0; c < pv.length; c++) if ((pv[c] | 0) > (vp[c] | 0)) vp[c] = pv[c]
    }
    // the chain (Yjs client) this txn continues
    let chain = -1
    for (const c of agentChains.get(txn.agent) || []) {
      if ((vp[c] | 0) === chainTxns[c].length) { chain = c; break }
    }
    if (chain === -1) {
      chain = newChain(txn.agent, nextExtraClient++)
      stats.extraChains++
    }
    // replica: the pool doc missing the fewest txns, not ahead of closure(parents); but keep using the chain's
    // previous replica if it is nearly as good (editing locality keeps Yjs's search markers effective)
    let rep = null
    let best = Infinity
    let affinity = -1
    for (const r of pool) {
      const m = missingCount(r.v, vp)
      if (m < 0) continue
      if (m < best) { best = m; rep = r }
      if (r.chain === chain) affinity = m
    }
    if (affinity >= 0 && affinity <= 2 * best + 16) rep = pool.find((r) => r.chain === chain)
    if (rep === null) {
      if (pool.length >= POOL_SIZE) {
        let lru = 0
        for (let k = 1; k < pool.length; k++) if (pool[k].used < pool[lru].used) lru = k
        pool[lru].doc.destroy()
        pool.splice(lru, 1)
      }
      rep = newReplica()
    }
    // catch the replica up to exactly closure(parents)
    const missing = []
    for (let c = 0; c < vp.length; c++) {
      for (let k = rep.v[c] | 0, want = vp[c] | 0; k < want; k++) missing.push(chainTxns[c][k])
    }
    if (missing.length > 0) {
      stats.caughtUp += missing.length
      missing.sort((a, b) => a - b)
      rep.doc.clientID = 0
      // one remote (local=false) transaction for the whole catch-up
      Y.transact(rep.doc, () => {
        for (const m of missing) Y.applyUpdate(rep.doc, updates[m])
      }, null, false)
    }
    // local edits
    let patches = txn.patches
    if (hasAstral && patches.length > 0) {
      let s = rep.ytext.toString()
      patches = patches.map((p) => {
        const [pos, del, ins, ns] = convertPatch(s, p)
        s = ns
        return [pos, del, ins]
      })
    }
    rep.doc.clientID = chainClient[chain]
    captured = null
    rep.doc.on('update', capture)
    rep.doc.transact(() => applyPatches(rep.ytext, patches))
    rep.doc.off('update', capture)
    // A txn without patches (e.g. a final merge txn) produces no update: record an empty one.
    updates[i] = captured !== null ? captured : new Uint8Array([0, 0])
    chainTxns[chain].push(i)
    vp[chain] = chainTxns[chain].length
    version[i] = vp
    rep.v = vp.slice()
    rep.used = i
    for (const r of pool) if (r.chain === chain) r.chain = -1
    rep.chain = chain
    last = rep
  }
  // The last txn contains all others, so its replica is the final document.
  const lastV = version[n - 1]
  for (let c = 0; c < chainTxns.length; c++) {
    if ((lastV[c] | 0) !== chainTxns[c].length) throw new Error('last txn does not contain all others')
  }
  for (const r of pool) if (r !== last) r.doc.destroy()
  return { doc: last.doc, updates, stats }
}

// -------------------------------------------------------------------------------------------------------------

const gc = typeof globalThis.gc === 'function' ? globalThis.gc : null
if (gc === null) process.stderr.write('yjs-trace: run node with --expose-gc to measure heapBytes\n')
const fullGc = () => { gc(); gc() }

/** Merges many updates as a tree of Y.mergeUpdates calls (one flat call over thousands of updates is quadratic). */
const treeMerge = (us) => {
  if (us.length === 0) return Y.mergeUpdates([])
  while (us.length > 1) {
    const next = []
    for (let i = 0; i < us.length; i += 16) next.push(Y.mergeUpdates(us.slice(i, i + 16)))
    us = next
  }
  return us[0]
}

/** Deterministic shuffle (mulberry32), for the "merge all updates in any order" check. */
const shuffled = (arr, seed) => {
  const out = arr.slice()
  let a = seed >>> 0
  const rnd = () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    const x = out[i]; out[i] = out[j]; out[j] = x
  }
  return out
}

/** heapUsed growth per retained doc loaded from update (several copies for small docs, to dilute GC noise). */
const HEAP_TARGET = 8 << 20
const measureHeap = (update) => {
  const measure = (copies) => {
    fullGc()
    const before = process.memoryUsage().heapUsed
    const docs = []
    for (let k = 0; k < copies; k++) {
      const d = new Y.Doc()
      Y.applyUpdate(d, update)
      docs.push(d)
    }
    fullGc()
    const after = process.memoryUsage().heapUsed
    const per = (after - before) / docs.length
    for (const d of docs) d.destroy()
    return per
  }
  const one = measure(1)
  if (one >= HEAP_TARGET) return Math.round(one)
  return Math.round(measure(Math.min(32, Math.ceil(HEAP_TARGET / Math.max(one, 256 << 10)))))
}

const seqTxns = concurrent ? null : utf16SequentialTxns()
const result = {
  impl: 'yjs',
  trace: name,
  kind: concurrent ? 'concurrent' : 'sequential',
  ops,
  match: true,
  applyMs: Infinity,
  updateBytes: 0,
  loadMs: Infinity,
  heapBytes: null
}
const problems = []
const heaps = []

for (let r = 0; r < repeat; r++) {
  if (gc) fullGc()
  const t0 = performance.now()
  let replay = concurrent ? replayConcurrent() : replaySequential(seqTxns)
  const t1 = performance.now()
  result.applyMs = Math.min(result.applyMs, t1 - t0)

  if (replay.stats && r === 0 && process.env.YJS_TRACE_DEBUG) process.stderr.write(`yjs-trace: ${name}: ${JSON.stringify(replay.stats)}\n`)
  if (replay.stats && replay.stats.extraChains > 0 && r === 0) process.stderr.write(`yjs-trace: ${name}: ${replay.stats.extraChains} extra client id(s) for agents with concurrent txns\n`)
  if (replay.doc.getText(ROOT).toString() !== trace.endContent) problems.push('replayed text != endContent')
  const update = Y.encodeStateAsUpdate(replay.doc)
  if (r > 0 && update.length !== result.updateBytes) problems.push('updateBytes differs between runs')
  result.updateBytes = update.length
  if (replay.updates && r === 0) {
    const merged = new Y.Doc()
    Y.applyUpdate(merged, treeMerge(shuffled(replay.updates, 0x5eed)))
    if (merged.getText(ROOT).toString() !== trace.endContent) problems.push('doc from merging all txn updates (shuffled) != endContent')
    merged.destroy()
  }
  replay.doc.destroy()
  replay = null

  // load
  if (gc) fullGc()
  const loaded = new Y.Doc()
  const t2 = performance.now()
  Y.applyUpdate(loaded, update)
  const t3 = performance.now()
  result.loadMs = Math.min(result.loadMs, t3 - t2)
  if (loaded.getText(ROOT).toString() !== trace.endContent) problems.push('loaded text != endContent')
  loaded.destroy()

  // retained heap of a loaded doc
  if (gc) heaps.push(measureHeap(update))
}

if (heaps.length > 0) {
  heaps.sort((a, b) => a - b)
  result.heapBytes = heaps[(heaps.length - 1) >> 1] // median (lower)
}
result.match = problems.length === 0
if (!result.match) process.stderr.write('yjs-trace: ' + name + ': ' + [...new Set(problems)].join('; ') + '\n')
result.applyMs = Math.round(result.applyMs * 100) / 100
result.loadMs = Math.round(result.loadMs * 100) / 100
process.stdout.write(JSON.stringify(result) + '\n')
