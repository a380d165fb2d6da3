// Ablation for docs/privacy.md: the default catalog without its per-day sampling, so that every
// playback report of a day leaves under the day's pseudonym (up to 1,000). It shows what the
// sampling buys: `npx candor risk --media fixtures/media-catalogs/music_freemusicc.csv --catalog packages/risk/ablations/every-report-linked.mjs`
import { mediaServerCatalog as base } from '@candor/catalog/media-server';

const { sampled: _sampled, ...session } = base.events['playback.session'];

/** The default catalog with `playback.session` unsampled and capped at 1,000 a day. */
export default {
  ...base,
  id: 'media-server-every-report-linked',
  events: { ...base.events, 'playback.session': { ...session, maxPerPeriod: 1000 } },
};
