// The risk tool on both shared catalogs, as `npx candor risk --media <csv>` runs them (seed 1,
// 10,000 installs): wall time per catalog against the bar of well under a minute for both.
// Baseline in the same run: the single-report attack on the music catalog sweeping every encoding
// (the shortcut's answer must be identical), to show what the encoding-independence shortcut saves.
// Usage: npm run bench -- risk
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { createCatalogObserver, readMediaCatalog, runRiskAnalysis, singleReportAnonymity } from '@candor/risk';

const BAR_SECONDS = 60;
const seconds = (t0) => (performance.now() - t0) / 1000;

let total = 0;
const catalogs = {};
for (const name of ['movies_cmu', 'music_freemusicc']) {
  const t0 = performance.now();
  const media = await readMediaCatalog(`fixtures/media-catalogs/${name}.csv`);
  runRiskAnalysis({ media: [media], catalog: mediaServerCatalog });
  const s = seconds(t0);
  total += s;
  catalogs[name] = media;
  console.log(`${name}: read, all attacks and a 10,000-install fleet in ${s.toFixed(2)} s`);
}

const observer = createCatalogObserver(mediaServerCatalog);
let t0 = performance.now();
const fast = singleReportAnonymity(catalogs.music_freemusicc.items, observer);
const shortcut = seconds(t0);
t0 = performance.now();
const full = singleReportAnonymity(catalogs.music_freemusicc.items, observer, { sweepAllEncodings: true });
const swept = seconds(t0);
const same = fast.length === full.length && fast.every((v, i) => v === full[i]);
console.log(`single-report attack, 21,469 tracks: ${shortcut.toFixed(3)} s with one encoding, ${swept.toFixed(3)} s sweeping all (${(swept / shortcut).toFixed(1)}× slower), same sets: ${same}`);

console.log(`both catalogs: ${total.toFixed(2)} s (${((total / BAR_SECONDS) * 100).toFixed(1)} % of the ${BAR_SECONDS} s bar)`);
console.log(`${total < BAR_SECONDS ? 'PASS' : 'FAIL'}: both catalogs in under ${BAR_SECONDS} s`);
console.log(`${same ? 'PASS' : 'FAIL'}: the one-encoding shortcut gives the same anonymity sets as the full sweep`);
if (total >= BAR_SECONDS || !same) process.exitCode = 1;
