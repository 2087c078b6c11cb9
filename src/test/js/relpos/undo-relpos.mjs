#!/usr/bin/env node
// Runs one undo / relative-position scenario on real Yjs and prints what it observed, so that Quire's
// UndoManager and RelativePosition can be compared with Yjs byte for byte (YjsUndoInteropTest.java).
//
// stdin: a JSON array of scenarios {"docs": {"A": clientId, ...}, "steps": [step, ...]}
// stdout: a JSON array with, per scenario, an array of one entry per "relpos", "absolute" and "state" step, in order
//         (or {"error": message} when the scenario threw).
//
// Steps (every step names its "doc"):
//   {"op":"insert","name":"t","index":0,"text":"ab","attrs":{...}?}   Y.Text insert
//   {"op":"delete","name":"t","index":0,"len":1}                       Y.Text delete
//   {"op":"format","name":"t","index":0,"len":1,"attrs":{...}}         Y.Text format
//   {"op":"mapSet","name":"m","key":"k","value":1}                     Y.Map set
//   {"op":"mapDelete","name":"m","key":"k"}                            Y.Map delete
//   {"op":"origin","origin":"x","steps":[...]}                         nested steps in one transaction with origin "x"
//   {"op":"undoManager","texts":["t"],"maps":["m"],"captureTimeout":500,"trackedOrigins":["x"]?}
//                                  trackedOrigins lists string origins tracked besides null
//   {"op":"undo"} {"op":"redo"} {"op":"stopCapturing"}                 on the doc's undo manager
//   {"op":"tick","ms":100}                                             advances the fake clock (shared by all docs)
//   {"op":"sync","from":"A"}                                           applies everything A has that doc lacks
//   {"op":"relpos","name":"t","index":1,"assoc":0}      -> {"bytes": base64, "json": relativePositionToJSON}
//   {"op":"absolute","bytes":base64,"follow":true?}     -> {"index": n} or {"index": null}
//   {"op":"state"}       -> {"update": base64 encodeStateAsUpdate, "texts": {name: delta}, "maps": {name: json}}

// The UndoManager groups changes by lib0's time.getUnixTime, which is Date.now captured when lib0/time loads:
// replace Date.now before Yjs is imported so that the scenario's clock is deterministic.
let now = 1_000_000
Date.now = () => now
const Y = await import('yjs')

const REMOTE = Symbol('remote')

const readStdin = async () => {
  const chunks = []
  for await (const c of process.stdin) chunks.push(c)
  return Buffer.concat(chunks).toString('utf8')
}

const b64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64')
const fromB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'))

const runScenario = (scenario) => {
  const docs = new Map()
  const managers = new Map()
  const textNames = new Map()
  const mapNames = new Map()
  for (const [name, clientId] of Object.entries(scenario.docs)) {
    const doc = new Y.Doc()
    doc.clientID = clientId
    docs.set(name, doc)
    textNames.set(name, new Set())
    mapNames.set(name, new Set())
  }
  const out = []

  const run = (step) => {
    const doc = docs.get(step.doc)
    if (doc === undefined) throw new Error('unknown doc ' + step.doc)
    switch (step.op) {
      case 'insert':
        textNames.get(step.doc).add(step.name)
        if (step.attrs != null) doc.getText(step.name).insert(step.index, step.text, step.attrs)
        else doc.getText(step.name).insert(step.index, step.text)
        break
      case 'delete':
        doc.getText(step.name).delete(step.index, step.len)
        break
      case 'format':
        doc.getText(step.name).format(step.index, step.len, step.attrs)
        break
      case 'mapSet':
        mapNames.get(step.doc).add(step.name)
        doc.getMap(step.name).set(step.key, step.value)
        break
      case 'mapDelete':
        doc.getMap(step.name).delete(step.key)
        break
      case 'origin':
        doc.transact(() => { for (const s of step.steps) run({ ...s, doc: step.doc }) }, step.origin)
        break
      case 'undoManager': {
        const scope = [...(step.texts ?? []).map(n => doc.getText(n)), ...(step.maps ?? []).map(n => doc.getMap(n))]
        for (const n of step.texts ?? []) textNames.get(step.doc).add(n)
        for (const n of step.maps ?? []) mapNames.get(step.doc).add(n)
        const trackedOrigins = new Set([null, ...(step.trackedOrigins ?? [])])
        managers.set(step.doc, new Y.UndoManager(scope, { captureTimeout: step.captureTimeout ?? 500, trackedOrigins }))
        break
      }
      case 'undo': managers.get(step.doc).undo(); break
      case 'redo': managers.get(step.doc).redo(); break
      case 'stopCapturing': managers.get(step.doc).stopCapturing(); break
      case 'tick': now += step.ms; break
      case 'sync': {
        const from = docs.get(step.from)
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(from, Y.encodeStateVector(doc)), REMOTE)
        for (const n of textNames.get(step.from)) textNames.get(step.doc).add(n)
        for (const n of mapNames.get(step.from)) mapNames.get(step.doc).add(n)
        break
      }
      case 'relpos': {
        const rpos = Y.createRelativePositionFromTypeIndex(doc.getText(step.name), step.index, step.assoc ?? 0)
        out.push({ bytes: b64(Y.encodeRelativePosition(rpos)), json: Y.relativePositionToJSON(rpos) })
        break
      }
      case 'absolute': {
        const rpos = Y.decodeRelativePosition(fromB64(step.bytes))
        const abs = Y.createAbsolutePositionFromRelativePosition(rpos, doc, step.follow ?? true)
        out.push({ index: abs === null ? null : abs.index })
        break
      }
      case 'state': {
        const texts = {}
        for (const n of [...textNames.get(step.doc)].sort()) texts[n] = doc.getText(n).toDelta()
        const maps = {}
        for (const n of [...mapNames.get(step.doc)].sort()) maps[n] = doc.getMap(n).toJSON()
        out.push({ update: b64(Y.encodeStateAsUpdate(doc)), texts, maps })
        break
      }
      default:
        throw new Error('unknown op ' + step.op)
    }
  }

  for (const step of scenario.steps) run(step)
  return out
}

const scenarios = JSON.parse(await readStdin())
const results = scenarios.map(sc => {
  try {
    return runScenario(sc)
  } catch (e) {
    return { error: String(e && e.stack ? e.stack : e) }
  }
})
process.stdout.write(JSON.stringify(results) + '\n')
