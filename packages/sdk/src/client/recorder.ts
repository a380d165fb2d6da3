import type { CompiledEvent, Payload } from '@candor/catalog';
import { dayOf, periodOf, periodRange } from '@candor/protocol';
import type { ConsentStore } from '../consent/consent-store.js';
import { createReservoir, offerToReservoir, type Reservoir } from '../linkage/reservoir.js';
import type { ResolvedTelemetryOptions } from '../options/telemetry-options.js';
import type { QueuedEvent } from '../outbox/outbox.js';
import { resolvePolicy, type PolicyInfo } from '../policy/resolve-policy.js';
import type { Counters } from '../stats/counters.js';
import type { RecordOutcome } from './types.js';

const DAY_MS = 86_400_000;

/** Who offered an event: the host, an extension (crash reports, integrations) or the SDK itself. */
export type EventSource = 'host' | 'extension' | 'auto';

/** A reservoir slot: a payload recorded in this process, or wire JSON restored from the outbox. */
type Held = Payload | string;

interface EventState {
  readonly name: string;
  readonly compiled: CompiledEvent;
  readonly category: string;
  readonly gate: { granted: boolean };
  /** False for events the SDK records itself. */
  readonly hostAllowed: boolean;
  readonly maxPerPeriod: number;
  readonly sampled: boolean;
  blocked: boolean;
  /** Reports this period (non-sampled events). */
  count: number;
  countDirty: boolean;
  /** This period's sample (sampled events). */
  reservoir: Reservoir<Held> | null;
  dirtySlots: Set<number>;
}

/** A finished period's sample, to be released at the next commit. */
export interface PendingRelease {
  readonly period: string;
  readonly name: string;
  readonly reservoir: Reservoir<Held>;
}

/** What one group commit writes. */
export interface CommitInput {
  readonly events: QueuedEvent[];
  readonly counts: { readonly period: string; readonly name: string; readonly count: number }[];
  readonly heldSlots: { readonly period: string; readonly name: string; readonly slot: number; readonly json: string }[];
  readonly releases: PendingRelease[];
}

/** Dependencies of {@link createRecorder}. */
export interface RecorderContext {
  readonly options: ResolvedTelemetryOptions;
  readonly counters: Counters;
  readonly consent: ConsentStore;
  /** Asks for a commit soon (the buffer filled up, or a period ended). */
  readonly commitSoon: () => void;
}

/**
 * The in-memory side of the client: the `record()` hot path, consent gates, linkage limits,
 * the current period's samples and the buffer of accepted events until the next group commit.
 * Nothing here does I/O.
 */
