/** Name of the built element script in the assets directory. */
export const ELEMENT_FILE = 'candor-privacy-tab.js';

/** Styles of the standalone page around the element; the element styles itself. */
export const PAGE_CSS = `html{color-scheme:light dark;background:var(--candor-page-bg,Canvas);color:var(--candor-fg,CanvasText)}
html[data-theme=light]{color-scheme:light}html[data-theme=dark]{color-scheme:dark}
body{margin:0;font:16px/1.5 var(--candor-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}
main{max-width:960px;margin:0 auto;padding:16px}
@media (max-width:480px){main{padding:8px}}
`;

/** The standalone page: a shell that loads the element; all data comes from the JSON API. */
export function renderPage(basePath: string, title: string, theme: string | null): string {
  const t = theme === 'light' || theme === 'dark' ? theme : null;
  return `<!doctype html>
<html lang="en"${t ? ` data-theme="${t}"` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${basePath}/assets/page.css">
<script type="module" src="${basePath}/assets/${ELEMENT_FILE}"></script>
</head>
<body>
<main><candor-privacy-tab api="${basePath}/api" heading-level="1"${t ? ` theme="${t}"` : ''}></candor-privacy-tab></main>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
