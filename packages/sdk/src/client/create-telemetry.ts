import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogSpec } from '@candor/catalog';
import { LIMITS, PATHS, dayOf, periodOf, periodRange, type DeleteResponse, type ExportResponse, type WireBatch } from '@candor/protocol';
import { createConsentStore, type ConsentState } from '../consent/consent-store.js';
import { finishReservoir } from '../linkage/release-sampled-period.js';
import { WARNING_CODES, type TelemetryWarning } from '../options/diagnostics.js';
import { resolveTelemetryOptions } from '../options/resolve-telemetry-options.js';
import type { ResolvedTelemetryOptions, TelemetryOptions } from '../options/telemetry-options.js';
import { openOutboxDatabase } from '../outbox/open-outbox-database.js';
import { createOutbox, type Outbox, type QueuedEvent } from '../outbox/outbox.js';
import { loadOrCreateInstallSecret, resetInstallSecret, type InstallSecret } from '../pseudonym/install-secret.js';
import { pseudonymFor, windowPseudonyms } from '../pseudonym/pseudonym.js';
import { addCounters, createCounters, saveableCounters } from '../stats/counters.js';
import { createConcurrencyLimitedTransport } from '../transport/concurrency-limited-transport.js';
import { createDebugTransport } from '../transport/debug-transport.js';
import { createHttpTransport } from '../transport/http-transport.js';
import { createRetryingTransport } from '../transport/retrying-transport.js';
import type { Transport, TransportError } from '../transport/types.js';
import { setSoon, setTimer, type TimerHandle } from '../util/timers.js';
import { createRecorder, type CommitInput } from './recorder.js';
import { createSender, type SubjectOutcome } from './sender.js';
import type { Activity, FlushResult, SentLogEntry, SentLogKind, SentLogQuery, SentLogStatus, SubjectResult, Telemetry, TelemetryStats } from './types.js';
import { onProcessExit, onSigterm } from './process-hooks.js';

const DAY_MS = 86_400_000;
const OUTBOX_FILE = 'outbox.sqlite';
const SDK_VERSION = '0.1.0';
const MAX_WARNINGS = 50;
/** How often an unusable data directory is tried again. */
const STORAGE_RETRY_MS = 60_000;
/** How often the sent log and old counts are pruned. */
const MAINTENANCE_MS = 60_000;
const RESET_PENDING = 'secret_reset_pending';

/**
 * Creates the telemetry client a host embeds. Throws only {@link ConfigError} for bad
 * configuration; after that, nothing it does throws into the host.
 * @example
 * const telemetry = createTelemetry({ catalog: mediaServerCatalog, endpoint: 'https://telemetry.example.com', dataDir: '/var/lib/my-server/telemetry' });
 * telemetry.record('playback.session', { mediaType: 'movie', durationSeconds: 5400, playedSeconds: 3100, … });
 */
export function createTelemetry<const S extends CatalogSpec>(options: TelemetryOptions<S>): Telemetry<S> {
  const o = resolveTelemetryOptions(options);
  return startClient(o);
}

