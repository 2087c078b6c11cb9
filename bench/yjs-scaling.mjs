// The Yjs side of the scaling benchmark: the same edit sequence as dev.quire.bench.ScalingWorkload
// (same mulberry32 PRNG and seed), printing the same JSON lines with "impl":"yjs".
// usage: node bench/yjs-scaling.mjs EDITS SIZE...
import { createRequire } from 'node:module'
const require = createRequire(new URL('../src/test/js/package.json', import.meta.url))
const Y = require('yjs')

const mulberry32 = (seed) => {
  let a = seed | 0
  return () => {
    a = (a + 0x6D2B79F5) | 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz     \n'

const run = (size, edits, seed) => {
  const next = mulberry32(seed)
  const below = (n) => Math.floor(next() * n)
  const doc = new Y.Doc()
  doc.clientID = 1
  const text = doc.getText('content')
  const t0 = performance.now()
  while (text.length < size) {
    const len = 1 + below(8)
    let s = ''
    for (let i = 0; i < len; i++) s += ALPHABET[below(ALPHABET.length)]
    text.insert(below(text.length + 1), s)
    if (below(4) === 0 && text.length > 10) text.delete(below(text.length - 2), 2)
  }
  const t1 = performance.now()
  for (let i = 0; i < edits; i++) {
    if (below(10) < 7 || text.length < 2) text.insert(below(text.length + 1), ALPHABET[below(26)])
    else text.delete(below(text.length), 1)
  }
  const t2 = performance.now()
  const bytes = Y.encodeStateAsUpdate(doc).length
  return { impl: 'yjs', size, buildMs: +(t1 - t0).toFixed(1), usPerEdit: +((t2 - t1) * 1000 / edits).toFixed(2), updateBytes: bytes }
}

const args = process.argv.slice(2).map(Number)
const edits = args[0] || 20000
const sizes = args.length > 1 ? args.slice(1) : [10000, 100000, 1000000]
run(sizes[0], edits, 7)
for (const size of sizes) console.log(JSON.stringify(run(size, edits, 42)))
