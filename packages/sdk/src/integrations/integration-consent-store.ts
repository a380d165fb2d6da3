import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import type { FieldChoice } from './shape-delivery.js';

/** File name of the owner's integration choices inside the data directory. */
export const INTEGRATIONS_FILE = 'integrations.json';

/** The owner's choices for one integration. */
export interface IntegrationChoices {
  /** Whether the owner turned the integration on. */
  readonly granted: boolean;
  /** When the owner last decided (ISO 8601), or null when they never did. */
  readonly decidedAt: string | null;
  /** Per field, what the owner chose to send (fields they never chose are absent). */
  readonly fields: Readonly<Record<string, FieldChoice>>;
}

/** The persisted choices of every integration of one install. */
export interface IntegrationConsentStore {
  get(id: string): IntegrationChoices;
  setGranted(id: string, granted: boolean, nowMs: number): IntegrationChoices;
  setField(id: string, field: string, choice: FieldChoice, nowMs: number): IntegrationChoices;
}

const NONE: IntegrationChoices = { granted: false, decidedAt: null, fields: {} };
const CHOICES = new Set<unknown>(['exact', 'generalized', 'omitted']);

function parse(text: string): Map<string, IntegrationChoices> {
  const doc = JSON.parse(text) as { version?: unknown; integrations?: unknown };
  if (doc.version !== 1 || typeof doc.integrations !== 'object' || doc.integrations === null) throw new Error('not an integrations file of version 1');
  const out = new Map<string, IntegrationChoices>();
  for (const [id, value] of Object.entries(doc.integrations as Record<string, unknown>)) {
    const v = value as { granted?: unknown; decidedAt?: unknown; fields?: unknown };
    const fields: Record<string, FieldChoice> = {};
    for (const [name, choice] of Object.entries((v.fields ?? {}) as Record<string, unknown>)) if (CHOICES.has(choice)) fields[name] = choice as FieldChoice;
    out.set(id, { granted: v.granted === true, decidedAt: typeof v.decidedAt === 'string' ? v.decidedAt : null, fields });
  }
  return out;
}

/**
 * The owner's per-integration consent and field choices, in `integrations.json` in the data
 * directory, written atomically with owner-only permissions. An unreadable file is set aside
 * (renamed `.corrupt-<time>`) and reported; every integration is then off until the owner
 * decides again, which is the safe reading of a lost choice.
 */
export function createIntegrationConsentStore(dataDir: string, report: (code: string, message: string) => void): IntegrationConsentStore {
  const file = join(dataDir, INTEGRATIONS_FILE);
  let state = new Map<string, IntegrationChoices>();
  try {
    state = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') {
      try {
        renameSync(file, `${file}.corrupt-${Date.now()}`);
      } catch {
        // Leave it; it will be overwritten by the next decision.
      }
      report('INTEGRATIONS_FILE_UNREADABLE', `${INTEGRATIONS_FILE} could not be read and was set aside; every integration is off until the owner turns it on again`);
    }
  }

  const save = (): void => {
    try {
      writeFileAtomic(file, `${JSON.stringify({ version: 1, integrations: Object.fromEntries(state) }, null, 2)}\n`);
    } catch (err) {
      report('INTEGRATIONS_FILE_UNWRITABLE', `${INTEGRATIONS_FILE} could not be written (${(err as Error).message}); the choice holds until restart`);
    }
  };
  const update = (id: string, patch: (c: IntegrationChoices) => IntegrationChoices): IntegrationChoices => {
    const next = patch(state.get(id) ?? NONE);
    state.set(id, next);
    save();
    return next;
  };

  return {
    get: (id) => state.get(id) ?? NONE,
    setGranted: (id, granted, nowMs) => update(id, (c) => ({ ...c, granted, decidedAt: new Date(nowMs).toISOString() })),
    setField: (id, field, choice, nowMs) => update(id, (c) => ({ ...c, decidedAt: new Date(nowMs).toISOString(), fields: { ...c.fields, [field]: choice } })),
  };
}
