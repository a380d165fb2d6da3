// Scrubbing rules, in order. Each replaces what could name media, a person or a secret
// with a placeholder. Order matters: URLs before paths (a URL contains a path), e-mail
// before anything that could eat its domain.
const RULES: readonly [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s'"<>)]+/gi, '<url>'],
  [/\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)+\b/g, '<email>'],
  [/\\\\[^\s\\'"]+\\[^\s'"]*/g, '<path>'],
  [/\b[A-Za-z]:\\[^\s'"]*/g, '<path>'],
  [/(?:^|(?<=[\s'"(=:]))(?:~|\.{1,2})?\/[^\s'"():]+/g, '<path>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [/\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}\b/gi, '<ip>'],
  [/\b(?:bearer|token|key|secret|password|passwd|apikey|api_key|x-plex-token)[=:\s]+\S+/gi, '<secret>'],
  [/\b[0-9a-f]{16,}\b/gi, '<hex>'],
  [/\b[A-Za-z0-9+/_-]{24,}={0,2}/g, '<token>'],
];

/** Replaces paths, file names, URLs, e-mail and IP addresses, tokens and long hex or base64 runs with placeholders. */
export function scrubText(text: string): string {
  let out = text;
  for (const [re, placeholder] of RULES) out = out.replace(re, placeholder);
  return out;
}
