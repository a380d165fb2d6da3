import type { SectionSpec } from './dashboard-config.js';

/**
 * The dashboard of the default media-server catalog: activity, clients, playback, crashes and
 * consent, each chart one released statistic of `/v1/stats`.
 */
export const MEDIA_SERVER_SECTIONS: readonly SectionSpec[] = [
  {
    id: 'activity',
    title: 'Active installs',
    description: 'Pseudonyms change every day, so no two days of one install can be linked: weekly and monthly figures are estimates from the active days each install reports.',
    charts: [
      { id: 'active-day', kind: 'active', event: 'server.daily', granularity: 'day', title: 'Daily active installs', description: 'Distinct installs that sent their daily report.' },
      { id: 'active-week', kind: 'active', event: 'server.daily', granularity: 'week', title: 'Weekly active installs', description: 'Estimated per ISO week from each report’s active days in the last 7 days.' },
      { id: 'active-month', kind: 'active', event: 'server.daily', granularity: 'month', title: 'Monthly active installs', description: 'Estimated per month from each report’s active days in the last 28 days.' },
    ],
  },
  {
    id: 'clients',
    title: 'Clients',
    charts: [
      { id: 'client-device', kind: 'breakdown', event: 'client.session', field: 'deviceType', title: 'Client device types', description: 'Client sessions by the kind of device that connected.' },
      { id: 'client-platform', kind: 'breakdown', event: 'client.session', field: 'clientPlatform', title: 'Client platforms', description: 'Client sessions by client app platform.' },
    ],
  },
  {
    id: 'playback',
    title: 'Playback',
    description: 'Each install reports a uniform sample of at most three playbacks a day, so these are sampled playbacks, not every play.',
    charts: [
      { id: 'playback-media', kind: 'breakdown', event: 'playback.session', field: 'mediaType', title: 'Media type', description: 'Playbacks by kind of media.' },
      { id: 'playback-resolution', kind: 'breakdown', event: 'playback.session', field: 'resolution', title: 'Resolution class', description: 'Playbacks by picture size class (none for audio).' },
      { id: 'playback-duration', kind: 'breakdown', event: 'playback.session', field: 'duration', title: 'Duration', description: 'Playbacks by the length of the media, in the catalog’s ranges.' },
      { id: 'playback-bitrate', kind: 'breakdown', event: 'playback.session', field: 'bitrate', title: 'Bitrate', description: 'Playbacks by stream bitrate, in ranges that roughly double.' },
      { id: 'playback-container', kind: 'breakdown', event: 'playback.session', field: 'container', title: 'Container', description: 'Playbacks by file container format.' },
      { id: 'playback-video-codec', kind: 'breakdown', event: 'playback.session', field: 'videoCodec', title: 'Video codec', description: 'Playbacks by video codec (none for audio).' },
      { id: 'playback-audio-codec', kind: 'breakdown', event: 'playback.session', field: 'audioCodec', title: 'Audio codec', description: 'Playbacks by audio codec.' },
      {
        id: 'playback-decision',
        kind: 'breakdown',
        event: 'playback.session',
        field: 'decision',
        title: 'Direct play or transcode',
        description: 'Whether the server sent the file as is, remuxed it, or transcoded it.',
        labels: { directplay: 'Direct play', directstream: 'Direct stream (remux)', transcode: 'Transcode' },
      },
    ],
  },
  {
    id: 'crashes',
    title: 'Crashes',
    charts: [
      { id: 'crash-version', kind: 'breakdown', event: 'crash.report', field: 'serverVersion', title: 'Crash reports by server version', description: 'Crash reports by server version (major.minor).' },
      { id: 'crash-error', kind: 'breakdown', event: 'crash.report', field: 'errorType', title: 'Crash reports by error type', description: 'Crash reports by error class name.' },
    ],
  },
  {
    id: 'consent',
    title: 'Consent',
    charts: [
      {
        id: 'consent-share',
        kind: 'consent',
        event: 'consent.daily',
        fields: ['playback', 'crash', 'marketing', 'integrations'],
        title: 'Installs with each optional category on',
        description: 'Share of installs reporting each optional category as on, from the daily consent report.',
      },
    ],
  },
];
