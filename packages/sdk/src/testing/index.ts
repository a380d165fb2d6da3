export { createMemoryTransport } from './memory-transport.js';
export type { MemoryTransport, CapturedRequest } from './memory-transport.js';
export { createTestTelemetry } from './create-test-telemetry.js';
export type { TestTelemetry, TestTelemetryOptions, TestClock } from './create-test-telemetry.js';
export { createSeededRandom, seededBytes } from '../util/seeded-random.js';
export { createCaptureServer } from './capture-server.js';
export type { CaptureServer, CaptureServerOptions, CapturedHttpRequest, CannedResponse } from './capture-server.js';
