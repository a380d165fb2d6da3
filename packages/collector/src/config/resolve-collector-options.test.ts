import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '@candor/protocol';
import { describe, expect, it } from 'vitest';
import { CollectorConfigError } from '../errors.js';
import { resolveCollectorOptions } from './resolve-collector-options.js';

function configFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'candor-config-'));
  const path = join(dir, 'collector.json');
  writeFileSync(path, content);
  return path;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof CollectorConfigError) return error.code;
    throw error;
  }
  return undefined;
}

describe('resolveCollectorOptions', () => {
  it('fills every option with its default', () => {
    const o = resolveCollectorOptions();
    expect(o).toMatchObject({ port: 8080, k: 10, catalog: '@candor/catalog/media-server', maxCompressedBytes: LIMITS.maxCompressedBytes, maxEventsPerBatch: LIMITS.maxEventsPerBatch, trustProxy: false, adminToken: undefined, requireNoise: false });
  });

  it('layers the config file, then CANDOR_* variables, then flags', () => {
    const file = configFile(JSON.stringify({ port: 9000, k: 20, dataDir: '/srv/candor', dailyEpsilon: 2 }));
    const o = resolveCollectorOptions({ k: 15 }, { CANDOR_CONFIG: file, CANDOR_K: '12', CANDOR_PORT: '9100', CANDOR_TRUST_PROXY: 'true' });
    expect(o).toMatchObject({ port: 9100, k: 15, dataDir: '/srv/candor', dailyEpsilon: 2, trustProxy: true, configFile: file });
    rmSync(file);
  });

  it('refuses bad values, naming the option and where the value came from', () => {
    expect(codeOf(() => resolveCollectorOptions({ k: 1 }))).toBe('CONFIG_INVALID_VALUE');
    expect(() => resolveCollectorOptions({}, { CANDOR_PORT: 'eighty' })).toThrow(/port \(from CANDOR_PORT\) must be a whole number/);
    expect(codeOf(() => resolveCollectorOptions({}, { CANDOR_LOG_LEVEL: 'loud' }))).toBe('CONFIG_INVALID_VALUE');
    expect(codeOf(() => resolveCollectorOptions({ adminToken: 'short' }))).toBe('CONFIG_INVALID_VALUE');
    expect(codeOf(() => resolveCollectorOptions({ maxCompressedBytes: 8_000_000, maxDecompressedBytes: 4_000_000 }))).toBe('CONFIG_INVALID_VALUE');
    expect(codeOf(() => resolveCollectorOptions({ kk: 3 } as never))).toBe('CONFIG_UNKNOWN_OPTION');
  });

  it('refuses a config file that cannot be read or names unknown options', () => {
    expect(codeOf(() => resolveCollectorOptions({ configFile: '/nonexistent/candor.json' }))).toBe('CONFIG_FILE_UNREADABLE');
    const notObject = configFile('[1, 2]');
    expect(codeOf(() => resolveCollectorOptions({ configFile: notObject }))).toBe('CONFIG_FILE_UNREADABLE');
    const unknown = configFile('{"portt": 1}');
    expect(codeOf(() => resolveCollectorOptions({ configFile: unknown }))).toBe('CONFIG_UNKNOWN_OPTION');
  });
});
