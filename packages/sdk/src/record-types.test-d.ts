import { expectTypeOf, test } from 'vitest';
import type { MediaServerCatalog } from '@candor/catalog/media-server';
import type { HostEventName, Telemetry } from './index.js';

declare const telemetry: Telemetry<MediaServerCatalog>;

test('record() is typed from the catalog', () => {
  telemetry.record('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '3.2.1' });
  telemetry.record('playback.session', { mediaType: 'track', playedSeconds: 200, container: 'flac', videoCodec: 'none', audioCodec: 'flac', deviceType: 'speaker', decision: 'directplay', hdr: false });
  // @ts-expect-error a wrong field type fails to compile
  telemetry.record('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: 3 });
  // @ts-expect-error an undeclared field fails to compile
  telemetry.record('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '3.2', title: 'Some Film' });
  // @ts-expect-error an undeclared event fails to compile
  telemetry.record('playback.title', { title: 'x' });
});

test('the events Candor records itself are not the host’s to record', () => {
  // @ts-expect-error consent.daily is recorded by the SDK
  telemetry.record('consent.daily', { playback: true, crash: true, marketing: true, integrations: true });
  // @ts-expect-error playback.daily is the SDK's count event
  telemetry.record('playback.daily', { plays: 3 });
  expectTypeOf<HostEventName<MediaServerCatalog>>().toEqualTypeOf<'server.daily' | 'client.session' | 'playback.session' | 'crash.report' | 'marketing.preference' | 'integrations.daily'>();
});

test('consent is keyed by the catalog’s categories', () => {
  telemetry.consent.set('playback', false);
  // @ts-expect-error an undeclared category fails to compile
  telemetry.consent.set('location', false);
  expectTypeOf(telemetry.consent.get()).toHaveProperty('marketing');
});
