import { defineCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { LIMITS } from '@candor/protocol';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import type { TelemetryOptions } from './telemetry-options.js';
import { resolveTelemetryOptions } from './resolve-telemetry-options.js';

const base = { catalog: mediaServerCatalog, endpoint: 'https://telemetry.example.com/candor', dataDir: '/tmp/x' };
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).code;
  }
  throw new Error('did not throw');
};

describe('resolveTelemetryOptions', () => {
  it('fills every default', () => {
    const o = resolveTelemetryOptions(base, {});
    expect(o).toMatchObject({ commitIntervalMs: 1000, maxBatchEvents: LIMITS.maxEventsPerBatch, maxConcurrentRequests: 2, gzip: true, disabled: false, doNotTrack: false, debug: false, handleSignals: false, transport: null });
    expect(o.endpoint?.toString()).toBe('https://telemetry.example.com/candor');
    expect(o.compiled.id).toBe('media-server');
  });

  it('reads the owner’s switches from the environment', () => {
    expect(resolveTelemetryOptions(base, { CANDOR_TELEMETRY: 'off' }).disabled).toBe(true);
    expect(resolveTelemetryOptions(base, { CANDOR_TELEMETRY: 'OFF' }).disabled).toBe(true);
    expect(resolveTelemetryOptions(base, { CANDOR_TELEMETRY: '0' }).disabled).toBe(true);
    expect(resolveTelemetryOptions(base, { CANDOR_TELEMETRY: 'on' }).disabled).toBe(false);
    expect(resolveTelemetryOptions(base, { DO_NOT_TRACK: '1' }).doNotTrack).toBe(true);
    expect(resolveTelemetryOptions(base, { DO_NOT_TRACK: '0' }).doNotTrack).toBe(false);
    expect(resolveTelemetryOptions(base, { DO_NOT_TRACK: '' }).doNotTrack).toBe(false);
    expect(resolveTelemetryOptions(base, { CANDOR_DEBUG: '1' }).debug).toBe(true);
    expect(resolveTelemetryOptions(base, { CANDOR_DEBUG: '0' }).debug).toBe(false);
  });

  it('reads an unrecognized kill-switch value as off, and says so', () => {
    const o = resolveTelemetryOptions(base, { CANDOR_TELEMETRY: 'nope-please' });
    expect(o.disabled).toBe(true);
    expect(o.envWarnings[0]).toMatch(/CANDOR_TELEMETRY/);
  });

  it('lets the environment only ever make things more private', () => {
    expect(resolveTelemetryOptions({ ...base, disabled: false }, { CANDOR_TELEMETRY: 'off' }).disabled).toBe(true);
    expect(resolveTelemetryOptions({ ...base, disabled: true }, { CANDOR_TELEMETRY: 'on' }).disabled).toBe(true);
  });

  it('refuses bad configuration with stable codes', () => {
    expect(codeOf(() => resolveTelemetryOptions(null as unknown as TelemetryOptions, {}))).toBe('CONFIG_INVALID_OPTIONS');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, flushIntervalMS: 5 } as unknown as TelemetryOptions, {}))).toBe('CONFIG_UNKNOWN_OPTION');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, catalog: {} } as unknown as TelemetryOptions, {}))).toBe('CONFIG_INVALID_CATALOG');
    const broken = defineCatalog({ ...mediaServerCatalog, id: 'Bad Id' });
    expect(codeOf(() => resolveTelemetryOptions({ ...base, catalog: broken }, {}))).toBe('CONFIG_INVALID_CATALOG');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, endpoint: 'ftp://x' }, {}))).toBe('CONFIG_INVALID_ENDPOINT');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, endpoint: 'https://user:pw@x' }, {}))).toBe('CONFIG_INVALID_ENDPOINT');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, endpoint: 'not a url' }, {}))).toBe('CONFIG_INVALID_ENDPOINT');
    expect(codeOf(() => resolveTelemetryOptions({ catalog: mediaServerCatalog, dataDir: '/tmp/x' }, {}))).toBe('CONFIG_INVALID_ENDPOINT');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, dataDir: '' }, {}))).toBe('CONFIG_INVALID_DATA_DIR');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, commitIntervalMs: -1 }, {}))).toBe('CONFIG_INVALID_OPTION');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, timeoutMs: Number.NaN }, {}))).toBe('CONFIG_INVALID_OPTION');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, gzip: 'yes' } as unknown as TelemetryOptions, {}))).toBe('CONFIG_INVALID_OPTION');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, maxBatchEvents: LIMITS.maxEventsPerBatch + 1 }, {}))).toBe('CONFIG_LIMIT_EXCEEDED');
    expect(codeOf(() => resolveTelemetryOptions({ ...base, initialBackoffMs: 5000, maxBackoffMs: 1000 }, {}))).toBe('CONFIG_INVALID_OPTION');
  });

  it('needs no endpoint when telemetry is off, printed, or sent through a given transport', () => {
    const noEndpoint = { catalog: mediaServerCatalog, dataDir: '/tmp/x' };
    expect(resolveTelemetryOptions(noEndpoint, { CANDOR_TELEMETRY: 'off' }).endpoint).toBeNull();
    expect(resolveTelemetryOptions(noEndpoint, { CANDOR_DEBUG: '1' }).endpoint).toBeNull();
    expect(resolveTelemetryOptions({ ...noEndpoint, transport: { send: async () => ({ status: 'ok', httpStatus: 202, body: null }) } }, {}).transport).not.toBeNull();
  });
});
