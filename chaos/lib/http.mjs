// Raw HTTP for the hostile clients and probes: node:http with a chosen source address (so that
// the collector sees a distinctive client address the data-minimization search looks for),
// no connection reuse, and whatever headers and body the caller wants.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { PROTOCOL_VERSION } from '@candor/protocol';
import { randomBytes } from 'node:crypto';

/** The address the hostile clients and probes connect from. */
export const HOSTILE_SOURCE_ADDRESS = '127.66.6.6';

/**
 * Sends one request; resolves to `{ status, headers, text }`, or `{ status: 0, error }` when
 * the connection fails or times out.
 */
export function httpRequest({ url, method = 'GET', headers = {}, body, timeoutMs = 30_000, localAddress = HOSTILE_SOURCE_ADDRESS }) {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, method, headers, localAddress, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ status: 0, error: e.code ?? e.message }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e) => resolve({ status: 0, error: e.code ?? e.message }));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const compiled = compileCatalog(mediaServerCatalog);

/** A random lower-case hex string of `bytes` bytes. */
export const hex = (bytes) => randomBytes(bytes).toString('hex');

/** A valid batch for `day`, generalized with the real catalog, under a fresh pseudonym unless one is given. */
export function validBatch(day, { pseudonym = hex(32), batchKey = hex(16) } = {}) {
  const ev = (name, raw) => {
    const r = compiled.normalize(name, raw);
    if (!r.ok) throw new Error(`probe event ${name} is invalid: ${r.error.message}`);
    return { name, time: day, fields: r.payload };
  };
  return {
    v: PROTOCOL_VERSION,
    catalog: { id: compiled.id, version: compiled.version },
    pseudonym,
    period: day,
    batchKey,
    events: [
      ev('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '3.1.4' }),
      ev('playback.session', { mediaType: 'movie', durationSeconds: 6000, playedSeconds: 5900, bitrateKbps: 8000, container: 'mkv', videoCodec: 'hevc', audioCodec: 'eac3', width: 3840, height: 1600, deviceType: 'tv', decision: 'directplay', hdr: true }),
    ],
  };
}

/** POSTs a batch (an object or bytes) to a collector, gzip-encoded unless told otherwise. */
export function postBatch(base, batch, { gzip = true, headers = {}, localAddress } = {}) {
  const raw = Buffer.isBuffer(batch) ? batch : Buffer.from(typeof batch === 'string' ? batch : JSON.stringify(batch));
  const body = gzip ? gzipSync(raw) : raw;
  return httpRequest({
    url: `${base}/v1/batches`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': String(body.length), ...headers },
    body,
    ...(localAddress ? { localAddress } : {}),
  });
}

/** The error code of a JSON error answer, or null. */
export function errorCode(res) {
  try {
    return JSON.parse(res.text).error.code ?? null;
  } catch {
    return null;
  }
}
