import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WireBatch } from '@candor/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstrumentedServer } from '../../src/start/start-instrumented-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let running: InstrumentedServer;

beforeAll(async () => {
  stack = await startTestStack();
  running = await stack.install();
});
afterAll(async () => stack?.close());

describe('crash reports from the media server', () => {
  it('answers a failing request with a plain 500 and reports the error scrubbed', async () => {
    // A real failure: the settings cannot be written because a directory sits where the
    // temporary file goes. The error message carries the data folder's path.
    const dataDir = running.dataDir;
    mkdirSync(join(dataDir, 'settings.json.tmp'));
    const owner = await stack.signIn(running);
    const answer = await fetch(`${running.url}/api/settings`, { method: 'PUT', headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ webhook: { url: 'https://hub.example/hook' } }) });
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ error: { code: 'internal_error', message: 'the server failed to answer this request' } });

    await running.telemetry.flush();
    const batches = running.telemetry.sentLog.list({ category: 'crash', kind: 'batch' });
    expect(batches.length).toBeGreaterThan(0);
    const crash = batches.flatMap((b) => (JSON.parse(b.body) as WireBatch).events).find((e) => e.name === 'crash.report');
    expect(crash?.fields).toMatchObject({ errorType: 'Error', serverVersion: '0.1' });
    expect(String(crash?.fields['message'])).toMatch(/EISDIR/);
    for (const b of batches) expect(b.body).not.toContain(dataDir);
    expect(batches.every((b) => b.status === 'delivered')).toBe(true);
  });
});
