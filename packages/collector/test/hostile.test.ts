import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { ERROR_CODES, PATHS } from '@candor/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, clientEvent, createTestCollector, dayAt, hex, playbackEvent, serverDailyEvent, wireBatch, type TestCollector } from './support/harness.js';

const NOW = Date.now();
const today = dayAt(NOW);
let c: TestCollector;

beforeAll(async () => {
  c = await createTestCollector({ now: () => NOW, options: { requestTimeoutMs: 2000 } });
  await c.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await c.close();
});

const validBatch = fc.constantFrom(0, 1, 2).map((kind) => wireBatch(today, kind === 0 ? [clientEvent(today)] : kind === 1 ? [playbackEvent(today), clientEvent(today, 'tv', 'roku')] : [serverDailyEvent(today)]));

const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 })),
})).value;

// Mutations of a valid batch: the envelope or an event gets a hostile value somewhere.
const mutated = fc
  .tuple(validBatch, fc.constantFrom('v', 'catalog', 'pseudonym', 'period', 'batchKey', 'events', 'event.name', 'event.time', 'event.fields', 'field', 'extraField', 'proto', 'constructor'), jsonish, fc.string({ maxLength: 40 }))
  .map(([batch, where, value, key]) => {
    const b = JSON.parse(JSON.stringify(batch)) as Record<string, unknown> & { events: Record<string, unknown>[] };
    const event = b.events[0]!;
    const fields = event.fields as Record<string, unknown>;
    switch (where) {
      case 'event.name':
        event.name = value;
        break;
      case 'event.time':
        event.time = value;
        break;
      case 'event.fields':
        event.fields = value;
        break;
      case 'field':
        fields[Object.keys(fields)[0]!] = value;
        break;
      case 'extraField':
        fields[key] = value;
        break;
      case 'proto':
        return JSON.stringify(b).replace('{', `{"__proto__":${JSON.stringify({ polluted: value })},`);
      case 'constructor':
        return JSON.stringify(b).replace('"fields":{', `"fields":{"constructor":{"prototype":{"polluted":true}},`);
      default:
        (b as Record<string, unknown>)[where] = value;
    }
    return JSON.stringify(b);
  });

const deepJson = fc.integer({ min: 9, max: 20_000 }).map((depth) => `{"v":1,"events":${'['.repeat(depth)}${']'.repeat(depth)}}`);
// Large payloads are built once: compressing megabytes for each run would only slow the test.
const BOMBS = [5, 16, 64].map((mb) => gzipSync(Buffer.alloc(mb * 1024 * 1024, 0x5b)));
const HUGE = [10_000, 300_000, 3_000_000].map((n) => gzipSync(JSON.stringify({ ...wireBatch(today, [clientEvent(today)]), pseudonym: 'a'.repeat(n) })));
const bytes = fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a));

type Req = { kind: string; inject: InjectOptions };

const post = (payload: Buffer | string, headers: Record<string, string>, url: string = PATHS.batches): InjectOptions => ({ method: 'POST', url, headers, payload });
const json = { 'content-type': 'application/json' };
const gz = { 'content-type': 'application/json', 'content-encoding': 'gzip' };

