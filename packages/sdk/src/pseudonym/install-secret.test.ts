import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_FILE, loadOrCreateInstallSecret, resetInstallSecret } from './install-secret.js';
import { pseudonymFor, windowPseudonyms } from './pseudonym.js';

const dirs: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'candor-secret-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the install secret', () => {
  it('is 256 random bits, created once with mode 0600, and stable', () => {
    const d = dir();
    const a = loadOrCreateInstallSecret(d, 1000, () => {})!;
    expect(a.key).toHaveLength(32);
    expect(statSync(join(d, SECRET_FILE)).mode & 0o777).toBe(0o600);
    const b = loadOrCreateInstallSecret(d, 2000, () => {})!;
    expect(b.key.equals(a.key)).toBe(true);
    expect(b.createdMs).toBe(1000);
    expect(loadOrCreateInstallSecret(dir(), 1000, () => {})!.key.equals(a.key)).toBe(false);
  });

  it('sets a damaged secret aside and makes a new one', () => {
    const d = dir();
    writeFileSync(join(d, SECRET_FILE), 'garbage');
    const problems: string[] = [];
    const s = loadOrCreateInstallSecret(d, 5, (p) => void problems.push(p.code));
    expect(s?.key).toHaveLength(32);
    expect(problems).toEqual(['SECRET_SET_ASIDE']);
    expect(readdirSync(d).some((f) => f.startsWith(`${SECRET_FILE}.damaged-`))).toBe(true);
  });

  it('is replaced by a reset', () => {
    const d = dir();
    const a = loadOrCreateInstallSecret(d, 1, () => {})!;
    const b = resetInstallSecret(d, 2)!;
    expect(b.key.equals(a.key)).toBe(false);
    expect(JSON.parse(readFileSync(join(d, SECRET_FILE), 'utf8'))).toMatchObject({ secret: b.key.toString('hex') });
  });
});

describe('pseudonyms', () => {
  it('differ per period and catalog, and the window lists one per period', () => {
    const key = Buffer.alloc(32, 1);
    expect(pseudonymFor(key, 'a', '2026-01-01')).toMatch(/^[0-9a-f]{64}$/);
    expect(pseudonymFor(key, 'a', '2026-01-01')).not.toBe(pseudonymFor(key, 'a', '2026-01-02'));
    expect(pseudonymFor(key, 'a', '2026-01-01')).not.toBe(pseudonymFor(key, 'b', '2026-01-01'));
    const w = windowPseudonyms(key, 'a', 'day', Date.UTC(2026, 0, 1, 23), Date.UTC(2026, 0, 3, 1));
    expect(w).toEqual(['2026-01-01', '2026-01-02', '2026-01-03'].map((p) => pseudonymFor(key, 'a', p)));
  });
});
