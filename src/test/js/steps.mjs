// Edit-script steps shared by yjs-peer.mjs ("script" op) and random-edits.mjs. Format: see README.md, "Steps".
import { decodeValue } from './codec.mjs'

const reqName = (step) => {
  if (typeof step.name !== 'string') throw new Error('step ' + step.t + ': missing "name"')
  return step.name
}
const reqInt = (step, field) => {
  const v = step[field]
  if (!Number.isInteger(v) || v < 0) throw new Error('step ' + step.t + ': "' + field + '" must be a non-negative integer')
  return v
}

const checkTextRange = (ytext, index, len, t) => {
  if (index + len > ytext.length) {
    throw new Error(`step ${t}: range ${index}+${len} out of bounds (text length ${ytext.length})`)
  }
}

/** Runs one step; must be called inside a transaction (or creates its own, as Yjs does). */
export const runStep = (doc, step) => {
  if (step === null || typeof step !== 'object') throw new Error('step must be an object')
  switch (step.t) {
    case 'insert': {
      const ytext = doc.getText(reqName(step))
      const index = reqInt(step, 'index')
      checkTextRange(ytext, index, 0, step.t)
      if (typeof step.text !== 'string') throw new Error('step insert: "text" must be a string')
      if (step.attrs != null) ytext.insert(index, step.text, decodeValue(step.attrs))
      else ytext.insert(index, step.text)
      break
    }
    case 'delete': {
      const ytext = doc.getText(reqName(step))
      const index = reqInt(step, 'index')
      const len = reqInt(step, 'len')
      checkTextRange(ytext, index, len, step.t)
      ytext.delete(index, len)
      break
    }
    case 'format': {
      const ytext = doc.getText(reqName(step))
      const index = reqInt(step, 'index')
      const len = reqInt(step, 'len')
      checkTextRange(ytext, index, len, step.t)
      if (step.attrs == null || typeof step.attrs !== 'object') throw new Error('step format: "attrs" must be an object')
      ytext.format(index, len, decodeValue(step.attrs))
      break
    }
    case 'embed': {
      const ytext = doc.getText(reqName(step))
      const index = reqInt(step, 'index')
      checkTextRange(ytext, index, 0, step.t)
      const value = decodeValue(step.value)
      if (value === null || typeof value !== 'object') throw new Error('step embed: "value" must be an object')
      if (step.attrs != null) ytext.insertEmbed(index, value, decodeValue(step.attrs))
      else ytext.insertEmbed(index, value)
      break
    }
    case 'mapSet': {
      if (typeof step.key !== 'string') throw new Error('step mapSet: "key" must be a string')
      doc.getMap(reqName(step)).set(step.key, decodeValue(step.value))
      break
    }
    case 'mapDelete': {
      if (typeof step.key !== 'string') throw new Error('step mapDelete: "key" must be a string')
      doc.getMap(reqName(step)).delete(step.key)
      break
    }
    case 'arrayInsert': {
      const yarr = doc.getArray(reqName(step))
      const index = reqInt(step, 'index')
      if (index > yarr.length) throw new Error(`step arrayInsert: index ${index} out of bounds (length ${yarr.length})`)
      if (!Array.isArray(step.values)) throw new Error('step arrayInsert: "values" must be an array')
      yarr.insert(index, step.values.map(decodeValue))
      break
    }
    case 'arrayDelete': {
      const yarr = doc.getArray(reqName(step))
      const index = reqInt(step, 'index')
      const len = reqInt(step, 'len')
      if (index + len > yarr.length) throw new Error(`step arrayDelete: range ${index}+${len} out of bounds (length ${yarr.length})`)
      yarr.delete(index, len)
      break
    }
    case 'transact': {
      if (!Array.isArray(step.steps)) throw new Error('step transact: "steps" must be an array')
      doc.transact(() => { for (const s of step.steps) runStep(doc, s) })
      break
    }
    default:
      throw new Error('unknown step type: ' + step.t)
  }
}

/**
 * Runs a script: each top-level step is its own transaction (a "transact" step groups its nested steps into one).
 * onUpdate(u: Uint8Array) receives every update the doc emits meanwhile (v1 encoding), in order.
 */
export const runScript = (doc, steps, onUpdate) => {
  const handler = (u) => onUpdate(u)
  if (onUpdate) doc.on('update', handler)
  try {
    for (const step of steps) runTopLevelStep(doc, step)
  } finally {
    if (onUpdate) doc.off('update', handler)
  }
}

/** Runs one top-level step as one transaction. */
export const runTopLevelStep = (doc, step) => {
  if (step !== null && typeof step === 'object' && step.t === 'transact') runStep(doc, step)
  else doc.transact(() => runStep(doc, step))
}
