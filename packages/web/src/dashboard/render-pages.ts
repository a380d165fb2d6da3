import type { ChartConfig, DashboardConfig } from './dashboard-config.js';
import { CONFIG_ELEMENT_ID } from './dashboard-config.js';

/** File names of the built page script and styles in the assets directory. */
export const DASHBOARD_ASSET_FILES = { script: 'dashboard.js', styles: 'dashboard.css' } as const;

/** The controls of the page, as its address gives them (validated) or their defaults. */
export interface DashboardControls {
  readonly from: string;
  readonly to: string;
  readonly granularity: 'day' | 'week';
  readonly measure: 'events' | 'installs';
  /** Empty for exact counts. */
  readonly epsilon: string;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function head(basePath: string, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="same-origin">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${basePath}/assets/${DASHBOARD_ASSET_FILES.styles}">`;
}

/** The sign-in page: a plain form (no script), posting the token with its CSRF token. */
export function renderLoginPage(basePath: string, csrfToken: string, error: string | null): string {
  return `${head(basePath, 'Sign in · Candor dashboard')}
</head>
<body class="login">
<main>
<h1>Candor dashboard</h1>
<p>Released statistics of this collector. Sign in with the collector’s admin token (<code>CANDOR_ADMIN_TOKEN</code>, or the file <code>admin-token</code> in its data directory).</p>
<form method="post" action="${basePath}/login">
<input type="hidden" name="csrf" value="${esc(csrfToken)}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus spellcheck="false">
${error === null ? '' : `<p class="form-error" role="alert" id="sign-in-error">${esc(error)}</p>\n`}<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}

function card(chart: ChartConfig): string {
  return `<article class="card" id="chart-${esc(chart.id)}" data-chart="${esc(chart.id)}" data-state="loading" aria-busy="true" aria-labelledby="chart-${esc(chart.id)}-title">
<header><h3 id="chart-${esc(chart.id)}-title">${esc(chart.title)}</h3><p class="description">${esc(chart.description)}</p><p class="badges"></p></header>
<div class="plot"><div class="skeleton" aria-hidden="true"></div></div>
<ul class="legend"></ul>
<div class="notes" aria-live="polite"><p class="status">Loading released statistics…</p></div>
<footer class="card-footer"></footer>
</article>`;
}

/**
 * The dashboard page: controls, one card per chart in its loading state, the configuration as
 * a JSON data block (not executed, so the CSP needs no inline script), and the page script.
 */
export function renderDashboardPage(config: DashboardConfig, controls: DashboardControls, csrfToken: string, basePath: string): string {
  // `<` escaped so that no value can close the data block.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const sections = config.sections
    .map((s) => `<section class="section" id="section-${esc(s.id)}" aria-labelledby="section-${esc(s.id)}-title">
<h2 id="section-${esc(s.id)}-title">${esc(s.title)}</h2>${s.description === undefined ? '' : `\n<p class="section-description">${esc(s.description)}</p>`}
<div class="grid">
${s.charts.map(card).join('\n')}
</div>
</section>`)
    .join('\n');
  const option = (value: string, label: string, current: string): string => `<option value="${value}"${value === current ? ' selected' : ''}>${label}</option>`;
  return `${head(basePath, 'Candor dashboard')}
<script type="module" src="${basePath}/assets/${DASHBOARD_ASSET_FILES.script}"></script>
</head>
<body class="dashboard" data-state="loading">
<header class="top">
<div class="brand"><h1>Candor dashboard</h1><p class="catalog">${esc(config.catalog.id)} ${esc(config.catalog.version)}</p></div>
<form class="sign-out" method="post" action="${basePath}/logout"><input type="hidden" name="csrf" value="${esc(csrfToken)}"><button type="submit">Sign out</button></form>
</header>
<main>
<form class="controls" method="get" action="${basePath}" aria-label="Range and options">
<label>From <input type="date" name="from" value="${esc(controls.from)}" required></label>
<label>To <input type="date" name="to" value="${esc(controls.to)}" required></label>
<label>Granularity <select name="granularity">${option('day', 'Day', controls.granularity)}${option('week', 'Week', controls.granularity)}</select></label>
<label>Count <select name="measure">${option('events', 'Reports', controls.measure)}${option('installs', 'Installs', controls.measure)}</select></label>
<label>Noise ε <input type="number" name="epsilon" value="${esc(controls.epsilon)}" min="0.01" step="0.01" placeholder="off" inputmode="decimal"></label>
<button type="submit">Apply</button>
<p class="controls-error" role="alert" hidden></p>
</form>
<p class="release-rules" id="release-rules">Only released statistics are shown: a cell with fewer than k distinct installs behind it is suppressed and marked, never drawn as a number.</p>
<noscript><p class="form-error">The charts need JavaScript. Every figure is also available from <code>/v1/stats</code> with the admin token.</p></noscript>
${sections}
</main>
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${json}</script>
</body>
</html>
`;
}