export function createRecorder(ctx: RecorderContext) {
  const { options, counters } = ctx;
  const { compiled, random, now: clock } = options;
  const spec = options.catalog;
  const linkage = spec.linkagePeriod;
  const maxBuffered = options.maxBufferedEvents;
  // Commit soon after a thousand events: a host that yields between bursts then never fills the
  // buffer, and few events live long enough in memory to make V8 grow its young generation.
  const highWater = Math.max(1, Math.min(maxBuffered, 1024));

  const gates = new Map<string, { granted: boolean }>();
  for (const id of Object.keys(spec.categories)) gates.set(id, { granted: ctx.consent.isGranted(id) });
  const countEvents = new Set(Object.values(spec.events).flatMap((e) => (e.sampled ? [e.sampled.countEvent] : [])));
  const events = new Map<string, EventState>();
  for (const [name, ev] of compiled.events) {
    events.set(name, {
      name,
      compiled: ev,
      category: ev.category,
      gate: gates.get(ev.category)!,
      hostAllowed: ev.spec.auto === undefined && !countEvents.has(name),
      maxPerPeriod: ev.spec.maxPerPeriod,
      sampled: ev.spec.sampled !== undefined,
      blocked: false,
      count: 0,
      countDirty: false,
      reservoir: ev.spec.sampled ? createReservoir<Held>(ev.spec.maxPerPeriod) : null,
      dirtySlots: new Set(),
    });
  }
  const autoEvent = [...events.values()].find((e) => e.compiled.spec.auto === 'consent-state') ?? null;

  let closed = false;
  let dayStartMs = 0;
  let dayEndMs = -1;
  let today = '';
  let period = '';
  let periodDay = '';
  let policy: PolicyInfo = resolvePolicy(spec, dayOf(clock()));
  let pendingReleases: PendingRelease[] = [];
  let pendingCounts: { period: string; name: string; count: number }[] = [];
  let lastInvalid: { event: string; message: string } | null = null;

  // The buffer as parallel arrays: one push per field and no wrapper object per event.
  let bufEvents: EventState[] = [];
  let bufPayloads: Payload[] = [];
  let bufPeriods: string[] = [];
  let bufDays: string[] = [];
  let bufTimes: number[] = [];

  function rollDay(nowMs: number): void {
    const start = Math.floor(nowMs / DAY_MS) * DAY_MS;
    // A clock that steps back stays in the day it had reached: periods only move forward.
    if (start < dayStartMs) return;
    dayStartMs = start;
    dayEndMs = start + DAY_MS;
    today = dayOf(start);
    const p = periodOf(start, linkage);
    if (p !== period) {
      if (period !== '') {
        for (const ev of events.values()) {
          if (ev.reservoir !== null) {
            if (ev.reservoir.count > 0) pendingReleases.push({ period, name: ev.name, reservoir: ev.reservoir });
            ev.reservoir = createReservoir<Held>(ev.maxPerPeriod);
            ev.dirtySlots = new Set();
          } else if (ev.countDirty) {
            pendingCounts.push({ period, name: ev.name, count: ev.count });
          }
          ev.count = 0;
          ev.countDirty = false;
        }
      }
      period = p;
      periodDay = dayOf(periodRange(p)!.startMs);
    }
    policy = resolvePolicy(spec, today);
    const blocked = new Set(policy.notYetEffective);
    for (const ev of events.values()) ev.blocked = blocked.has(ev.name);
    ctx.commitSoon();
  }
  rollDay(clock());

  function enqueue(name: string, raw: unknown, source: EventSource): RecordOutcome {
    const c = counters;
    if (source === 'auto') c.generated++;
    else c.recorded++;
    if (closed) {
      c.dropped.shutdown++;
      return 'shutdown';
    }
    const ev = events.get(name);
    if (ev === undefined || (source === 'host' && !ev.hostAllowed)) {
      c.dropped.invalid_event++;
      lastInvalid = { event: typeof name === 'string' ? name.slice(0, 64) : typeof name, message: ev === undefined ? 'this event is not declared in the catalog' : 'this event is recorded by Candor itself' };
      return 'invalid_event';
    }
    if (!ev.gate.granted) {
      c.dropped.consent_denied++;
      return 'consent_denied';
    }
    const nowMs = clock();
    if (nowMs >= dayEndMs) rollDay(nowMs);
    if (ev.blocked) {
      c.dropped.not_yet_effective++;
      return 'not_yet_effective';
    }
    const r = ev.compiled.normalize(raw);
    if (!r.ok) {
      c.dropped.invalid_event++;
      lastInvalid = { event: name, message: r.error.message };
      return 'invalid_event';
    }
    const reservoir = ev.reservoir;
    if (reservoir !== null) {
      c.accepted++;
      const slot = offerToReservoir<Held>(reservoir, r.payload, random);
      // Past the bound, every offer pushes exactly one report out of the sample (the new one or an older one).
      if (reservoir.count > reservoir.max) c.dropped.sampled_out++;
      if (slot >= 0) ev.dirtySlots.add(slot);
      ev.countDirty = true;
      return 'accepted';
    }
    if (ev.count >= ev.maxPerPeriod) {
      c.dropped.period_limit++;
      return 'period_limit';
    }
    const n = bufEvents.length;
    if (n >= maxBuffered) {
      c.dropped.buffer_full++;
      return 'buffer_full';
    }
    ev.count++;
    ev.countDirty = true;
    c.accepted++;
    bufEvents.push(ev);
    bufPayloads.push(r.payload);
    bufPeriods.push(period);
    bufDays.push(today);
    bufTimes.push(nowMs);
    if (n + 1 === highWater) ctx.commitSoon();
    return 'accepted';
  }

  const wireJson = (name: string, time: string, held: Held): string => (typeof held === 'string' ? held : JSON.stringify({ name, time, fields: held }));

  return {
    enqueue,

    /** Rolls the day (and period) forward if the clock has passed its end. */
    tick(): void {
      const nowMs = clock();
      if (nowMs >= dayEndMs) rollDay(nowMs);
    },

    get period(): string {
      return period;
    },
    get today(): string {
      return today;
    },
    policy: (): PolicyInfo => policy,
    lastInvalid: () => lastInvalid,
    buffered: (): number => bufEvents.length,
    held(): number {
      let n = 0;
      for (const ev of events.values()) if (ev.reservoir) n += ev.reservoir.items.length;
      for (const r of pendingReleases) n += r.reservoir.items.length;
      return n;
    },
    setGranted(category: string, granted: boolean): void {
      const gate = gates.get(category);
      if (gate) gate.granted = granted;
    },
    close(): void {
      closed = true;
    },

    /** The consent-state event's raw fields, when it is due this period (at most once). */
    autoEventDue(): { name: string; raw: Record<string, boolean> } | null {
      if (autoEvent === null || autoEvent.count > 0 || !autoEvent.gate.granted || autoEvent.blocked) return null;
      const raw: Record<string, boolean> = {};
      for (const f of autoEvent.compiled.fields) raw[f.rawKeys[0]!] = ctx.consent.isGranted(f.name);
      return { name: autoEvent.name, raw };
    },

    /** Restores this period's counts and samples from the outbox after a start. */
    restore(counts: ReadonlyMap<string, number>, held: ReadonlyMap<string, string[]>): void {
      for (const ev of events.values()) {
        const count = counts.get(ev.name) ?? 0;
        if (ev.reservoir !== null) {
          const slots = held.get(ev.name) ?? [];
          ev.reservoir = { max: ev.maxPerPeriod, count: Math.max(count, slots.length), items: slots.slice(0, ev.maxPerPeriod) };
        } else {
          ev.count = Math.max(ev.count, count);
        }
      }
    },

    /** Marks all state dirty, after the outbox was recreated empty. */
    markAllDirty(): void {
      for (const ev of events.values()) {
        ev.countDirty = ev.count > 0 || (ev.reservoir?.count ?? 0) > 0;
        if (ev.reservoir) ev.reservoir.items.forEach((_, i) => ev.dirtySlots.add(i));
      }
    },

    /** Everything the next group commit must write. Leaves the state untouched until {@link acknowledge}. */
    collect(): CommitInput {
      const out: QueuedEvent[] = new Array<QueuedEvent>(bufEvents.length);
      for (let i = 0; i < bufEvents.length; i++) {
        const ev = bufEvents[i]!;
        out[i] = { period: bufPeriods[i]!, name: ev.name, category: ev.category, json: JSON.stringify({ name: ev.name, time: bufDays[i]!, fields: bufPayloads[i]! }), createdMs: bufTimes[i]! };
      }
      const counts = pendingCounts.slice();
      const heldSlots: CommitInput['heldSlots'] = [];
      for (const ev of events.values()) {
        if (ev.reservoir !== null) {
          if (ev.countDirty) counts.push({ period, name: ev.name, count: ev.reservoir.count });
          for (const slot of ev.dirtySlots) heldSlots.push({ period, name: ev.name, slot, json: wireJson(ev.name, periodDay, ev.reservoir.items[slot]!) });
        } else if (ev.countDirty) {
          counts.push({ period, name: ev.name, count: ev.count });
        }
      }
      return { events: out, counts, heldSlots, releases: pendingReleases.slice() };
    },

    /** The commit of `input` succeeded: forget what it wrote. */
    acknowledge(): void {
      // A commit runs synchronously between collect() and here, so nothing was added meanwhile.
      dropBuffer();
      pendingCounts = [];
      pendingReleases = [];
      for (const ev of events.values()) {
        ev.countDirty = false;
        ev.dirtySlots.clear();
      }
    },

    /** The commit failed: the buffered events are lost (counted by the caller); samples and counts stay dirty for the next try. */
    dropBuffer,

    /** Wire JSON of a released sample item. */
    wireJson,

    /** Removes one category's events from memory; returns how many. */
    purge(category: string): number {
      let removed = 0;
      const keep = bufEvents.map((ev) => ev.category !== category);
      removed += keep.filter((k) => !k).length;
      bufEvents = bufEvents.filter((_, i) => keep[i]);
      bufPayloads = bufPayloads.filter((_, i) => keep[i]);
      bufPeriods = bufPeriods.filter((_, i) => keep[i]);
      bufDays = bufDays.filter((_, i) => keep[i]);
      bufTimes = bufTimes.filter((_, i) => keep[i]);
      for (const ev of events.values()) {
        if (ev.category !== category || ev.reservoir === null) continue;
        removed += ev.reservoir.items.length;
        ev.reservoir = createReservoir<Held>(ev.maxPerPeriod);
        ev.dirtySlots = new Set();
        ev.countDirty = false;
      }
      pendingReleases = pendingReleases.filter((r) => {
        if (events.get(r.name)?.category !== category) return true;
        removed += r.reservoir.items.length;
        return false;
      });
      return removed;
    },

    /** Removes every event from memory (deletion of the owner's data); returns how many. */
    clear(): number {
      let removed = bufEvents.length + pendingReleases.reduce((n, r) => n + r.reservoir.items.length, 0);
      dropBuffer();
      pendingReleases = [];
      pendingCounts = [];
      for (const ev of events.values()) {
        if (ev.reservoir !== null) {
          removed += ev.reservoir.items.length;
          ev.reservoir = createReservoir<Held>(ev.maxPerPeriod);
          ev.dirtySlots = new Set();
        }
        ev.countDirty = false;
      }
      return removed;
    },

    /** Names of the sampled events of a category. */
    sampledNames(category?: string): string[] {
      return [...events.values()].filter((e) => e.sampled && (category === undefined || e.category === category)).map((e) => e.name);
    },
  };

  function dropBuffer(): number {
    const n = bufEvents.length;
    bufEvents = [];
    bufPayloads = [];
    bufPeriods = [];
    bufDays = [];
    bufTimes = [];
    return n;
  }
}

/** The recorder's interface. */
export type Recorder = ReturnType<typeof createRecorder>;
