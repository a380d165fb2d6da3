// Scenario 4, data minimization: after every other scenario, search everything Candor wrote
// for what it must never hold: the client addresses the collector saw (each scenario's
// traffic comes from a distinctive loopback address), LAN addresses in the host's errors and
// forwarding headers, the file paths of the media items that drove the run, and their titles.
// Each file is searched twice: its raw bytes (deleted pages and compressed segments included),
// and its logical content (every value of every table, read through SQLite or DuckDB).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HOSTILE_SOURCE_ADDRESS } from '../lib/http.mjs';
import { APP_ROOT, MEDIA_ROOT, WINDOWS_MEDIA_ROOT } from '../lib/media-library.mjs';
import { createScanner } from '../lib/needle-scan.mjs';
import { PROXY_SOURCE_ADDRESS } from '../lib/proxy.mjs';
import { dumpStoreText, eventRowsText } from '../lib/store-reader.mjs';
import { bar, fmt } from '../lib/util.mjs';

/** Titles shorter than this are not searched: they are ordinary words ("Up", "Heat", "Alien") that any text may hold. */
export const MIN_TITLE_LENGTH = 8;

const json = (s) => JSON.stringify(s).slice(1, -1);

function needlesOf(library) {
  const out = [];
  const add = (text, kind, label) => {
    out.push({ text, kind, label });
    const escaped = json(text);
    if (escaped !== text) out.push({ text: escaped, kind, label: `${label ?? text} (JSON-escaped)` });
  };
  const titles = new Set();
  let shortTitles = 0;
  for (const item of library.items) {
    add(item.path, 'path');
    const t = item.title.trim();
    if (t.length >= MIN_TITLE_LENGTH) titles.add(t);
    else shortTitles++;
  }
  for (const t of titles) add(t, 'title');
  for (const root of [MEDIA_ROOT, WINDOWS_MEDIA_ROOT, APP_ROOT]) add(root, 'path', `media or app root ${root}`);
  for (const ip of [PROXY_SOURCE_ADDRESS, HOSTILE_SOURCE_ADDRESS, '127.66.6.7', '127.66.6.8', '127.66.6.9', '::ffff:127.', '192.168.', '203.0.113.', '198.51.100.']) add(ip, 'ip');
  return { needles: out, titles: titles.size, shortTitles, paths: library.items.length };
}

function filesUnder(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

// An IPv4 literal anywhere in text: every one must be on the allowlist.
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;

/**
 * IPv4 literals in text that are not the collector's own listening address (its start-up line)
 * or the collector URL the host configured (the sent log's destination, by design).
 */
function strayAddresses(text) {
  const out = [];
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(IPV4)) {
      const at = m.index;
      const around = line.slice(Math.max(0, at - 40), at + m[0].length + 10);
      if (m[0] === '127.0.0.1' && (/Server listening at http:\/\/127\.0\.0\.1:\d+/.test(around) || /http:\/\/127\.0\.0\.1:\d+\/v1\//.test(around) || /"http:\/\/127\.0\.0\.1:\d+/.test(around))) continue;
      out.push(around);
      if (out.length >= 5) return out;
    }
  }
  return out;
}

function sqliteText(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name);
    return tables.map((t) => db.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}"`).raw().all().map((r) => `${t}\t${r.map((v) => (v === null ? '' : String(v))).join('\t')}`).join('\n')).join('\n');
  } finally {
    db.close();
  }
}

/**
 * Runs the search over everything the run tracked.
 * @param {object} ctx the run context
 */
