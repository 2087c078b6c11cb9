#!/usr/bin/env node
// Formats bench/trace-bench results as a Markdown table.
//
// usage: node bench/table.mjs RESULTS_DIR
//   RESULTS_DIR holds, per trace NNN (zero-padded, in table order): NNN-file.txt (trace path), NNN-quire.txt and
//   NNN-yjs.txt (raw stdout of `./quire trace FILE` and `bench/yjs-trace.mjs FILE`; the last line that parses as a
//   JSON object is used, so log lines before it are fine). A missing/unparsable result shows as "-" (and a note
//   when the output file exists, i.e. that side ran and failed).

import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'

const dir = process.argv[2]
if (!dir) {
  process.stderr.write('usage: node bench/table.mjs RESULTS_DIR\n')
  process.exit(2)
}

const lastJson = (file) => {
  if (!existsSync(file)) return null
  const lines = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'))
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const o = JSON.parse(lines[i])
      if (o !== null && typeof o === 'object') return o
    } catch { /* not JSON */ }
  }
  return null
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const ms = (v) => (num(v) === null ? '-' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2))
const int = (v) => (num(v) === null ? '-' : Math.round(v).toLocaleString('en-US'))
const bytes = (v) => {
  if (num(v) === null) return '-'
  if (Math.abs(v) >= 1 << 20) return (v / (1 << 20)).toFixed(2) + ' MiB'
  if (Math.abs(v) >= 1 << 10) return (v / (1 << 10)).toFixed(1) + ' KiB'
  return v + ' B'
}
const ratio = (a, b) => (num(a) === null || num(b) === null || b === 0 ? '-' : (a / b).toFixed(2) + '×')

const ids = [...new Set(readdirSync(dir).map((f) => f.match(/^(\d+)-file\.txt$/)).filter(Boolean).map((m) => m[1]))].sort()

const header = ['trace', 'ops', 'Quire applyMs', 'Yjs applyMs', 'speed-up (Yjs/Quire)', 'Quire bytes', 'Yjs bytes',
  'Quire loadMs', 'Yjs loadMs', 'load speed-up (Yjs/Quire)', 'Quire heap', 'Yjs heap', 'heap ratio (Yjs/Quire)']
const rows = []
const notes = []
for (const id of ids) {
  const file = readFileSync(path.join(dir, `${id}-file.txt`), 'utf8').trim()
  const q = lastJson(path.join(dir, `${id}-quire.txt`))
  const y = lastJson(path.join(dir, `${id}-yjs.txt`))
  let name = (y && y.trace) || (q && q.trace) || path.basename(file).replace(/\.json(\.gz)?$/, '')
  const bad = []
  if (q && q.match === false) bad.push('Quire')
  if (y && y.match === false) bad.push('Yjs')
  if (bad.length > 0) {
    name += ' ✗'
    notes.push(`${name}: final text does not match endContent (${bad.join(', ')})`)
  }
  // no output file = that side was skipped; a file without a JSON line = it failed
  if (q === null && existsSync(path.join(dir, `${id}-quire.txt`))) notes.push(`${name}: no Quire result (failed)`)
  if (y === null && existsSync(path.join(dir, `${id}-yjs.txt`))) notes.push(`${name}: no Yjs result (failed)`)
  if (q && y && q.ops !== undefined && y.ops !== undefined && q.ops !== y.ops) notes.push(`${name}: op counts differ (Quire ${q.ops}, Yjs ${y.ops})`)
  if (q && y && num(q.updateBytes) !== null && q.updateBytes !== y.updateBytes) notes.push(`${name}: update sizes differ (Quire ${int(q.updateBytes)}, Yjs ${int(y.updateBytes)} bytes)`)
  rows.push([
    name,
    int((y && y.ops) ?? (q && q.ops)),
    ms(q && q.applyMs), ms(y && y.applyMs), ratio(y && y.applyMs, q && q.applyMs),
    int(q && q.updateBytes), int(y && y.updateBytes),
    ms(q && q.loadMs), ms(y && y.loadMs), ratio(y && y.loadMs, q && q.loadMs),
    bytes(q && q.heapBytes), bytes(y && y.heapBytes), ratio(y && y.heapBytes, q && q.heapBytes)
  ])
}

const out = []
out.push('| ' + header.join(' | ') + ' |')
out.push('|' + header.map((_, i) => (i === 0 ? '---' : '---:')).join('|') + '|')
for (const r of rows) out.push('| ' + r.join(' | ') + ' |')
if (notes.length > 0) {
  out.push('')
  for (const n of notes) out.push('- ' + n)
}
process.stdout.write(out.join('\n') + '\n')
