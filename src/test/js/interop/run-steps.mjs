#!/usr/bin/env node
// One-shot Yjs run of an edit script with step types that yjs-peer.mjs does not know (used by Quire's interop tests).
//
//   stdin:  {"clientId": 1, "gc": true, "roots": {"arr": "array", ...}, "steps": [step, ...]}
//   stdout: {"updates": [base64, ...], "update": base64 (encodeStateAsUpdate), "sv": base64}
//
// Steps are those of ../steps.mjs, plus:
//   {"t": "arrayPush", "name": "arr", "values": [...]}   Y.Array#push: appends after the last item, deleted or not,
//                                                       where insert(length) appends after the last visible one.
// A "transact" step may contain these too. Each top-level step is one transaction.

import * as Y from 'yjs'
import { decodeValue, toB64 } from '../codec.mjs'
import { runStep } from '../steps.mjs'

const run = (doc, step) => {
  if (step.t === 'arrayPush') {
    doc.getArray(step.name).push(step.values.map(decodeValue))
  } else if (step.t === 'transact') {
    doc.transact(() => { for (const s of step.steps) run(doc, s) })
  } else {
    runStep(doc, step)
  }
}

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const doc = new Y.Doc({ gc: input.gc ?? true })
doc.clientID = input.clientId
for (const [name, kind] of Object.entries(input.roots ?? {})) {
  if (kind === 'text') doc.getText(name)
  else if (kind === 'map') doc.getMap(name)
  else if (kind === 'array') doc.getArray(name)
}
const updates = []
doc.on('update', (u) => updates.push(toB64(u)))
for (const step of input.steps) doc.transact(() => run(doc, step))
process.stdout.write(JSON.stringify({
  updates,
  update: toB64(Y.encodeStateAsUpdate(doc)),
  sv: toB64(Y.encodeStateVector(doc))
}) + '\n')
