// A multi-needle byte search: thousands of titles and paths against hundreds of megabytes in
// one pass per file. Needles are indexed by their first four bytes; each position of the
// haystack costs one integer map lookup, and only the rare candidates are compared in full.

/**
 * Builds a scanner for needles of at least four bytes.
 * @param {{ text: string, kind: string, label?: string }[]} needles
 */
export function createScanner(needles) {
  const byHead = new Map();
  const all = [];
  for (const n of needles) {
    const bytes = Buffer.from(n.text, 'utf8');
    if (bytes.length < 4) continue;
    const entry = { ...n, bytes };
    all.push(entry);
    const head = bytes.readUInt32LE(0);
    const list = byHead.get(head);
    if (list) list.push(entry);
    else byHead.set(head, [entry]);
  }
  return {
    size: all.length,
    /**
     * Every needle found in `buf`, with the bytes around the first hit.
     * @param {Buffer} buf
     * @returns {{ kind: string, text: string, label?: string, context: string }[]}
     */
    scan(buf) {
      const found = new Map();
      const end = buf.length - 3;
      for (let i = 0; i < end; i++) {
        const list = byHead.get(buf.readUInt32LE(i));
        if (list === undefined) continue;
        for (const n of list) {
          if (found.has(n)) continue;
          if (i + n.bytes.length <= buf.length && buf.compare(n.bytes, 0, n.bytes.length, i, i + n.bytes.length) === 0) {
            found.set(n, buf.toString('utf8', Math.max(0, i - 60), Math.min(buf.length, i + n.bytes.length + 60)).replace(/[^\x20-\x7e\u00a0-\uffff]/g, '.'));
          }
        }
      }
      return [...found].map(([n, context]) => ({ kind: n.kind, text: n.text, label: n.label, context }));
    },
  };
}
