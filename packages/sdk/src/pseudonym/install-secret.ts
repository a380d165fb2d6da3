import { chmodSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The install's secret: 256 random bits that never leave the machine. */
export interface InstallSecret {
  readonly key: Buffer;
  /** When it was created; no pseudonym older than this can exist. */
  readonly createdMs: number;
}

/** File name of the secret inside the data directory. */
export const SECRET_FILE = 'install-secret.json';

/** Why loading gave up, for the warning. */
export type SecretProblem = { readonly code: 'SECRET_SET_ASIDE' | 'SECRET_UNAVAILABLE'; readonly message: string };

/**
 * Reads the install secret, creating it on first start (owner-only, mode 0600). A damaged
 * file is renamed aside and replaced, never a reason to stop. Returns null when the data
 * directory cannot be read or written; the caller then sends nothing.
 */
export function loadOrCreateInstallSecret(dataDir: string, nowMs: number, report: (p: SecretProblem) => void): InstallSecret | null {
  const file = join(dataDir, SECRET_FILE);
  try {
    return readSecret(file);
  } catch (err) {
    if (err instanceof MalformedSecret || err instanceof SyntaxError) {
      const aside = `${file}.damaged-${nowMs}`;
      try {
        renameSync(file, aside);
      } catch {
        // Another start may have moved it already.
      }
      report({ code: 'SECRET_SET_ASIDE', message: `the install secret was damaged; it was moved to ${aside} and a new one was created` });
    } else if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      report({ code: 'SECRET_UNAVAILABLE', message: `the install secret could not be read: ${(err as Error).message}` });
      return null;
    }
  }
  try {
    return createSecret(file, nowMs, false);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      try {
        return readSecret(file);
      } catch {
        // fall through
      }
    }
    report({ code: 'SECRET_UNAVAILABLE', message: `the install secret could not be created: ${(err as Error).message}` });
    return null;
  }
}

/** Replaces the secret with a new one (after a deletion request): the old pseudonyms cannot be computed any more. */
export function resetInstallSecret(dataDir: string, nowMs: number): InstallSecret | null {
  try {
    return createSecret(join(dataDir, SECRET_FILE), nowMs, true);
  } catch {
    return null;
  }
}

class MalformedSecret extends Error {}

function readSecret(file: string): InstallSecret {
  const text = readFileSync(file, 'utf8');
  const parsed = JSON.parse(text) as { v?: unknown; secret?: unknown; createdAt?: unknown } | null;
  const createdMs = typeof parsed?.createdAt === 'string' ? Date.parse(parsed.createdAt) : NaN;
  if (parsed?.v !== 1 || typeof parsed.secret !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.secret) || Number.isNaN(createdMs)) throw new MalformedSecret('malformed');
  try {
    chmodSync(file, 0o600);
  } catch {
    // A read-only file system: the secret is still usable.
  }
  return { key: Buffer.from(parsed.secret, 'hex'), createdMs };
}

function createSecret(file: string, nowMs: number, replace: boolean): InstallSecret {
  const key = randomBytes(32);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ v: 1, secret: key.toString('hex'), createdAt: new Date(nowMs).toISOString() })}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // link() creates the file only if it is absent, so two processes starting at once agree on one secret.
    if (replace) renameSync(tmp, file);
    else linkSync(tmp, file);
  } finally {
    if (!replace) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
  return { key, createdMs: nowMs };
}
