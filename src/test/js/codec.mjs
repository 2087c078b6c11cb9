// Shared JSON <-> Yjs value conventions for yjs-peer.mjs and random-edits.mjs (see README.md, "Values").
import * as Y from 'yjs'

export const fromB64 = (s) => {
  if (typeof s !== 'string') throw new Error('expected a base64 string, got ' + typeof s)
  return new Uint8Array(Buffer.from(s, 'base64'))
}

export const toB64 = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('base64')

/**
 * Input values (mapSet / arrayInsert / embed / attrs) are plain JSON, except these tagged objects
 * (an object whose only key is one of):
 *   {"$bytes": "<base64>"}   -> Uint8Array (ContentBinary as a direct map/array value, Any type 116 when nested)
 *   {"$bigint": "123"}       -> BigInt (lib0 writeAny type 122)
 *   {"$undefined": true}     -> undefined
 *   {"$ymap": {k: v, ...}}   -> new Y.Map with those entries (ContentType)
 *   {"$yarray": [v, ...]}    -> new Y.Array with those values
 *   {"$ytext": "str"}        -> new Y.Text("str")
 */
export const decodeValue = (v) => {
  if (Array.isArray(v)) return v.map(decodeValue)
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v)
    if (keys.length === 1) {
      const k = keys[0]
      switch (k) {
        case '$bytes': return fromB64(v[k])
        case '$bigint': return BigInt(v[k])
        case '$undefined': return undefined
        case '$ymap': {
          const m = new Y.Map()
          for (const [mk, mv] of Object.entries(v[k])) m.set(mk, decodeValue(mv))
          return m
        }
        case '$yarray': {
          const a = new Y.Array()
          a.insert(0, v[k].map(decodeValue))
          return a
        }
        case '$ytext': return new Y.Text(v[k])
      }
    }
    const o = {}
    for (const [ok, ov] of Object.entries(v)) o[ok] = decodeValue(ov)
    return o
  }
  return v
}

/**
 * JSON.stringify replacer mirroring decodeValue for outputs. Y types are already turned into JSON by their
 * own toJSON (Y.Map -> object, Y.Array -> array, Y.Text -> string) before the replacer sees them.
 */
export const replacer = (_key, value) => {
  if (value instanceof Uint8Array) return { $bytes: toB64(value) }
  if (typeof value === 'bigint') return { $bigint: value.toString() }
  if (value === undefined) return { $undefined: true }
  return value
}

/** Deep-converts a value to its JSON wire form (same as JSON.parse(JSON.stringify(v, replacer))). */
export const toWire = (v) => JSON.parse(JSON.stringify(v, replacer))
