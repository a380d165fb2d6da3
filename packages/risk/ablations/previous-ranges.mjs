// Ablation for docs/privacy.md: the default catalog with the duration, played and bitrate ranges
// it had before they were calibrated with the risk tool (catalog 1.0.0 as first drafted).
// `npx candor risk --media fixtures/media-catalogs/music_freemusicc.csv --catalog packages/risk/ablations/previous-ranges.mjs`
import { buckets } from '@candor/catalog';
import { mediaServerCatalog as base } from '@candor/catalog/media-server';

const session = base.events['playback.session'];
const fields = session.fields;

/** The default catalog with the first-draft ranges of `duration`, `played` and `bitrate`. */
export default {
  ...base,
  id: 'media-server-previous-ranges',
  events: {
    ...base.events,
    'playback.session': {
      ...session,
      fields: {
        ...fields,
        duration: { ...fields.duration, generalize: buckets({ edges: [60, 180, 300, 600, 1200, 2700, 4500, 6300, 8100, 10800], unit: 'seconds', max: 7 * 24 * 3600 }) },
        played: { ...fields.played, generalize: buckets({ edges: [60, 300, 900, 1800, 3600, 7200], unit: 'seconds', max: 7 * 24 * 3600 }) },
        bitrate: { ...fields.bitrate, generalize: buckets({ edges: [128, 256, 512, 1000, 2000, 4000, 8000, 16000, 32000, 64000], unit: 'kbps', max: 10_000_000 }) },
      },
    },
  },
};
