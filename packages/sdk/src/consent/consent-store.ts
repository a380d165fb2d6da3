import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogSpec } from '@candor/catalog';
import { writeFileAtomic } from '../util/write-file-atomic.js';

/** Who decided a category's consent. */
export type ConsentSource =
  /** The catalog's default; the owner has not decided. */
  | 'default'
  /** The owner, through `consent.set()`. */
  | 'owner'
  /** The catalog marks the category required. */
  | 'required'
  /** The environment: `CANDOR_TELEMETRY=off` or `DO_NOT_TRACK=1`. */
  | 'env'
  /** The stored choices could not be read; optional categories stay off until the owner decides again. */
  | 'recovered';

/** One category's consent as the privacy tab shows it. */
export interface ConsentState {
  readonly category: string;
  /** Whether its events may be recorded and leave. */
  readonly granted: boolean;
  /** Whether the catalog marks it required (only `CANDOR_TELEMETRY=off` turns it off). */
  readonly required: boolean;
  /** When the owner decided (ISO 8601), or null. */
  readonly decidedAt: string | null;
  /** The catalog version in effect when the owner decided, or null. */
  readonly catalogVersion: string | null;
  readonly source: ConsentSource;
}

/** The owner's stored choice for one category. */
interface Decision {
  readonly granted: boolean;
  readonly decidedAt: string;
  readonly catalogVersion: string;
}

/** File name of the consent choices inside the data directory. */
export const CONSENT_FILE = 'consent.json';

/** Options of {@link createConsentStore}. */
export interface ConsentStoreOptions {
  readonly dataDir: string;
  readonly catalog: CatalogSpec;
  readonly disabled: boolean;
  readonly doNotTrack: boolean;
  readonly report: (code: 'CONSENT_UNREADABLE' | 'CONSENT_NOT_SAVED', message: string) => void;
}

/** Consent per category, persisted in `consent.json` with time and catalog version. */
export interface ConsentStore {
  /** Every category's state, in catalog order. */
  states(): Record<string, ConsentState>;
  state(category: string): ConsentState | null;
  isGranted(category: string): boolean;
  /** Stores the owner's decision; `changed` tells whether what is granted changed. */
  decide(category: string, granted: boolean, nowMs: number, catalogVersion: string): { readonly changed: boolean; readonly state: ConsentState } | null;
}

/**
 * Creates the consent store. Consent lives in its own small file, apart from the outbox, so
 * that a damaged outbox can never turn a category back on. A damaged consent file fails
 * closed: every optional category is off until the owner decides again.
 */
export function createConsentStore(options: ConsentStoreOptions): ConsentStore {
  const { catalog } = options;
  const file = join(options.dataDir, CONSENT_FILE);
  const loaded = options.disabled ? { decisions: new Map<string, Decision>(), recovered: false, rewrite: false } : load(file, options.report);
  const decisions = loaded.decisions;
  // Once set, stays in the file: a choice made after recovery must not turn the other optional categories back on at the next start.
  const recovered = loaded.recovered;
  const persist = (): void => writeFileAtomic(file, `${JSON.stringify({ v: 1, recovered, categories: Object.fromEntries(decisions) }, null, 2)}\n`);
  if (recovered && loaded.rewrite) {
    try {
      persist();
    } catch {
      // Reported when the owner next decides.
    }
  }

  const state = (category: string): ConsentState | null => {
    const spec = Object.hasOwn(catalog.categories, category) ? catalog.categories[category] : undefined;
    if (!spec) return null;
    const d = decisions.get(category);
    const decided = { decidedAt: d?.decidedAt ?? null, catalogVersion: d?.catalogVersion ?? null };
    const base = { category, required: spec.required, ...decided };
    if (options.disabled) return { ...base, granted: false, source: 'env' };
    if (spec.required) return { ...base, granted: true, source: 'required' };
    if (options.doNotTrack) return { ...base, granted: false, source: 'env' };
    if (d) return { ...base, granted: d.granted, source: 'owner' };
    if (recovered) return { ...base, granted: false, source: 'recovered' };
    return { ...base, granted: spec.defaultOn, source: 'default' };
  };

  return {
    state,
    states() {
      const out: Record<string, ConsentState> = {};
      for (const id of Object.keys(catalog.categories)) out[id] = state(id)!;
      return out;
    },
    isGranted: (category) => state(category)?.granted ?? false,
    decide(category, granted, nowMs, catalogVersion) {
      const before = state(category);
      if (!before) return null;
      if (before.required || options.disabled) return { changed: false, state: before };
      decisions.set(category, { granted, decidedAt: new Date(nowMs).toISOString(), catalogVersion });
      try {
        persist();
      } catch (err) {
        // The choice still holds for this process; the owner is told it will not survive a restart.
        options.report('CONSENT_NOT_SAVED', `the consent choice could not be saved and holds only until restart: ${(err as Error).message}`);
      }
      const after = state(category)!;
      return { changed: after.granted !== before.granted, state: after };
    },
  };
}

function load(file: string, report: ConsentStoreOptions['report']): { decisions: Map<string, Decision>; recovered: boolean; rewrite: boolean } {
  const decisions = new Map<string, Decision>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { decisions, recovered: false, rewrite: false };
    report('CONSENT_UNREADABLE', `the consent choices could not be read (${(err as Error).message}); optional categories stay off until decided again`);
    return { decisions, recovered: true, rewrite: false };
  }
  try {
    const parsed = JSON.parse(text) as { v?: unknown; recovered?: unknown; categories?: Record<string, unknown> } | null;
    if (parsed?.v !== 1 || typeof parsed.categories !== 'object' || parsed.categories === null) throw new Error('not a consent file');
    for (const [id, raw] of Object.entries(parsed.categories)) {
      const d = raw as Partial<Decision> | null;
      if (typeof d?.granted !== 'boolean' || typeof d.decidedAt !== 'string' || typeof d.catalogVersion !== 'string') throw new Error(`bad entry for ${id}`);
      decisions.set(id, { granted: d.granted, decidedAt: d.decidedAt, catalogVersion: d.catalogVersion });
    }
    return { decisions, recovered: parsed.recovered === true, rewrite: false };
  } catch (err) {
    const aside = `${file}.damaged-${Date.now()}`;
    try {
      renameSync(file, aside);
    } catch {
      // leave it; we still fail closed
    }
    report('CONSENT_UNREADABLE', `the consent file was damaged (${(err as Error).message}) and moved to ${aside}; optional categories stay off until decided again`);
    return { decisions: new Map(), recovered: true, rewrite: true };
  }
}