export async function runMinimization(ctx) {
  const { needles, titles, shortTitles, paths } = needlesOf(ctx.library);
  const scanner = createScanner(needles);
  const sources = {
    database: { name: "collector's database files", files: 0, bytes: 0, hits: [], stray: [] },
    logs: { name: "collector's logs", files: 0, bytes: 0, hits: [], stray: [] },
    sdk: { name: "SDK's outboxes and sent logs", files: 0, bytes: 0, hits: [], stray: [] },
    crash: { name: 'crash reports (as sent and as stored)', files: 0, bytes: 0, hits: [], stray: [], reports: 0 },
  };
  const search = (src, where, buf, text) => {
    src.bytes += buf.length;
    for (const h of scanner.scan(buf)) src.hits.push({ where, ...h });
    if (text !== undefined) for (const s of strayAddresses(text)) src.stray.push({ where, context: s });
  };

  for (const d of ctx.track.collectorDirs) {
    for (const f of filesUnder(d)) {
      if (!/\.duckdb(\.wal)?$/.test(f)) continue;
      sources.database.files++;
      search(sources.database, f, readFileSync(f));
    }
    const db = join(d, 'candor.duckdb');
    if (existsSync(db)) {
      const text = await dumpStoreText(db);
      search(sources.database, `${db} (every table, every value)`, Buffer.from(text), text);
      const crash = await eventRowsText(db, 'crash.report');
      sources.crash.reports += crash.count;
      search(sources.crash, `${db} (crash.report rows)`, Buffer.from(crash.text), crash.text);
    }
  }
  for (const f of ctx.track.collectorLogs) {
    if (!existsSync(f)) continue;
    sources.logs.files++;
    const buf = readFileSync(f);
    search(sources.logs, f, buf, buf.toString('utf8'));
  }
  for (const d of ctx.track.installDirs) {
    for (const f of filesUnder(d)) {
      sources.sdk.files++;
      search(sources.sdk, f, readFileSync(f));
    }
    const outbox = join(d, 'outbox.sqlite');
    if (!existsSync(outbox) || statSync(outbox).size === 0) continue;
    let text;
    try {
      text = sqliteText(outbox);
    } catch (error) {
      sources.sdk.stray.push({ where: outbox, context: `unreadable: ${error.message}` });
      continue;
    }
    search(sources.sdk, `${outbox} (every table, every value)`, Buffer.from(text), text);
    // The crash reports the SDK sent, exactly as they left.
    const crashes = [];
    const db = new Database(outbox, { readonly: true });
    try {
      for (const r of db.prepare("SELECT body FROM sent_log WHERE kind = 'batch'").all()) {
        for (const e of JSON.parse(r.body).events) if (e.name === 'crash.report') crashes.push(JSON.stringify(e.fields));
      }
    } finally {
      db.close();
    }
    sources.crash.reports += crashes.length;
    if (crashes.length > 0) search(sources.crash, `${outbox} (crash reports sent)`, Buffer.from(crashes.join('\n')), crashes.join('\n'));
  }
  sources.crash.files = sources.crash.reports;

  // How each leaked title was written in the host's error: the characters right around it.
  const formOf = (h) => {
    const at = h.context.indexOf(h.text);
    if (at < 0) return 'other text';
    const before = h.context.slice(Math.max(0, at - 2), at);
    const after = h.context.slice(at + h.text.length, at + h.text.length + 7);
    if (/["']$/.test(before)) return 'a quoted title';
    if (/^ \((18|19|20)\d\d\)/.test(after)) return 'a title followed by its year';
    return 'other text';
  };
  const leaked = {};
  for (const src of Object.values(sources)) {
    for (const h of src.hits.filter((x) => x.kind === 'title')) (leaked[formOf(h)] ??= new Set()).add(h.text);
  }
  const leakSummary = Object.entries(leaked).map(([form, set]) => `${set.size} distinct title(s) written as ${form} (${[...set].slice(0, 5).map((t) => JSON.stringify(t)).join(', ')})`);
  const kinds = ['ip', 'path', 'title'];
  const count = (src, kind) => src.hits.filter((h) => h.kind === kind).length + (kind === 'ip' ? src.stray.length : 0);
  const bars = Object.values(sources).map((src) =>
    bar(
      `nothing in the ${src.name}`,
      kinds.every((k) => count(src, k) === 0) && (src.files > 0 || src.bytes > 0),
      `${fmt(src.files)} ${src === sources.crash ? 'reports' : 'files'}, ${fmt(src.bytes / 1048576)} MB searched: ${kinds.map((k) => `${count(src, k)} ${k === 'ip' ? 'IP address' : k} hit(s)`).join(', ')}${src.hits.length + src.stray.length > 0 ? `; first: ${[...src.hits.map((h) => `${h.kind} "${h.label ?? h.text}" in ${h.where.split('/').slice(-3).join('/')}: …${h.context}…`), ...src.stray.map((s) => `address in ${s.where.split('/').slice(-3).join('/')}: …${s.context}…`)].slice(0, 4).join(' | ')}` : ''}`,
    ),
  );
  const totalFiles = Object.values(sources).reduce((n, s) => n + (s === sources.crash ? 0 : s.files), 0);
  const totalBytes = Object.values(sources).reduce((n, s) => n + s.bytes, 0);
  if (leakSummary.length > 0) bars.push(bar('titles leaked, by how the host wrote them', false, leakSummary.join('; ')));
  return {
    id: 'minimization',
    title: 'Data minimization',
    load: `${fmt(totalFiles)} files and ${fmt(sources.crash.reports)} crash reports from every scenario; ${fmt(totalBytes / 1048576)} MB searched raw and table by table`,
    faults: '—',
    badInputs: `${fmt(paths)} file paths and ${fmt(titles)} titles (${fmt(shortTitles)} titles under ${MIN_TITLE_LENGTH} characters not searched) from the media catalogs; the client and LAN addresses of the run`,
    accepted: '—',
    delivered: '—',
    lost: '—',
    duplicated: '—',
    bars,
    details: Object.fromEntries(Object.entries(sources).map(([k, s]) => [k, { ...s, hits: s.hits.slice(0, 50), stray: s.stray.slice(0, 20), hitCount: s.hits.length }])),
  };
}
