// An independent judge of what the collector may accept, written from the protocol (docs/
// protocol.md, @candor/protocol's LIMITS and patterns) and the catalog's own check() rather
// than from the collector's code: when a fuzzed request is answered 2xx, the oracle must
// agree that it was valid, or the collector let something through.
import { gunzipSync } from 'node:zlib';
import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { LIMITS, PSEUDONYM_PATTERN, BATCH_KEY_PATTERN, SUPPORTED_PROTOCOL_VERSIONS, periodRange } from '@candor/protocol';

const compiled = compileCatalog(mediaServerCatalog);
const DAY_MS = 86_400_000;
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const exactKeys = (o, required, optional = []) => Object.keys(o).every((k) => required.includes(k) || optional.includes(k)) && required.every((k) => Object.hasOwn(o, k));

function depth(v) {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depth));
  if (isObject(v)) return 1 + Math.max(0, ...Object.values(v).map(depth));
  return 0;
}

/** Decodes a request body as the protocol allows (gzip or identity, bounded); null when it must be refused. */
export function decodeJson(body, encoding) {
  if (body.length > LIMITS.maxCompressedBytes) return null;
  let raw = body;
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip') {
    try {
      raw = gunzipSync(body, { maxOutputLength: LIMITS.maxDecompressedBytes });
    } catch {
      return null;
    }
  } else if (enc !== 'identity' && enc !== '') return null;
  if (raw.length === 0 || raw.length > LIMITS.maxDecompressedBytes) return null;
  const text = raw.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(raw)) return null;
  try {
    const value = JSON.parse(text);
    return depth(value) > LIMITS.maxJsonDepth ? null : { value };
  } catch {
    return null;
  }
}

/** Whether a decoded `POST /v1/batches` body is a batch the collector may store at `nowMs`. */
export function isValidBatch(b, nowMs) {
  if (!isObject(b) || !exactKeys(b, ['v', 'catalog', 'pseudonym', 'period', 'batchKey', 'events'])) return false;
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(b.v)) return false;
  if (!isObject(b.catalog) || !exactKeys(b.catalog, ['id', 'version']) || b.catalog.id !== compiled.id || b.catalog.version !== compiled.version) return false;
  if (typeof b.pseudonym !== 'string' || !PSEUDONYM_PATTERN.test(b.pseudonym)) return false;
  if (typeof b.batchKey !== 'string' || !BATCH_KEY_PATTERN.test(b.batchKey)) return false;
  if (typeof b.period !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(b.period)) return false;
  const range = periodRange(b.period);
  if (range === null || range.startMs > nowMs + 3_600_000 || range.endMs < nowMs - 31 * DAY_MS) return false;
  if (!Array.isArray(b.events) || b.events.length === 0 || b.events.length > LIMITS.maxEventsPerBatch) return false;
  for (const e of b.events) {
    if (!isObject(e) || !exactKeys(e, ['name', 'time', 'fields']) || typeof e.name !== 'string' || !isObject(e.fields)) return false;
    const ev = compiled.events.get(e.name);
    if (ev === undefined || e.time !== b.period) return false;
    if (Object.values(e.fields).some((v) => v !== null && !['string', 'number', 'boolean'].includes(typeof v))) return false;
    if (ev.check(e.fields).length > 0) return false;
  }
  return true;
}

/** Whether a decoded subject request (delete or export) is well-formed for this collector. */
export function isValidSubjectRequest(b) {
  if (!isObject(b) || !exactKeys(b, ['catalogId', 'pseudonyms'], ['categories'])) return false;
  if (b.catalogId !== compiled.id) return false;
  if (!Array.isArray(b.pseudonyms) || b.pseudonyms.length === 0 || b.pseudonyms.length > LIMITS.maxPseudonymsPerRequest) return false;
  if (new Set(b.pseudonyms).size !== b.pseudonyms.length || !b.pseudonyms.every((p) => typeof p === 'string' && PSEUDONYM_PATTERN.test(p))) return false;
  if (b.categories !== undefined) {
    if (!Array.isArray(b.categories) || b.categories.length === 0 || new Set(b.categories).size !== b.categories.length) return false;
    if (!b.categories.every((c) => typeof c === 'string' && Object.hasOwn(mediaServerCatalog.categories, c))) return false;
  }
  return true;
}