function startClient<S extends CatalogSpec>(o: ResolvedTelemetryOptions<S>): Telemetry<S> {
  const { compiled, now } = o;
  const spec = o.catalog;
  const warnings: TelemetryWarning[] = [];
  const warn = (code: string, message: string): void => {
    const warning: TelemetryWarning = { code, message: `Candor telemetry: ${message}`, at: new Date(now()).toISOString() };
    warnings.push(warning);
    if (warnings.length > MAX_WARNINGS) warnings.shift();
    try {
      o.onDiagnostic({ type: 'warning', warning });
    } catch {
      // A throwing diagnostic sink must not break the client.
    }
  };
  for (const w of o.envWarnings) warn('ENV_UNRECOGNIZED', w);

  const counters = createCounters();
  const consentStore = createConsentStore({ dataDir: o.dataDir, catalog: spec, disabled: o.disabled, doNotTrack: o.doNotTrack, report: warn });
  const consentListeners = new Set<(state: ConsentState) => void>();

  // ---- storage --------------------------------------------------------------------------
  let outbox: Outbox | null = null;
  let secret: InstallSecret | null = null;
  let storageTriedMs = -Infinity;
  let lastDay = '';
  let lastMaintenanceMs = -Infinity;

  const pseudonyms = new Map<string, string>();
  const pseudonym = (period: string): string | null => {
    if (secret === null) return null;
    let p = pseudonyms.get(period);
    if (p === undefined) {
      p = pseudonymFor(secret.key, compiled.id, period);
      if (pseudonyms.size > 64) pseudonyms.clear();
      pseudonyms.set(period, p);
    }
    return p;
  };

  let closing = false;
  let closed = false;
  let tickTimer: TimerHandle | null = null;
  let soonTimer: TimerHandle | null = null;
  // The first round waits a flush interval like any other (a due retry, a deletion request or a full batch goes sooner).
  let lastDrainMs = now();

  const recorder = createRecorder({ options: o, counters, consent: consentStore, commitSoon: () => commitSoon() });

  function openStorage(): void {
    storageTriedMs = now();
    try {
      mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    } catch (err) {
      warnOnce('STORAGE_UNAVAILABLE', `the data directory ${o.dataDir} cannot be created: ${(err as Error).message}`);
      return;
    }
    const opened = openOutboxDatabase(join(o.dataDir, OUTBOX_FILE), now());
    if (opened.setAside !== null) warn('OUTBOX_SET_ASIDE', `${WARNING_CODES.OUTBOX_SET_ASIDE}: ${opened.setAside}`);
    if (opened.db === null) {
      warnOnce('STORAGE_UNAVAILABLE', `the outbox in ${o.dataDir} cannot be opened: ${opened.error}`);
      return;
    }
    try {
      const ob = createOutbox(opened.db);
      // Lifetime counters: what earlier runs saved, plus what this run counted before the outbox opened.
      addCounters(counters, createCounters(ob.loadCounters()));
      recorder.restore(ob.countsOf(recorder.period), ob.heldOf(recorder.period));
      secret = loadOrCreateInstallSecret(o.dataDir, now(), (p) => warn(p.code, p.message));
      if (secret !== null && ob.getMeta(RESET_PENDING) !== null) {
        // A deletion was queued but the process stopped before the secret was replaced.
        secret = resetInstallSecret(o.dataDir, now()) ?? secret;
        ob.setMeta(RESET_PENDING, null);
      }
      outbox = ob;
      warnedUnavailable = false;
    } catch (err) {
      opened.db.close();
      warnOnce('STORAGE_UNAVAILABLE', `the outbox in ${o.dataDir} cannot be used: ${(err as Error).message}`);
    }
  }

  let warnedUnavailable = false;
  function warnOnce(code: 'STORAGE_UNAVAILABLE', message: string): void {
    if (warnedUnavailable) return;
    warnedUnavailable = true;
    warn(code, message);
  }

  /** A write failed: count, report, and set a damaged file aside. */
  function storageFailed(err: unknown, lost: number): void {
    if (lost > 0) counters.dropped.storage_error += lost;
    const code = (err as { code?: unknown }).code;
    warn('STORAGE_ERROR', `${lost} event(s) could not be written to the outbox: ${(err as Error).message}`);
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
      outbox?.close();
      outbox = null;
      openStorage();
      recorder.markAllDirty();
    }
  }

  // ---- group commit ---------------------------------------------------------------------
  function commitNow(): void {
    try {
      recorder.tick();
      const due = recorder.autoEventDue();
      if (due) recorder.enqueue(due.name, due.raw, 'auto');
      if (outbox === null && !o.disabled && now() - storageTriedMs >= STORAGE_RETRY_MS) openStorage();
      const ob = outbox;
      if (ob === null) {
        const lost = recorder.dropBuffer();
        if (lost > 0) counters.dropped.storage_error += lost;
        return;
      }
      const input = recorder.collect();
      const before = { stored: counters.stored, generated: counters.generated, accepted: counters.accepted, queueFull: counters.dropped.queue_full, expired: counters.dropped.expired };
      try {
        ob.transaction(() => {
          ob.insertEvents(input.events);
          counters.stored += input.events.length;
          for (const c of input.counts) ob.setCount(c.period, c.name, c.count);
          for (const h of input.heldSlots) ob.upsertHeldSlot(h.period, h.name, h.slot, h.json);
          releaseSamples(ob, input);
          const bounds = ob.enforceBounds(now(), o.maxOutboxBytes, o.maxEventAgeMs);
          counters.dropped.queue_full += bounds.queueFull;
          counters.dropped.expired += bounds.expired;
          for (const id of bounds.expiredSentLogIds) ob.updateSentLog(id, 'expired', 'it waited in the outbox longer than allowed');
          if (recorder.today !== lastDay) {
            ob.markActiveDay(recorder.today);
            lastDay = recorder.today;
          }
          ob.saveCounters(saveableCounters(counters));
        });
        recorder.acknowledge();
      } catch (err) {
        counters.stored = before.stored;
        counters.generated = before.generated;
        counters.accepted = before.accepted;
        counters.dropped.queue_full = before.queueFull;
        counters.dropped.expired = before.expired;
        lastDay = '';
        storageFailed(err, recorder.dropBuffer());
      }
    } catch (err) {
      // Never into the host: a bug here costs this commit's events, counted, not the host process.
      warn('STORAGE_ERROR', `commit failed: ${(err as Error).message}`);
    }
  }

  /**
   * Ends finished periods: each sampled event's uniform sample and its count event enter the
   * outbox in the same transaction that removes the held sample, so that a crash can neither
   * lose nor repeat a period.
   */
  function releaseSamples(ob: Outbox, input: CommitInput): void {
    const releases = input.releases.map((r) => ({ period: r.period, name: r.name, reservoir: r.reservoir }));
    for (const { period, name } of ob.heldPeriodsBefore(recorder.period)) {
      if (releases.some((r) => r.period === period && r.name === name)) continue;
      const items = ob.heldOf(period).get(name) ?? [];
      const count = ob.countsOf(period).get(name) ?? items.length;
      releases.push({ period, name, reservoir: { max: items.length, count: Math.max(count, items.length), items } });
    }
    for (const r of releases) {
      const time = dayOf(periodRange(r.period)!.startMs);
      const release = finishReservoir(compiled, r.name, r.reservoir, o.random);
      const category = compiled.events.get(r.name)!.category;
      const out: QueuedEvent[] = release.sample.map((item) => ({ period: r.period, name: r.name, category, json: recorder.wireJson(r.name, time, item), createdMs: now() }));
      const countEvent = release.countEvent;
      if (countEvent !== null && consentStore.isGranted(compiled.events.get(countEvent.name)!.category)) {
        out.push({ period: r.period, name: countEvent.name, category: compiled.events.get(countEvent.name)!.category, json: JSON.stringify({ name: countEvent.name, time, fields: countEvent.fields }), createdMs: now() });
        counters.generated++;
        counters.accepted++;
        ob.setCount(r.period, countEvent.name, 1);
      }
      ob.insertEvents(out);
      counters.stored += out.length;
      ob.deleteHeld(r.period, r.name);
      ob.setCount(r.period, r.name, r.reservoir.count);
    }
  }

  // ---- timers ---------------------------------------------------------------------------
  function commitSoon(): void {
    if (soonTimer !== null || closing || o.disabled) return;
    soonTimer = setSoon(() => {
      soonTimer = null;
      commitNow();
    });
  }

  function tick(): void {
    tickTimer = null;
    if (closing) return;
    commitNow();
    const t = now();
    const ob = outbox;
    if (ob !== null) {
      if (t - lastMaintenanceMs >= MAINTENANCE_MS) {
        lastMaintenanceMs = t;
        try {
          ob.pruneSentLog(t - o.sentLogRetentionDays * DAY_MS, o.maxSentLogBytes);
          ob.pruneCounts(periodOf(t - 40 * DAY_MS, spec.linkagePeriod));
        } catch (err) {
          storageFailed(err, 0);
        }
      }
      try {
        const queued = ob.queuedEvents();
        const due = (ob.nextAttemptMs() ?? Infinity) <= t;
        if (!sender.busy() && (due || queued >= o.maxBatchEvents || (queued > 0 && t - lastDrainMs >= o.flushIntervalMs))) {
          lastDrainMs = t;
          sender.kick();
        }
      } catch (err) {
        storageFailed(err, 0);
      }
    }
    tickTimer = setTimer(tick, o.commitIntervalMs);
  }

  // ---- transport ------------------------------------------------------------------------
  const base: Transport = o.debug
    ? createDebugTransport((text) => process.stderr.write(text))
    : (o.transport ?? createHttpTransport({ endpoint: o.endpoint!, timeoutMs: o.timeoutMs, gzip: o.gzip, userAgent: `candor-sdk/${SDK_VERSION} node/${process.versions.node}`, now }));
  const transport = createConcurrencyLimitedTransport(
    createRetryingTransport(base, {
      maxAttempts: o.maxAttempts,
      initialBackoffMs: o.initialBackoffMs,
      maxBackoffMs: o.maxBackoffMs,
      random: o.random,
      onRetry: (info) => o.onDiagnostic({ type: 'retry_scheduled', kind: info.request.kind, scope: 'request', attempt: info.attempt, delayMs: info.delayMs, reason: info.result.status === 'retry' ? info.result.error.code : 'unknown' }),
    }),
    o.maxConcurrentRequests,
  );
  const destination = (path: string): string | null => (o.endpoint ? new URL(o.endpoint.pathname.replace(/\/+$/, '') + path, o.endpoint).toString() : null);

  const subjectWaiters = new Map<number, Set<(outcome: SubjectOutcome) => void>>();
  const sender = createSender({
    options: o,
    counters,
    transport,
    outbox: () => (secret === null ? null : outbox),
    pseudonym,
    destination,
    warn,
    onSubjectOutcome(id, outcome) {
      for (const w of subjectWaiters.get(id) ?? []) w(outcome);
    },
  });

  // ---- start ----------------------------------------------------------------------------
  let removeExitHook = (): void => undefined;
  let removeSigtermHook = (): void => undefined;
  if (!o.disabled) {
    openStorage();
    removeExitHook = onProcessExit(() => commitNow());
    // On SIGTERM: commit, stop taking events; the default action (exit) follows unless the host listens too.
    if (o.handleSignals)
      removeSigtermHook = onSigterm(() => {
        commitNow();
        closing = true;
      });
    if (outbox !== null) {
      // Never send the events of a category that is off, whoever turned it off (the environment included).
      for (const id of Object.keys(spec.categories)) if (!consentStore.isGranted(id)) purgeCategory(id);
      // What an earlier run left goes at the first tick: its arrival time tells only when this process started.
      if (queuedNow() > 0) lastDrainMs = -Infinity;
    }
    tickTimer = setTimer(tick, 0);
  }

  function purgeCategory(category: string): number {
    let removed = recorder.purge(category);
    const ob = outbox;
    if (ob !== null) {
      try {
        removed += ob.purgeCategory(category, recorder.sampledNames(category), recorder.period, (body) => rewriteWithout(body, category));
      } catch (err) {
        storageFailed(err, 0);
      }
    }
    counters.dropped.purged += removed;
    return removed;
  }

  function rewriteWithout(body: string, category: string): { body: string; eventCount: number; categories: string[] } | null {
    const batch = JSON.parse(body) as WireBatch;
    const events = batch.events.filter((e) => compiled.events.get(e.name)?.category !== category);
    if (events.length === batch.events.length) return null;
    const categories = [...new Set(events.map((e) => compiled.events.get(e.name)?.category ?? ''))].sort();
    return { body: JSON.stringify({ ...batch, events }), eventCount: events.length, categories };
  }

  // ---- subject rights -------------------------------------------------------------------
  const retentionDays = (category?: string): number =>
    Math.max(1, ...[...compiled.events.values()].filter((e) => category === undefined || e.category === category).map((e) => e.spec.retentionDays));

  function windowFor(category?: string): string[] {
    if (secret === null) return [];
    const t = now();
    return windowPseudonyms(secret.key, compiled.id, spec.linkagePeriod, Math.max(secret.createdMs, t - retentionDays(category) * DAY_MS), t);
  }

  function subjectBodies(pseudonymList: readonly string[], categories?: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < pseudonymList.length; i += LIMITS.maxPseudonymsPerRequest) {
      const chunk = pseudonymList.slice(i, i + LIMITS.maxPseudonymsPerRequest);
      out.push(JSON.stringify(categories === undefined ? { catalogId: compiled.id, pseudonyms: chunk } : { catalogId: compiled.id, pseudonyms: chunk, categories }));
    }
    return out;
  }

  function queueDeletion(ob: Outbox, categories?: readonly string[]): number[] {
    const list = windowFor(categories?.length === 1 ? categories[0] : undefined);
    return subjectBodies(list, categories).map((body) => ob.addSubjectRequest(PATHS.subjectsDelete, body, categories ?? [], now()));
  }

  function waitForSubjects(ids: readonly number[], timeoutMs: number): Promise<SubjectResult<DeleteResponse>> {
    return new Promise((resolve) => {
      const pending = new Set(ids);
      const responses: DeleteResponse[] = [];
      let lastError: TransportError = { code: 'TIMEOUT', message: 'the collector has not acknowledged the deletion yet; it will be retried' };
      const listeners = new Map<number, (outcome: SubjectOutcome) => void>();
      const finish = (r: SubjectResult<DeleteResponse>): void => {
        timer.cancel();
        for (const [id, l] of listeners) subjectWaiters.get(id)?.delete(l);
        resolve(r);
      };
      const timer = setTimer(() => finish({ status: 'pending', error: lastError }), timeoutMs, true);
      for (const id of ids) {
        const l = (outcome: SubjectOutcome): void => {
          if (outcome.status === 'retry') {
            lastError = outcome.error;
            return;
          }
          if (outcome.status === 'failed') return finish({ status: 'failed', error: outcome.error });
          pending.delete(id);
          responses.push(outcome.body as DeleteResponse);
          if (pending.size === 0) {
            finish({
              status: 'ok',
              response: { deleted: responses.reduce((n, r) => n + (typeof r?.deleted === 'number' ? r.deleted : 0), 0), effectiveAt: responses.map((r) => String(r?.effectiveAt ?? '')).sort().at(-1) ?? '' },
            });
          }
        };
        listeners.set(id, l);
        const set = subjectWaiters.get(id) ?? new Set();
        set.add(l);
        subjectWaiters.set(id, set);
      }
      if (ids.length === 0) finish({ status: 'ok', response: { deleted: 0, effectiveAt: new Date(now()).toISOString() } });
    });
  }

  const unavailable = (code: string, message: string): { status: 'failed'; error: TransportError } => ({ status: 'failed', error: { code, message } });

  // ---- the client -----------------------------------------------------------------------
  const client: Telemetry<S> = {
    catalog: spec,

    record(name, raw) {
      try {
        if (o.disabled) {
          counters.recorded++;
          counters.dropped.telemetry_disabled++;
          return;
        }
        recorder.enqueue(name, raw, 'host');
      } catch {
        // Unreachable by design (normalizers never throw); kept so that no bug can reach the host.
        counters.dropped.invalid_event++;
      }
    },

    consent: {
      get: () => consentStore.states(),
      isGranted: (category) => consentStore.isGranted(category),
      set(category, granted) {
        try {
          const before = consentStore.state(category);
          if (before === null || typeof granted !== 'boolean') return before;
          const decided = consentStore.decide(category, granted, now(), recorder.policy().inEffect?.version ?? spec.version);
          if (decided === null) return null;
          recorder.setGranted(category, decided.state.granted);
          if (decided.changed && !decided.state.granted && !o.disabled) {
            purgeCategory(category);
            const ob = outbox;
            if (ob !== null && secret !== null) {
              try {
                queueDeletion(ob, [category]);
                sender.kick();
              } catch (err) {
                storageFailed(err, 0);
              }
            }
          }
          if (decided.changed) {
            for (const l of consentListeners) {
              try {
                l(decided.state);
              } catch {
                // A listener's error stays with the listener.
              }
            }
          }
          return decided.state;
        } catch {
          return consentStore.state(category);
        }
      },
      onChange(listener) {
        consentListeners.add(listener);
        return () => void consentListeners.delete(listener);
      },
    },

    async flush(): Promise<FlushResult> {
      const before = counters.delivered;
      if (!closed && !o.disabled) {
        commitNow();
        try {
          await sender.flush();
        } catch {
          // The sender reports its own failures.
        }
        commitNow();
      }
      return { delivered: counters.delivered - before, queued: queuedNow() };
    },

    async shutdown(opts) {
      if (closing) {
        while (!closed) await new Promise<void>((r) => setTimer(r, 5, true));
        return;
      }
      closing = true;
      tickTimer?.cancel();
      soonTimer?.cancel();
      try {
        commitNow();
        recorder.close();
        const flush = opts?.flush ?? true;
        const timeoutMs = opts?.timeoutMs ?? o.shutdownTimeoutMs;
        if (flush && timeoutMs > 0 && outbox !== null && !o.disabled) {
          const deadline = setTimer(() => void sender.interrupt(), timeoutMs, true);
          await sender.flush();
          deadline.cancel();
        }
        await sender.interrupt();
        commitNow();
      } catch {
        // Shutting down must finish whatever happened.
      } finally {
        removeExitHook();
        removeSigtermHook();
        outbox?.close();
        outbox = null;
        base.close?.();
        closed = true;
      }
    },

    sentLog: {
      list(query?: SentLogQuery): SentLogEntry[] {
        const ob = outbox;
        if (ob === null) return [];
        try {
          const limit = Math.max(1, Math.min(10_000, Math.floor(Number(query?.limit ?? 100)) || 100));
          const rows = ob.listSentLog({
            ...(typeof query?.category === 'string' ? { category: query.category } : {}),
            ...(typeof query?.kind === 'string' ? { kind: query.kind } : {}),
            sinceMs: toMs(query?.since, -Infinity),
            untilMs: toMs(query?.until, Infinity),
            limit,
          });
          return rows.map((r) => ({ id: r.id, sentAt: new Date(r.sentMs).toISOString(), kind: r.kind as SentLogKind, categories: r.categories, eventCount: r.eventCount, status: r.status as SentLogStatus, detail: r.detail, destination: r.destination, body: r.body }));
        } catch {
          return [];
        }
      },
    },

    stats(): TelemetryStats {
      return {
        recorded: counters.recorded,
        generated: counters.generated,
        accepted: counters.accepted,
        stored: counters.stored,
        delivered: counters.delivered,
        duplicates: counters.duplicates,
        printed: counters.printed,
        batchesDelivered: counters.batchesDelivered,
        bytesSent: counters.bytesSent,
        queued: queuedNow(),
        held: recorder.held(),
        dropped: { ...counters.dropped },
        rejectedByCode: Object.fromEntries(counters.rejectedByCode),
        storage: o.disabled ? 'disabled' : outbox === null ? 'unavailable' : 'ok',
        warnings: warnings.slice(),
        lastInvalidEvent: recorder.lastInvalid(),
      };
    },

    async deleteMyData(): Promise<SubjectResult<DeleteResponse>> {
      if (o.disabled) return unavailable('TELEMETRY_DISABLED', 'telemetry is turned off (CANDOR_TELEMETRY=off); nothing is sent, deletion requests included');
      if (closing) return unavailable('SHUT_DOWN', 'the telemetry client has been shut down');
      const ob = outbox;
      if (ob === null || secret === null) return unavailable('STORAGE_UNAVAILABLE', 'the data directory cannot be used, so the install secret and its pseudonyms are unavailable');
      try {
        // Nothing under the old pseudonyms may still be on its way once the deletion leaves.
        await sender.interrupt();
        let ids: number[] = [];
        let removed = 0;
        ob.transaction(() => {
          ids = queueDeletion(ob);
          removed = ob.clearQueued(recorder.period);
          ob.setMeta(RESET_PENDING, '1');
        });
        removed += recorder.clear();
        counters.dropped.deleted += removed;
        secret = resetInstallSecret(o.dataDir, now()) ?? secret;
        pseudonyms.clear();
        ob.setMeta(RESET_PENDING, null);
        commitNow();
        const outcome = waitForSubjects(ids, o.subjectRequestTimeoutMs);
        void sender.flush();
        return await outcome;
      } catch (err) {
        storageFailed(err, 0);
        return unavailable('STORAGE_ERROR', `the deletion could not be queued: ${(err as Error).message}`);
      }
    },

    async exportMyData(): Promise<SubjectResult<ExportResponse>> {
      if (o.disabled) return unavailable('TELEMETRY_DISABLED', 'telemetry is turned off (CANDOR_TELEMETRY=off); nothing is sent, export requests included');
      if (closing) return unavailable('SHUT_DOWN', 'the telemetry client has been shut down');
      const ob = outbox;
      if (ob === null || secret === null) return unavailable('STORAGE_UNAVAILABLE', 'the data directory cannot be used, so the install secret and its pseudonyms are unavailable');
      const events: ExportResponse['events'][number][] = [];
      const signal = AbortSignal.timeout(Math.max(1, o.subjectRequestTimeoutMs));
      for (const body of subjectBodies(windowFor())) {
        let logId: number | null = null;
        try {
          if (!o.debug) logId = ob.appendSentLog({ sentMs: now(), kind: 'export', categories: [], eventCount: 0, status: 'pending', detail: null, destination: destination(PATHS.subjectsExport), body });
        } catch (err) {
          storageFailed(err, 0);
        }
        const result = await transport.send({ kind: 'export', path: PATHS.subjectsExport, body, signal, keepAlive: true });
        const update = (status: SentLogStatus, detail: string | null): void => {
          try {
            if (logId !== null && outbox !== null) outbox.updateSentLog(logId, status, detail);
          } catch {
            // The answer still reaches the caller.
          }
        };
        if (result.status !== 'ok') {
          update(result.status === 'fail' ? 'rejected' : 'failed', `${result.error.code}: ${result.error.message}`);
          return { status: 'failed', error: result.error };
        }
        const got = (result.body as Partial<ExportResponse> | null)?.events;
        update('delivered', `${Array.isArray(got) ? got.length : 0} events returned`);
        if (Array.isArray(got)) events.push(...got);
      }
      return { status: 'ok', response: { events } };
    },

    activity(): Activity {
      const ob = outbox;
      const today = dayOf(now());
      if (ob === null) return { activeDays7: 1, activeDays28: 1 };
      try {
        const t = Date.parse(`${today}T00:00:00Z`);
        const days = new Set(ob.activeDaysSince(dayOf(t - 27 * DAY_MS)));
        days.add(today);
        const since7 = dayOf(t - 6 * DAY_MS);
        return { activeDays7: [...days].filter((d) => d >= since7 && d <= today).length, activeDays28: [...days].filter((d) => d <= today).length };
      } catch {
        return { activeDays7: 1, activeDays28: 1 };
      }
    },

    policy: () => recorder.policy(),

    extensions: {
      dataDir: o.dataDir,
      catalog: compiled,
      now,
      random: o.random,
      isConsented: (category) => consentStore.isGranted(category),
      onConsentChange: (listener) => client.consent.onChange(listener),
      enqueue(name, raw) {
        try {
          if (o.disabled) {
            counters.recorded++;
            counters.dropped.telemetry_disabled++;
            return 'telemetry_disabled';
          }
          return recorder.enqueue(name, raw, 'extension');
        } catch {
          counters.dropped.invalid_event++;
          return 'invalid_event';
        }
      },
      appendSentLog(entry) {
        const ob = outbox;
        if (ob === null) return null;
        try {
          return ob.appendSentLog({ sentMs: entry.sentAtMs ?? now(), kind: entry.kind, categories: entry.categories, eventCount: entry.eventCount, status: entry.status, detail: entry.detail ?? null, destination: entry.destination ?? null, body: entry.body });
        } catch (err) {
          storageFailed(err, 0);
          return null;
        }
      },
      updateSentLog(id, status, detail) {
        try {
          outbox?.updateSentLog(id, status, detail ?? null);
        } catch (err) {
          storageFailed(err, 0);
        }
      },
      countDrop(reason, count = 1) {
        counters.dropped[reason] += count;
      },
      commitNow,
      warn,
    },
  };

  function queuedNow(): number {
    let n = recorder.buffered();
    try {
      n += outbox?.queuedEvents() ?? 0;
    } catch {
      // counted as what is in memory
    }
    return n;
  }

  return client;
}

function toMs(value: number | Date | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isNaN(ms) ? fallback : ms;
}
