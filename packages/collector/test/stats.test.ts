import type { LightMyRequestResponse } from 'fastify';
import { PATHS } from '@candor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, clientEvent, createTestCollector, dayAt, playbackEvent, postBatch, serverDailyEvent, wireBatch, type TestCollector } from './support/harness.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);
const today = dayAt(NOW);
let c: TestCollector;

afterEach(async () => {
  await c?.close();
});

function stats(query: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` }, path: string = PATHS.stats): Promise<LightMyRequestResponse> {
  return c.app.inject({ method: 'GET', url: `${path}?${query}`, headers });
}

async function send(day: string, events: Parameters<typeof wireBatch>[1]): Promise<void> {
  const res = await postBatch(c.app, wireBatch(day, events));
  expect(res.statusCode).toBe(202);
}

describe('GET /v1/stats', () => {
  it('releases counts and distinct installs equal to the truth, suppressing cells below k', async () => {
    c = await createTestCollector({ now: () => NOW });
    // 12 installs play on a TV, 3 on the web; each TV install plays twice.
    for (let i = 0; i < 12; i++) await send(today, [playbackEvent(today, { deviceType: 'tv' }), playbackEvent(today, { deviceType: 'tv', container: 'mp4' })]);
    for (let i = 0; i < 3; i++) await send(today, [playbackEvent(today, { deviceType: 'web' })]);
    const res = await stats(`event=playback.session&groupBy=deviceType&from=${today}&to=${today}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ event: 'playback.session', groupBy: ['deviceType'], granularity: 'day', k: 10, noise: null, suppressedCells: 1, withheldCells: 0 });
    expect(body.cells).toEqual([
      { period: today, deviceType: 'tv', events: 24, installs: 12, suppressed: false, noised: false },
      { period: today, deviceType: 'web', events: null, installs: null, suppressed: true, noised: false },
    ]);
    // The same answer once the day is rolled up.
    await c.store.maintain();
    expect((await stats(`event=playback.session&groupBy=deviceType&from=${today}&to=${today}`)).json().cells).toEqual(body.cells);
  });

  it('suppresses weekly cells by their peak daily installs, since daily pseudonyms cannot be linked', async () => {
    c = await createTestCollector({ now: () => NOW });
    // Five different installs a day on mobile for seven days: 35 install-days, never 10 on one day.
    for (let d = 0; d < 7; d++) {
      const day = dayAt(NOW - d * DAY);
      for (let i = 0; i < 5; i++) await send(day, [clientEvent(day, 'mobile', 'ios')]);
      for (let i = 0; i < 10; i++) await send(day, [clientEvent(day, 'tv', 'roku')]);
    }
    const body = (await stats(`event=client.session&groupBy=deviceType&from=${dayAt(NOW - 6 * DAY)}&to=${today}&granularity=month`)).json();
    const mobile = body.cells.find((x: { deviceType: string }) => x.deviceType === 'mobile');
    const tv = body.cells.find((x: { deviceType: string }) => x.deviceType === 'tv');
    expect(mobile).toMatchObject({ suppressed: true, events: null });
    expect(tv).toMatchObject({ suppressed: false, events: 70, installs: 70 });
  });

  it('gives the CSV of released cells, by format=csv or Accept: text/csv', async () => {
    c = await createTestCollector({ now: () => NOW });
    for (let i = 0; i < 10; i++) await send(today, [clientEvent(today, 'tv', 'roku')]);
    await send(today, [clientEvent(today, 'web', 'web')]);
    const csv = await stats(`event=client.session&groupBy=deviceType,clientPlatform&from=${today}&to=${today}&format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toBe(`period,deviceType,clientPlatform,events,installs,noised\r\n${today},tv,roku,10,10,false\r\n`);
    const accept = await stats(`event=client.session&groupBy=deviceType,clientPlatform&from=${today}&to=${today}`, { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'text/csv' });
    expect(accept.body).toBe(csv.body);
  });

  it('refuses without the admin token, or with a wrong one', async () => {
    c = await createTestCollector({ now: () => NOW });
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${ADMIN_TOKEN}` }, { authorization: 'Bearer ' }]) {
      const res = await stats('event=client.session', headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
  });

  it.each([
    ['event=nope', 'event'],
    ['event=client.session&groupBy=title', 'groupBy.title'],
    ['event=crash.report&groupBy=message', 'groupBy.message'],
    ['event=client.session&groupBy=deviceType,deviceType', 'groupBy'],
    ['event=client.session&granularity=hour', 'granularity'],
    ['event=client.session&from=2026-11-31', 'from'],
    ['event=client.session&from=2026-11-20&to=2026-11-01', 'from'],
    ['event=client.session&from=2020-01-01&to=2026-11-01', 'from'],
    ['event=client.session&epsilon=-1', 'epsilon'],
    ['event=client.session&epsilon=0.5&mechanism=gaussian', 'mechanism'],
    ['event=client.session&format=xml', 'format'],
  ])('refuses %s as INVALID_QUERY naming %s', async (query, path) => {
    c = await createTestCollector({ now: () => NOW });
    const res = await stats(query);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_QUERY', details: [{ path }] });
  });

  it('adds noise per query and refuses once the daily budget of the dataset is spent', async () => {
    // A uniform source of 0.5 draws zero noise from either mechanism: the answer must equal the truth.
    c = await createTestCollector({ now: () => NOW, options: { dailyEpsilon: 1 }, deps: { uniform: () => 0.5 } });
    for (let i = 0; i < 12; i++) await send(today, [clientEvent(today, 'tv', 'roku')]);
    const first = await stats(`event=client.session&groupBy=deviceType&from=${today}&to=${today}&epsilon=0.6&mechanism=laplace`);
    expect(first.statusCode).toBe(200);
    expect(first.json().noise).toEqual({ mechanism: 'laplace', epsilon: 0.6, sensitivity: 50, budget: { day: today, spent: 0.6, limit: 1 } });
    expect(first.json().cells).toEqual([{ period: today, deviceType: 'tv', events: 12, installs: 12, suppressed: false, noised: true }]);
    const second = await stats(`event=client.session&groupBy=deviceType&from=${today}&to=${today}&epsilon=0.6`);
    expect(second.statusCode).toBe(429);
    expect(second.json().error.code).toBe('PRIVACY_BUDGET_EXHAUSTED');
    // Another dataset has its own budget.
    expect((await stats(`event=playback.session&epsilon=0.6`)).statusCode).toBe(200);
  });

  it('noises counts with real randomness and withholds suppressed cells when noise is on', async () => {
    c = await createTestCollector({ now: () => NOW, options: { dailyEpsilon: 100, maxEpsilonPerQuery: 50 } });
    // 150 installs against noise of scale 50/(10/2) = 10: the TV cell stays above k but for a e^-14 chance.
    await Promise.all(Array.from({ length: 150 }, () => send(today, [clientEvent(today, 'tv', 'roku')])));
    await send(today, [clientEvent(today, 'web', 'web')]);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await stats(`event=client.session&groupBy=deviceType&from=${today}&to=${today}&epsilon=10`)).json());
    for (const a of answers) {
      // Suppressed cells are left out under noise: listing them would reveal that someone is in them.
      expect(a.cells.some((x: { suppressed: boolean }) => x.suppressed)).toBe(false);
      const tv = a.cells.find((x: { deviceType: string }) => x.deviceType === 'tv');
      expect(tv.noised).toBe(true);
      expect(Math.abs(tv.events - 150)).toBeLessThan(150);
    }
    expect(new Set(answers.map((a) => a.cells[0]?.events)).size).toBeGreaterThan(1);
  });

  it('refuses queries without epsilon when the collector requires noise', async () => {
    c = await createTestCollector({ now: () => NOW, options: { requireNoise: true } });
    const res = await stats('event=client.session');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('epsilon');
  });
});

