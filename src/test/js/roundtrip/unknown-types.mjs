// Prints (base64, one line) a Yjs update holding types Quire does not model: an XML fragment with elements,
// attributes, XML text with formatting, a hook, a sub-document, binary and legacy JSON content.
// Used by dev.quire.crdt.UnknownTypesRoundTripTest: Quire must re-encode it byte for byte.
import { createRequire } from 'node:module'
const require = createRequire(new URL('../package.json', import.meta.url))
const Y = require('yjs')

const doc = new Y.Doc()
doc.clientID = 77
const frag = doc.getXmlFragment('prosemirror')
const p = new Y.XmlElement('paragraph')
p.setAttribute('align', 'center')
const t = new Y.XmlText()
frag.insert(0, [p])
p.insert(0, [t])
t.insert(0, 'Hello XML')
t.format(0, 5, { bold: true })
const hook = new Y.XmlHook('custom')
hook.set('k', 'v')
frag.insert(1, [hook])
const map = doc.getMap('meta')
map.set('subdoc', new Y.Doc({ guid: 'sub-1' }))
map.set('bytes', new Uint8Array([1, 2, 3]))
const arr = doc.getArray('list')
arr.insert(0, [new Y.XmlText('plain')])
t.delete(2, 2)
process.stdout.write(Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64') + '\n')