const hostile: fc.Arbitrary<Req> = fc.oneof(
  { weight: 5, arbitrary: bytes.map((b) => ({ kind: 'random bytes', inject: post(b, json) })) },
  { weight: 3, arbitrary: bytes.map((b) => ({ kind: 'random gzip bytes', inject: post(b, gz) })) },
  {
    weight: 4,
    arbitrary: fc.tuple(validBatch, fc.nat()).map(([b, cut]) => {
      const z = gzipSync(JSON.stringify(b));
      return { kind: 'truncated gzip', inject: post(z.subarray(0, cut % z.length), gz) };
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...BOMBS).map((bomb) => ({ kind: 'zip bomb', inject: post(bomb, gz) })) },
  { weight: 2, arbitrary: deepJson.map((t) => ({ kind: 'deep JSON', inject: post(gzipSync(t), gz) })) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE).map((z) => ({ kind: 'huge string', inject: post(z, gz) })) },
  { weight: 12, arbitrary: mutated.map((t) => ({ kind: 'mutated batch', inject: post(gzipSync(t), gz) })) },
  { weight: 3, arbitrary: jsonish.map((v) => ({ kind: 'random JSON', inject: post(JSON.stringify(v) ?? 'null', json) })) },
  {
    weight: 3,
    arbitrary: fc.tuple(validBatch, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '', 'application/jsonp', 'application/json-seq')).map(([b, type]) => ({ kind: 'wrong content type', inject: post(JSON.stringify(b), type === '' ? {} : { 'content-type': type }) })),
  },
  { weight: 2, arbitrary: fc.tuple(validBatch, fc.constantFrom('br', 'deflate', 'gzip, gzip', 'compress', 'identity, gzip', 'zstd')).map(([b, enc]) => ({ kind: 'wrong encoding', inject: post(gzipSync(JSON.stringify(b)), { ...json, 'content-encoding': enc }) })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.constantFrom(PATHS.batches, PATHS.stats, PATHS.subjectsDelete, '/v1/../etc/passwd', '/%2e%2e/', '/v1/batches/../stats', `/${'a'.repeat(5000)}`)).map(([method, url]) => ({ kind: 'wrong method or path', inject: { method: method as 'GET', url } })) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.webQueryParameters(), fc.boolean()).map(([q, auth]) => ({ kind: 'stats query', inject: { method: 'GET' as const, url: `${PATHS.stats}?${q}`, headers: auth ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {} } })),
  },
  { weight: 3, arbitrary: fc.tuple(jsonish, fc.boolean()).map(([v, del]) => ({ kind: 'subject request', inject: post(JSON.stringify(v) ?? '{}', json, del ? PATHS.subjectsDelete : PATHS.subjectsExport) })) },
  { weight: 1, arbitrary: validBatch.map((b) => ({ kind: 'valid batch', inject: post(gzipSync(JSON.stringify({ ...b, batchKey: hex(16) })), gz) })) },
);

function rawExchange(text: string | Buffer): Promise<string> {
  const address = c.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
  });
}

describe('hostile input', () => {
  it('answers 10,000 malformed and hostile requests with documented 4xx, never 5xx, and stores nothing of a refused batch', { timeout: 900_000 }, async () => {
    const kinds = new Map<string, number>();
    let acceptedEvents = 0;
    await fc.assert(
      fc.asyncProperty(hostile, async (req) => {
        kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
        const res = await c.app.inject(req.inject);
        expect(res.statusCode, `${req.kind} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400 && req.inject.method !== 'HEAD') {
          const code = res.json<{ error: { code: keyof typeof ERROR_CODES } }>().error.code;
          expect(ERROR_CODES[code]?.status, `${req.kind}: ${code}`).toBe(res.statusCode);
        }
        if (res.statusCode === 202) {
          const answer = res.json<{ accepted: number; duplicate: boolean }>();
          acceptedEvents += answer.duplicate ? 0 : answer.accepted;
        }
      }),
      { numRuns: 10_000, seed: Number(process.env.FUZZ_SEED ?? 20261129) },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(kinds.size).toBeGreaterThanOrEqual(14);
    // Every stored row belongs to a batch that was answered 202: nothing of a refused batch.
    const exported = await c.store.queryAggregates({ event: 'client.session', groupBy: [], from: today, to: today, granularity: 'day' });
    const others = await Promise.all(['playback.session', 'server.daily'].map((event) => c.store.queryAggregates({ event, groupBy: [], from: today, to: today, granularity: 'day' })));
    const stored = [exported, ...others].flat().reduce((s, x) => s + x.events, 0);
    expect(stored).toBe(acceptedEvents);
    expect((await c.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers oversized headers and broken HTTP on a real socket without falling over', async () => {
    const cases: [string | Buffer, RegExp][] = [
      [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`, /^HTTP\/1.1 431/],
      [`GET /healthz HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`, /^HTTP\/1.1 431/],
      ['NOT HTTP AT ALL\r\n\r\n', /^HTTP\/1.1 400/],
      [`POST ${PATHS.batches} HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n`, /^HTTP\/1.1 400/],
      [`POST ${PATHS.batches} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, /^HTTP\/1.1 400/],
      [Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00]), /^HTTP\/1.1 400/],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), async ([text, expected]) => {
        const answer = await rawExchange(text);
        expect(answer).toMatch(expected);
      }),
      { numRuns: 60 },
    );
    expect((await c.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
