// Slow and oversized requests: slowloris (headers that never end), slow bodies, oversized
// headers, URLs and bodies, a gzip bomb, nesting past the limit and too many events. While
// the slow clients hold their connections, a legitimate client keeps sending batches: it
// must be served throughout.
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { dayOf } from '@candor/protocol';
import { HOSTILE_SOURCE_ADDRESS, httpRequest, postBatch, validBatch } from '../lib/http.mjs';
import { sleep } from '../lib/util.mjs';
import { codeOf, judgeRefusal } from './verdicts.mjs';

/**
 * Opens a connection that sends a request one byte at a time and never finishes it;
 * resolves to what the server answered and how long it held the connection.
 */
function slowClient(port, { body }) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = connect({ host: '127.0.0.1', port, localAddress: HOSTILE_SOURCE_ADDRESS });
    let answer = '';
    let timer = null;
    const head = body ? `POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"v":1,` : 'POST /v1/batches HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    socket.on('connect', () => {
      socket.write(head);
      // One byte a second: never fast enough to finish before any timeout.
      timer = setInterval(() => socket.writable && socket.write('a'), 1000);
    });
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ heldMs: Date.now() - t0, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), text: answer.slice(answer.indexOf('\r\n\r\n') + 4) });
    });
  });
}

/**
 * Runs the slow clients against a collector while a legitimate client sends batches.
 * @param {{ url: string, port: number, clients: number, timeoutMs: number }} o `timeoutMs`: the collector's request timeout
 */
export async function slowloris(o) {
  const slow = [];
  for (let i = 0; i < o.clients; i++) slow.push(slowClient(o.port, { body: i % 2 === 1 }));
  const legit = [];
  const deadline = Date.now() + o.timeoutMs + 2000;
  while (Date.now() < deadline) {
    const t = Date.now();
    const res = await postBatch(o.url, validBatch(dayOf(Date.now())));
    legit.push({ status: res.status, ms: Date.now() - t });
    await sleep(150);
  }
  const ended = await Promise.race([Promise.all(slow), sleep(o.timeoutMs * 3 + 10_000).then(() => null)]);
  return {
    clients: o.clients,
    closedByServer: ended === null ? 0 : ended.length,
    answered408: ended === null ? 0 : ended.filter((r) => r.status === 408 && codeOf(r) === 'REQUEST_TIMEOUT').length,
    longestHeldMs: ended === null ? Infinity : Math.max(...ended.map((r) => r.heldMs)),
    legitSent: legit.length,
    legitAccepted: legit.filter((r) => r.status === 202).length,
    legitSlowestMs: Math.max(...legit.map((r) => r.ms)),
  };
}

/** Requests that are too large in one way or another; each must be refused with its own code. */
export async function oversized(url) {
  const day = dayOf(Date.now());
  const cases = [
    { name: 'one 20 KB header', codes: ['HEADERS_TOO_LARGE'], req: { method: 'GET', path: '/healthz', headers: { 'x-big': 'a'.repeat(20_000) } } },
    { name: '400 headers of 64 bytes', codes: ['HEADERS_TOO_LARGE'], req: { method: 'GET', path: '/healthz', headers: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`x-h${i}`, 'b'.repeat(64)])) } },
    { name: 'a 20 KB URL', codes: ['HEADERS_TOO_LARGE', 'NOT_FOUND'], req: { method: 'GET', path: `/v1/stats?event=${'c'.repeat(20_000)}` } },
    { name: 'a 2 MB body', codes: ['BODY_TOO_LARGE'], req: { method: 'POST', path: '/v1/batches', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(2 * 1048576, 0x20) } },
    { name: 'a gzip bomb (100 MB of zeros in 100 KB)', codes: ['BODY_TOO_LARGE'], req: { method: 'POST', path: '/v1/batches', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(100 * 1048576, 0x30), { level: 9 }) } },
    { name: 'JSON nested 10,000 deep', codes: ['TOO_DEEP'], req: { method: 'POST', path: '/v1/batches', headers: { 'content-type': 'application/json' }, body: Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) } },
    { name: '5,000 events in one batch', codes: ['TOO_MANY_EVENTS', 'BODY_TOO_LARGE'], req: { method: 'POST', path: '/v1/batches', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ ...validBatch(day), events: Array.from({ length: 5000 }, () => validBatch(day).events[0]) })) } },
    { name: 'a declared length larger than the body', codes: ['REQUEST_TIMEOUT', 'MALFORMED_BODY'], slow: true, req: { method: 'POST', path: '/v1/batches', headers: { 'content-type': 'application/json', 'content-length': '5000' }, body: Buffer.from('{"v":1}') } },
  ];
  const out = [];
  for (const c of cases) {
    const h = { ...c.req.headers };
    if (c.req.body && !h['content-length']) h['content-length'] = String(c.req.body.length);
    const res = await httpRequest({ url: `${url}${c.req.path}`, method: c.req.method, headers: h, body: c.req.body, timeoutMs: 60_000 });
    out.push({ name: c.name, status: res.status, code: codeOf(res), verdict: judgeRefusal(res, { codes: c.codes }) });
  }
  return out;
}
