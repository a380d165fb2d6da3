import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogSpec, CategoryId } from '@candor/catalog';
import { periodOf, periodRange, type WireEvent } from '@candor/protocol';
import { createTelemetry } from '../client/create-telemetry.js';
import type { Telemetry } from '../client/types.js';
import type { TelemetryDiagnostic } from '../options/diagnostics.js';
import type { TelemetryOptions } from '../options/telemetry-options.js';
import { createSeededRandom, seededBytes } from '../util/seeded-random.js';
import { createMemoryTransport, type MemoryTransport } from './memory-transport.js';

/** A clock a test moves by hand. */
export interface TestClock {
  readonly now: () => number;
  readonly advance: (ms: number) => void;
  readonly set: (ms: number) => void;
}

/** Options of {@link createTestTelemetry}: the catalog, and any client option to override. */
export type TestTelemetryOptions<S extends CatalogSpec> = Partial<Omit<TelemetryOptions<S>, 'catalog' | 'dataDir' | 'endpoint' | 'transport' | 'now' | 'random' | 'randomBytes'>> & {
  readonly catalog: S;
  /** Where the clock starts. @default 2026-06-01T12:00:00Z */
  readonly startMs?: number;
  /** Seed of the sampling and shuffling randomness, so runs repeat. @default 1 */
  readonly seed?: number;
  /** Consent to set before the test starts. */
  readonly consent?: Partial<Record<CategoryId<S>, boolean>>;
};

/** A client wired to a memory collector, a hand-moved clock and a temporary data directory. */
export interface TestTelemetry<S extends CatalogSpec> {
  readonly client: Telemetry<S>;
  readonly transport: MemoryTransport;
  readonly clock: TestClock;
  readonly dataDir: string;
  /** Diagnostics the client reported. */
  readonly diagnostics: readonly TelemetryDiagnostic[];
  /** Commits and sends what may leave now. */
  flush(): Promise<void>;
  /** Moves the clock to the start of the next linkage period and flushes, so that sampled events are released. */
  endPeriod(): Promise<void>;
  /** The generalized events the memory collector holds. */
  sent(): WireEvent[];
  /** Shuts the client down and removes the data directory. */
  close(): Promise<void>;
}

/**
 * A test client for hosts: record through it and check what would leave, with no network,
 * no waiting and no trace left on disk.
 * @example
 * const t = createTestTelemetry({ catalog: mediaServerCatalog });
 * t.client.record('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '3.2.1' });
 * await t.flush();
 * expect(t.sent().map((e) => e.name)).toContain('client.session');
 * await t.close();
 */
export function createTestTelemetry<const S extends CatalogSpec>(options: TestTelemetryOptions<S>): TestTelemetry<S> {
  const { catalog, startMs = Date.UTC(2026, 5, 1, 12), seed = 1, consent, ...rest } = options;
  let t = startMs;
  const clock: TestClock = {
    now: () => t,
    advance: (ms) => void (t += ms),
    set: (ms) => void (t = ms),
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-test-'));
  const transport = createMemoryTransport({ catalog });
  const random = createSeededRandom(seed);
  const diagnostics: TelemetryDiagnostic[] = [];
  const client = createTelemetry<S>({
    flushIntervalMs: 0,
    env: {},
    onDiagnostic: (d) => void diagnostics.push(d),
    ...rest,
    catalog,
    dataDir,
    transport,
    now: clock.now,
    random,
    randomBytes: seededBytes(random),
  });
  for (const [category, granted] of Object.entries(consent ?? {})) client.consent.set(category, granted as boolean);
  const flush = async (): Promise<void> => void (await client.flush());
  return {
    client,
    transport,
    clock,
    dataDir,
    diagnostics,
    flush,
    async endPeriod() {
      clock.set(periodRange(periodOf(clock.now(), catalog.linkagePeriod))!.endMs);
      await flush();
    },
    sent: () => transport.events(),
    async close() {
      await client.shutdown({ flush: false });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