describe('GET /v1/stats/active', () => {
  it('estimates weekly active installs as the sum of 1/activeDays7 over the reports of the week', async () => {
    c = await createTestCollector({ now: () => NOW });
    // ISO week of 2026-11-16 (Mon) to 2026-11-22 (Sun); NOW is Friday 2026-11-20.
    // 12 installs report every day Mon–Fri with activeDays7 = 5; 8 report only on Monday with activeDays7 = 1.
    for (let d = 0; d < 5; d++) {
      const day = dayAt(Date.UTC(2026, 10, 16 + d));
      for (let i = 0; i < 12; i++) await send(day, [serverDailyEvent(day, { activeDays7: 5, platform: 'linux' })]);
      if (d === 0) for (let i = 0; i < 8; i++) await send(day, [serverDailyEvent(day, { activeDays7: 1, platform: 'windows' })]);
    }
    const body = (await stats('granularity=week&from=2026-11-16&to=2026-11-20', undefined, `${PATHS.stats}/active`)).json();
    expect(body).toMatchObject({ event: 'server.daily', field: 'activeDays7', from: '2026-11-16', to: '2026-11-22' });
    expect(body.cells).toEqual([{ period: '2026-W47', active: 20, reports: 68, suppressed: false, noised: false }]);
    // By platform, the 8 Windows installs are fewer than k on every day: suppressed.
    const by = (await stats('granularity=week&from=2026-11-16&to=2026-11-20&groupBy=platform', undefined, `${PATHS.stats}/active`)).json();
    expect(by.cells).toEqual([
      { period: '2026-W47', platform: 'linux', active: 12, reports: 60, suppressed: false, noised: false },
      { period: '2026-W47', platform: 'windows', active: null, reports: null, suppressed: true, noised: false },
    ]);
    // Daily: distinct installs per day.
    const daily = (await stats('granularity=day&from=2026-11-16&to=2026-11-17', undefined, `${PATHS.stats}/active`)).json();
    expect(daily.cells.map((x: { active: number }) => x.active)).toEqual([20, 12]);
  });

  it('estimates monthly active installs from activeDays28 buckets', async () => {
    c = await createTestCollector({ now: () => NOW });
    const day = today;
    for (let i = 0; i < 10; i++) await send(day, [serverDailyEvent(day, { activeDays28: 1 })]);
    for (let i = 0; i < 10; i++) await send(day, [serverDailyEvent(day, { activeDays28: 3 })]);
    const body = (await stats(`granularity=month&from=${day}&to=${day}`, undefined, `${PATHS.stats}/active`)).json();
    // Bucket "2–3" stands for 2 or 3 days: mean of 1/2 and 1/3.
    expect(body.cells[0].active).toBeCloseTo(10 + 10 * ((1 / 2 + 1 / 3) / 2), 2);
  });
});

describe('GET /v1/catalogs', () => {
  it('lists the accepted catalog versions', async () => {
    c = await createTestCollector({ now: () => NOW });
    const res = await c.app.inject({ method: 'GET', url: PATHS.catalogs });
    expect(res.json()).toEqual({ catalogs: [{ id: 'media-server', current: '1.0.0', versions: [{ version: '1.0.0', effectiveDate: '2026-01-01' }], linkagePeriod: 'day' }] });
  });
});

