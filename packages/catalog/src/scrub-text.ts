// Crash text is scrubbed in three passes, each linear in the length of the text:
//   1. paths and URLs (a character scanner: paths contain spaces and parentheses, which no
//      single regular expression can delimit without backtracking);
//   2. per line, quoted strings and words that name media (titles with a year or an episode
//      number, bare media file names);
//   3. regular expressions for secrets, e-mail, host names, identifiers and addresses.
// Every regular expression here is linear by construction: each unbounded run starts only
// where the previous character cannot belong to it (a negative lookbehind on the run's own
// class), so runs never overlap, and whatever follows a run is a character outside its class
// or a bounded alternative. Privacy beats debuggability: when in doubt, a span is removed.

/** The placeholders that replace scrubbed spans. */
export const SCRUB_PLACEHOLDERS = {
  path: '<path>',
  url: '<url>',
  file: '<file>',
  text: '<text>',
  title: '<title>',
  email: '<email>',
  host: '<host>',
  ip: '<ip>',
  mac: '<mac>',
  id: '<id>',
  hex: '<hex>',
  token: '<token>',
  secret: '<secret>',
} as const;

const P = SCRUB_PLACEHOLDERS;

// ---------------------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------------------

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\u2028' || c === '\u2029';
const isSep = (c: string | undefined): boolean => c === '/' || c === '\\';
/** Characters that may open a path, a token or a quoted string. */
const OPENERS = new Set(['(', '[', '{', '"', "'", '`', '\u201c', '\u2018', '\u00ab']);
/** Quote characters and the character that closes each. */
const QUOTES = new Map([
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
  ['\u00ab', '\u00bb'],
]);
/** Characters that may follow the end of a path, a file extension or a closing quote. */
const TERMINATORS = new Set([':', ',', ';', ')', ']', '}', '>', '|', '!', '.', '"', "'", '`', '\u201d', '\u2019', '\u00bb']);
const isTerminator = (c: string | undefined): boolean => c === undefined || isSpace(c) || TERMINATORS.has(c);
/** Characters that end an unquoted file name without an extension. */
const NAME_STOPS = new Set([':', ',', ';', ']', '}', '>', '<', '|', '"', "'", '`', '\u201d', '\u2019', '\u00bb']);

const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9]$/.test(c);
const isLetter = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);

// ---------------------------------------------------------------------------------------
// Tokens that look like paths but are kept
// ---------------------------------------------------------------------------------------

// A module-relative frame of code: `src/transcoder/session.ts:120:7`, `node_modules/x/y.js`,
// `./lib/a.mjs`. No segment may be `..` (that would reach outside the host's code) and no
// segment may contain a space (media folders do; code folders do not).
const CODE_FILE = /^(?:\.[\\/])?(?:[\w@][\w@.+-]*[\\/])*[\w@][\w@.+-]*\.(?:[cm]?[jt]sx?|node|wasm)(?::\d+){0,2}$/;
const NODE_BUILTIN = /^node:[\w./-]+(?::\d+){0,2}$/;
const NODE_MODULES_CODE = /^<path>[\\/]node_modules[\\/]/;
const SCOPED_PACKAGE = /^@[\w.-]+\/[\w.-]+$/;
// Slashes that are not paths: mime types, fractions and frame rates (30000/1001), rates
// (kbits/s), colour descriptions (bt709/bt709), a few abbreviations.
const NOT_A_PATH =
  /^(?:(?:application|audio|video|image|text|font|multipart|model|message)\/[\w.+-]+|\d+(?:\.\d+)?\/\d+(?:\.\d+)?|[\d.]*[A-Za-z]{0,6}\/s|(?:bt|smpte|iec|arib-std-b)[\w-]*(?:\/(?:bt|smpte|iec|arib-std-b)[\w-]*)+|I\/O|N\/A|and\/or|w\/o|TCP\/IP|UDP\/IP|read\/write|r\/w)$/i;

/** Whether a token core (openers and closers stripped) is kept although it contains a separator. */
function isKeptCore(core: string): boolean {
  if (core.length === 0) return true;
  if (CODE_FILE.test(core) || NODE_BUILTIN.test(core) || SCOPED_PACKAGE.test(core) || NOT_A_PATH.test(core)) return true;
  if (NODE_MODULES_CODE.test(core)) return CODE_FILE.test(core.slice(P.path.length + 1));
  return false;
}

/** The token's core: its text without leading openers and trailing closing punctuation. */
function coreBounds(line: string, s: number, e: number): [number, number] {
  while (s < e && OPENERS.has(line[s]!)) s++;
  while (e > s && (TERMINATORS.has(line[e - 1]!) || line[e - 1] === ')')) {
    // `.` ends a sentence but also `...`; neither belongs to a path core.
    e--;
  }
  return [s, e];
}

// ---------------------------------------------------------------------------------------
// Pass 1: paths and URLs
// ---------------------------------------------------------------------------------------

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{1,20}:$/;
const FILE_SCHEMES = new Set(['file', 'smb', 'nfs', 'afp', 'cifs', 'sftp', 'ftp', 'ftps', 'webdav', 'davs', 'dav']);
const DRIVE = /^[A-Za-z]:$/;

interface PathStart {
  readonly start: number;
  readonly placeholder: string;
}

/**
 * Where a path begins inside the token [s, e) whose first separator is at `firstSep`, or
 * `undefined` when the token is kept (module-relative code, mime type, fraction…).
 */
function pathStartInToken(line: string, s: number, e: number, firstSep: number): PathStart | undefined {
  const [ts, te] = coreBounds(line, s, e);
  if (isKeptCore(line.slice(ts, te))) return undefined;
  let start = s;
  while (start < firstSep && OPENERS.has(line[start]!)) start++;
  const head = line.slice(start, firstSep);
  if (SCHEME.test(head) && line[firstSep] === '/' && line[firstSep + 1] === '/') {
    const scheme = head.slice(0, -1).toLowerCase();
    return { start, placeholder: FILE_SCHEMES.has(scheme) ? P.path : P.url };
  }
  if (!DRIVE.test(head)) {
    // `key=Movies/x.mkv`, `ENOENT:/mnt/x`: the path starts after the last `=` or `:`.
    let cut = -1;
    for (let k = start; k < firstSep; k++) if (line[k] === '=' || line[k] === ':') cut = k;
    if (cut >= 0) {
      start = cut + 1;
      while (start < firstSep && OPENERS.has(line[start]!)) start++;
    }
  }
  // A lone slash (`a / b`) is punctuation, not a path.
  if (start === firstSep && (firstSep + 1 >= e || isSpace(line[firstSep + 1]))) return undefined;
  const [cs, ce] = coreBounds(line, start, e);
  if (isKeptCore(line.slice(cs, ce))) return undefined;
  return { start, placeholder: P.path };
}

/** The first position in [from, limit) just after a `.ext` that ends a file name, or -1. */
function findExtensionEnd(line: string, from: number, limit: number): number {
  for (let k = from; k < limit; k++) {
    const c = line[k]!;
    if (c === '<' || c === '>' || c === '|' || c === '\n') return -1;
    if (c !== '.') continue;
    let j = k + 1;
    let letters = 0;
    while (j < line.length && j - k <= 6 && isAlnum(line[j])) {
      if (isLetter(line[j])) letters++;
      j++;
    }
    const len = j - k - 1;
    // A dot after the extension ends a sentence only when a space or the end follows it.
    const after = line[j];
    const ends = after === '.' ? j + 1 >= line.length || isSpace(line[j + 1]) : j >= line.length || isTerminator(after) || after === '?' || after === '#';
    if (len >= 1 && len <= 5 && letters > 0 && ends) {
      return j;
    }
  }
  return -1;
}

const CONNECTORS = new Set(['of', 'the', 'and', 'a', 'an', 'in', 'on', 'at', 'to', 'for', 'de', 'la', 'le', 'les', 'du', 'des', 'el', 'los', 'y', 'e', 'et', 'und', 'der', 'die', 'das', 'von', 'vs.', 'vs', 'with', 'from', '&', '-', '\u2013']);

/** Whether a word looks like part of a title (capitalized, a number, bracketed). */
function isTitleWord(word: string): boolean {
  const c = word[0];
  if (c === undefined || word.startsWith('<')) return false;
  return /^[\p{Lu}\p{Lt}\d([&]/u.test(c);
}
const endsClause = (word: string): boolean => /[:;,]$/.test(word);

/**
 * After an unquoted name without an extension (`/mnt/media/Music/Pink` + ` Floyd failed`),
 * extends the span over the following title-like words, since a folder name often has spaces.
 */
function extendOverTitleWords(line: string, end: number): number {
  let pos = end;
  for (let words = 0; words < 16; words++) {
    if (line[pos] !== ' ') break;
    let w = pos + 1;
    while (w < line.length && !isSpace(line[w]) && !NAME_STOPS.has(line[w]!)) w++;
    const word = line.slice(pos + 1, w);
    if (word.length === 0) break;
    if (isTitleWord(word) && !endsClause(word)) {
      pos = w;
      continue;
    }
    if (CONNECTORS.has(word.toLowerCase())) {
      // A connector counts only when a title word follows it ("Lord of the Rings").
      let n2 = w + 1;
      while (n2 < line.length && !isSpace(line[n2]) && !NAME_STOPS.has(line[n2]!)) n2++;
      const next = line.slice(w + 1, n2);
      if (line[w] === ' ' && (isTitleWord(next) || CONNECTORS.has(next.toLowerCase()))) {
        pos = w;
        continue;
      }
    }
    break;
  }
  return pos;
}

/** Index of the end of an unquoted name run starting at `from` (parentheses balanced). */
function nameRunEnd(line: string, from: number): number {
  let depth = 0;
  let k = from;
  for (; k < line.length; k++) {
    const c = line[k]!;
    if (isSpace(c) || NAME_STOPS.has(c)) break;
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) break;
      depth--;
    }
  }
  // A sentence-ending dot is not part of the name.
  while (k > from && line[k - 1] === '.') k--;
  return k;
}

/** The end of the path that starts at `start`: its folders reach `lastSep`, then its file name. */
function pathEnd(line: string, start: number, lastSep: number, isUrl: boolean): number {
  const open = start > 0 ? line[start - 1]! : '';
  const close = QUOTES.get(open);
  const f = lastSep + 1;
  if (close !== undefined) {
    const limit = Math.min(line.length, f + 512);
    for (let q = f; q < limit; q++) {
      if (line[q] === close && isTerminator(line[q + 1])) return q;
    }
  }
  // A web URL, or any path with a query string, has no unencoded spaces: it ends with its run.
  let run = f;
  let query = false;
  while (run < line.length && !isSpace(line[run]) && !NAME_STOPS.has(line[run]!)) {
    if (line[run] === '?' || line[run] === '#') query = true;
    run++;
  }
  if (isUrl || query) {
    while (run > f && (line[run - 1] === '.' || (line[run - 1] === ')' && !line.slice(start, run).includes('(')))) run--;
    return run;
  }
  const extEnd = findExtensionEnd(line, f, Math.min(line.length, f + 255));
  if (extEnd >= 0) {
    if (line[extEnd] === '?' || line[extEnd] === '#') {
      let k = extEnd;
      while (k < line.length && !isSpace(line[k]) && !NAME_STOPS.has(line[k]!)) k++;
      return k;
    }
    return extEnd;
  }
  const name = nameRunEnd(line, f);
  // Nothing after the last separator: the path names a folder and ends there.
  return name === f ? name : extendOverTitleWords(line, name);
}

/** What replaces a path span: the placeholder, keeping a module-relative `node_modules/…` suffix. */
function pathReplacement(span: string, placeholder: string): string {
  const unix = span.replaceAll('\\', '/');
  const idx = unix.lastIndexOf('/node_modules/');
  if (idx >= 0) {
    const suffix = unix.slice(idx + 1);
    if (CODE_FILE.test(suffix)) return `${placeholder}/${suffix}`;
  }
  return placeholder;
}

interface Token {
  readonly s: number;
  readonly e: number;
  readonly firstSep: number;
  readonly start: PathStart | undefined;
}

/** Replaces every path and URL on one line (a line has no `\n`). */
function scrubPathsInLine(line: string): string {
  if (line.indexOf('/') < 0 && line.indexOf('\\') < 0) return line;
  // First the tokens that contain a separator and are not kept: a path's folders reach the
  // last such separator on the line, since folder names may contain spaces.
  const tokens: Token[] = [];
  let lastSep = -1;
  for (let i = 0; i < line.length; ) {
    if (isSpace(line[i])) {
      i++;
      continue;
    }
    let e = i;
    let firstSep = -1;
    let tokenLastSep = -1;
    while (e < line.length && !isSpace(line[e])) {
      if (isSep(line[e])) {
        if (firstSep < 0) firstSep = e;
        tokenLastSep = e;
      }
      e++;
    }
    if (firstSep >= 0) {
      const start = pathStartInToken(line, i, e, firstSep);
      tokens.push({ s: i, e, firstSep, start });
      if (start !== undefined) lastSep = tokenLastSep;
    }
    i = e;
  }
  if (lastSep < 0) return line;
  let out = '';
  let copied = 0;
  for (const t of tokens) {
    if (t.start === undefined || t.s < copied) continue;
    const begin = t.start.start;
    const end = Math.max(pathEnd(line, begin, Math.max(lastSep, t.firstSep), t.start.placeholder === P.url), t.firstSep + 1);
    out += line.slice(copied, begin) + pathReplacement(line.slice(begin, end), t.start.placeholder);
    copied = end;
  }
  return out + line.slice(copied);
}

// ---------------------------------------------------------------------------------------
// Pass 2: quoted strings, titles and bare media file names
// ---------------------------------------------------------------------------------------

// Quoted text that is kept wherever it stands: error class names and placeholders. Identifiers,
// constants and numbers are kept where their context says they are code (below). Anything else
// (`"Some Film (2017)"`, `'Inception'`, a device name) may name media or a person.
const KEEP_QUOTED = /^(?:|[A-Z][A-Za-z0-9]*(?:Error|Exception)|<[a-z]+>)$/;

// An identifier of code, a constant or a number (`'length'`, `'auxData'`, `'ENOENT'`, `'30'`)
// has the shape of many a title (`'untitled'`, `'dumpTRUCK'`, `"MASH"`, `'1919'`), so it is kept
// only where the words around it say it is code: `(reading 'x')`, `property 'x'`, `Cannot find
// module 'x'`, `code: 'x'`, `'x' is not a function`, `The "x" argument`, JSON keys.
const IDENTIFIER = /^(?:[a-z_$][\w$]*(?:[.:#-][\w$]+)*|[A-Z][A-Z0-9_]*|-?\d+(?:\.\d+)*[a-z%]{0,4}|\d+(?:\.\d+)?\/\d+(?:\.\d+)?)$/;
const CODE_BEFORE =
  /(?:(?:^|[^\w$-])(?:reading|setting|property|properties|module|package|option|argument|parameter|method|function|field|column|table|key|header|attribute|flag|event|export|import|variable|identifier|command|type|member|keyword|token|encoding|format|codec|protocol|scheme|hook|plugin|driver|mode|state|status|locale|value|code|errno|signal|level)[ \t]{1,4}\(?|[\w$]["']?[ \t]{0,4}[:=][ \t]{0,4}[([{]?)$/i;
const CODE_AFTER = /^(?:[ \t]{0,4}[:=]|[ \t]{1,4}(?:argument|property|option|parameter|field|module|method|function|column|key|header|attribute|flag|event|is not|must be|of (?:undefined|null)|has already been|is read-only|is deprecated|is required|expected)\b)/i;

/** Whether the words around the quotes at `open` and `close` name what they hold as code. */
function inCodeContext(line: string, open: number, close: number): boolean {
  return CODE_BEFORE.test(line.slice(Math.max(0, open - 40), open)) || CODE_AFTER.test(line.slice(close + 1, close + 41));
}

/** Whether quoted text stays: an error class or a placeholder; code in a code context; a kept path of code. */
function keepQuoted(line: string, open: number, close: number, content: string): boolean {
  if (KEEP_QUOTED.test(content)) return true;
  if (IDENTIFIER.test(content)) return inCodeContext(line, open, close);
  return /[\\/]/.test(content) && isKeptCore(content);
}

// No exception for quoted sentences: titles are not always capitalized ("Questa volta
// parliamo di uomini", "Becoming dick"), so quoted prose that looks like an error text is
// scrubbed too. The error class, the code frames and the unquoted message survive.

const MEDIA_EXTENSIONS = new Set(
  (
    'mkv mp4 m4v avi mov wmv flv webm ts m2ts mts mpg mpeg vob iso divx ogv 3gp rm rmvb mk3d ' +
    'mp3 flac m4a m4b aac ogg oga opus wav wma alac ape aiff aif dsf dff wv mka mpc ' +
    'jpg jpeg png gif webp heic heif tif tiff bmp cr2 nef arw dng ' +
    'srt ass ssa sub idx vtt sup smi nfo cue m3u m3u8 pls strm xspf epub pdf cbz cbr mobi azw3'
  ).split(' '),
);

/**
 * For each position, the first closing candidate at or after it: a `close` character followed by
 * a terminator. A quote followed by a letter (`'n'`, `B.F.'s`, `L'écouteur`, `Airport '77`) is
 * inside the quoted text, not its end. One backward pass over the line: linear.
 */
function closingCandidates(line: string, close: string): Int32Array {
  const next = new Int32Array(line.length + 1).fill(-1);
  for (let q = line.length - 1; q >= 0; q--) next[q] = line[q] === close && isTerminator(line[q + 1]) ? q : next[q + 1]!;
  return next;
}

/**
 * Where the quoted string opened at `k` closes, or -1: at the first closing candidate within
 * 512 characters. In single quotes, an elided article (`'D' Anothers'`, `'T' was een April'`)
 * is not the end: a single letter before the quote is skipped once.
 */
function closingQuote(line: string, k: number, close: string, next: Int32Array, nextPlaceholder: Int32Array): number {
  let q = next[k + 1]!;
  if (close === "'" && q === k + 2 && isSpace(line[q + 1]) && /^\p{L}$/u.test(line[k + 1]!) && next[q + 1]! >= 0) q = next[q + 1]!;
  if (q < 0 || q - k > 513) return -1;
  // Text scrubbed by an earlier pass stays as it is: a quote may not reach across it, which
  // keeps scrubbing idempotent (a removed span shortens the line and brings quotes closer).
  const p = nextPlaceholder[k + 1]!;
  return p >= 0 && p < q ? -1 : q;
}

/** For each position, where the next `<text>` placeholder starts, or -1. */
function placeholderStarts(line: string): Int32Array {
  const next = new Int32Array(line.length + 1).fill(-1);
  let at = line.indexOf(P.text);
  for (let i = 0; i <= line.length && at >= 0; i++) {
    if (i > at) at = line.indexOf(P.text, i);
    next[i] = at;
  }
  return next;
}

/** Replaces quoted text that is not code-like with `<text>`, keeping the quotes. */
function scrubQuotedInLine(line: string): string {
  if (!/["'`\u201c\u2018\u00ab]/.test(line)) return line;
  let out = '';
  let copied = 0;
  const candidates = new Map<string, Int32Array>();
  let nextPlaceholder: Int32Array | undefined;
  for (let k = 0; k < line.length; k++) {
    const close = QUOTES.get(line[k]!);
    if (close === undefined) continue;
    const prev = line[k - 1];
    if (!(k === 0 || isSpace(prev) || '([{=,:;'.includes(prev!))) continue;
    let next = candidates.get(close);
    if (next === undefined) candidates.set(close, (next = closingCandidates(line, close)));
    nextPlaceholder ??= placeholderStarts(line);
    const q = closingQuote(line, k, close, next, nextPlaceholder);
    if (q < 0) continue;
    const content = line.slice(k + 1, q);
    if (!keepQuoted(line, k, q, content)) {
      out += line.slice(copied, k + 1) + P.text;
      copied = q;
    }
    k = q;
  }
  return out + line.slice(copied);
}

const YEAR_TOKEN = /^[([](?:18|19|20)\d\d[)\]]/;
const EPISODE_TOKEN = /^(?:S\d{1,2}E\d{1,3}|\d{1,2}x\d{2,3})(?![A-Za-z])/i;
const TRAILING_PUNCT = /[)\]}>:;,.!?'"`\u201d\u2019\u00bb]+$/;

/** A word's letters, without the punctuation a title may put around them (`¡Viva`, `hurra!`, `vie,`, `...tick...`). */
const bare = (word: string): string => word.replace(/^[¡¿"'\u201c\u2018\u00ab.\u2026]+/u, '').replace(/[,!?.\u2026"'\u201d\u2019\u00bb]+$/u, '');

/** Whether a word may sit inside a title without being capitalized ("Becoming dick", "Dům pro dva", "hurra!", "...tick..."). */
function isLowerTitleWord(word: string): boolean {
  // Punctuation on its own (`–`, `...`, `?`, `+`) sits inside titles as well.
  if (/^[-\u2013\u2014&+.\u2026!?¡¿,]+$/u.test(word)) return true;
  // Starts uncapitalized; elisions and particles may capitalize what follows (`d'Arc`, `al-Wahid`).
  return /^[\p{Ll}\p{Lo}\p{M}\d][\p{L}\p{M}\d'\u2019.-]*$/u.test(bare(word));
}

/** Whether a word may start or sit in a title: capitalized or a number, after any leading punctuation (`¡Viva`, `...And`). */
const isTitleStartWord = (word: string): boolean => isTitleWord(word) || (bare(word) !== word && isTitleWord(bare(word)));

/** A word that ends a clause before a title (`failed:`, `name;`): a comma may sit inside a title. */
const endsSentence = (word: string): boolean => /[:;]$/.test(word);

/**
 * Whether the capitalized word `words[j]`, which ends with a colon, may sit inside a title
 * (`Star Wars: Episode IV`, `My Super Psycho Sweet 16: Part 2`): not a line's first word (a
 * log prefix or an error class) and not an error class anywhere (`TypeError:`).
 */
const colonInTitle = (words: readonly string[], j: number): boolean => j > 0 && words[j]!.endsWith(':') && !/(?:Error|Exception|Warning)\d*:$/.test(words[j]!);

/** Whether a capitalized word may sit inside a title: it does not end a clause, or its colon is a title's. */
const staysInTitle = (words: readonly string[], j: number): boolean => !endsSentence(words[j]!) || colonInTitle(words, j);

/**
 * First word index of the title that ends just before word `w`: first up to 8 uncapitalized
 * words ("burn a million quid", "vie, mon chéri"), then capitalized words and connectors ("The
 * K Foundation", "Paris,"). The uncapitalized words count only when a capitalized word precedes
 * them, so that a year after plain prose ("failed at startup (2017)") removes nothing. A comma
 * does not end a title (`C'est la vie, mon chéri`), nor does a colon after a capitalized word
 * (`Séraphin: un homme et son péché`) unless it ends an error class or a line's first word; a
 * semicolon does. Both walks are bounded.
 */
function titleStart(words: readonly string[], w: number): number {
  let j = w - 2;
  for (let steps = 0; j >= 0 && steps < 8 && !isTitleStartWord(words[j]!) && isLowerTitleWord(words[j]!); steps++) j -= 2;
  if (j < 0 || !isTitleStartWord(words[j]!) || !staysInTitle(words, j)) j = w - 2;
  return capitalizedTitleStart(words, j + 2);
}

/** First word index of the run of capitalized words and connectors that ends just before word `w`. */
function capitalizedTitleStart(words: readonly string[], w: number): number {
  let first = w;
  // Connectors ("of the") join title words; they count only once a title word precedes them.
  for (let j = w - 2, steps = 0; j >= 0 && steps < 16; j -= 2, steps++) {
    const word = words[j]!;
    if (isTitleStartWord(word) && staysInTitle(words, j)) first = j;
    else if (!CONNECTORS.has(word.toLowerCase())) break;
  }
  return first;
}

/** Replaces titles marked by a year or an episode number, and bare media file names. */
function scrubWordsInLine(line: string): string {
  const words = line.split(/(\s+)/);
  // Even indexes are words, odd indexes the whitespace between them.
  let changed = false;
  for (let w = 0; w < words.length; w += 2) {
    const word = words[w]!;
    if (word.length === 0) continue;
    const isYear = YEAR_TOKEN.test(word);
    const isEpisode = !isYear && EPISODE_TOKEN.test(word);
    let isMediaFile = false;
    if (!isYear && !isEpisode && word.includes('.') && !word.includes('<')) {
      const core = word.replace(TRAILING_PUNCT, '');
      const dot = core.lastIndexOf('.');
      isMediaFile = dot > 0 && MEDIA_EXTENSIONS.has(core.slice(dot + 1).toLowerCase());
    }
    if (!isYear && !isEpisode && !isMediaFile) continue;
    // A scene-style name (`Some.Show.S03E07.720p.mkv`) is whole already: dots replace spaces.
    const first = isMediaFile && word.split('.').length > 3 ? w : titleStart(words, w);
    // A lone year or episode number names nothing; it needs title words before it.
    if (!isMediaFile && first === w) continue;
    const trailing = /[:;,]$/.exec(word)?.[0] ?? '';
    let lead = '';
    const opener = /^[([{"'`]+/.exec(words[first]!)?.[0];
    if (first === w && opener !== undefined && !isYear) lead = opener;
    const placeholder = isMediaFile && first === w ? P.file : P.title;
    for (let k = first; k < w; k++) words[k] = '';
    words[w] = lead + placeholder + trailing;
    changed = true;
  }
  return changed ? words.join('') : line;
}

// ---------------------------------------------------------------------------------------
// Pass 3: regular expressions
// ---------------------------------------------------------------------------------------

// Metadata lines of ffmpeg/ffprobe output and inspected objects (`    title : Some Film`).
const METADATA_LINE =
  /^([ \t]*(?:title|album|album_artist|artist|composer|performer|comment|description|synopsis|summary|show|episode_id|network|filename|encoded_by|copyright|lyrics|publisher|author|grouping|purl|sort_name|sort_album|sort_artist|subtitle|part_of_set|originalTitle|grandparentTitle|parentTitle|librarySectionTitle)[ \t]*[:=])[ \t]*(?!<text>,?$)\S[^\n]*$/gim;

const SECRET_KEYS =
  'x-(?:plex|emby|mediabrowser)-token|x-plex-client-identifier|x-plex-device-name|x-plex-username|x-emby-authorization|api[_-]?key|access[_-]?token|refresh[_-]?token|auth[_-]?token|id[_-]?token|client[_-]?secret|secret|token|password|passwd|pwd|authorization|cookie|set-cookie|session[_-]?(?:id|key|token)|device[_-]?id|device[_-]?name|machine[_-]?identifier|client[_-]?identifier|user[_-]?name|account[_-]?name|e-?mail';
const AUTH_SCHEMES = '(?:bearer|basic|mediabrowser|token|digest)';
const VALUE = '[^\\s"\'&,;<>)\\]}]+';
// key=value, key: value, "key":"value", Authorization: Bearer xyz. The key and separator stay,
// so that a developer still sees which secret was present.
const KEY_VALUE = new RegExp(
  `(?<![\\w-])(${SECRET_KEYS})(?![\\w-])(["']?[ \\t]{0,4}[=:][ \\t]{0,4})(?:(["'])[^"'\\n]{0,512}\\3|(${AUTH_SCHEMES}[ \\t]+)(?!<)${VALUE}|(?!${AUTH_SCHEMES}[ \\t])(?!<)${VALUE})`,
  'gi',
);
// Values that name a person, a device, a host or media: `user: 'alice'`, `artist=Pink%20Floyd`,
// `Authentication request for "alice"`. Quoted values after `:` or `=`, unquoted after `=`.
const PERSONAL_KEYS =
  'user|users|user[_-]?name|login|account|owner|profile|friend|member|device|device[_-]?name|player|client[_-]?name|host|hostname|server[_-]?name|friendly[_-]?name|computer[_-]?name|artist|album|album[_-]?artist|track|title|show|series|episode|movie|name';
const PERSONAL_KEY_VALUE = new RegExp(
  `(?<![\\w-])(${PERSONAL_KEYS})(?![\\w-])(?:(["']?[ \\t]{0,4}[=:][ \\t]{0,4})(["'])(?!<text>\\3)[^"'\\n]{1,256}\\3|([ \\t]{0,4}=[ \\t]{0,4})(?![<"'])[^\\s"'&,;<>)\\]}]+)`,
  'gi',
);
const QUOTED_AFTER_WORD = /(?<![\w-])(for|by|user|account|device|player|owner|profile|from)([ \t]+)(["\u201c'\u2018])(?!<text>["'\u201d\u2019])[^"'\n\u201d\u2019]{1,256}(["'\u201d\u2019])/gi;
const BEARER = /(?<![\w-])(bearer)([ \t]+)(?!<)[A-Za-z0-9._~+/=-]{8,}/gi;
const JWT = /(?<![\w-])eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const EMAIL = /(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const UNRESOLVED_HOST = /\b(ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)([ \t]+)(?![<\d])[^\s,;)'"]+/g;
const TLDS =
  'com|net|org|io|tv|fm|co|uk|de|fr|nl|eu|ca|au|us|info|biz|xyz|cloud|online|site|local|lan|home|internal|localdomain|direct|arpa|ru|jp|cn|br|es|se|dk|fi|pl|ch|nz|cz|pt|gr|hu|ro|ie|il|kr|mx|ar|za|ts\\.net|duckdns\\.org|synology\\.me|myqnapcloud\\.com|plex\\.direct';
const HOSTNAME = new RegExp(`(?<![\\w.-])(?:[A-Za-z0-9-]+\\.)+(?:${TLDS})(?![\\w-])`, 'gi');
const UUID = /(?<![\w-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/g;
const MAC = /(?<![\w:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![\w:-])/g;
const IPV6_CANDIDATE = /(?<![\w:.%])(?=[0-9A-Fa-f]*:)[0-9A-Fa-f:.]{2,}(?:%[\w.-]+)?(?![\w:])/g;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\d|\.\d)/g;
const LONG_HEX = /(?<![0-9A-Za-z])[0-9a-fA-F]{16,}(?![0-9A-Za-z])/g;
const BASE64_RUN = /(?<![A-Za-z0-9+_=-])[A-Za-z0-9+_-]{20,}={0,2}(?![A-Za-z0-9+_=-])/g;

function replaceIpv6(candidate: string): string {
  const core = candidate.split('%')[0]!;
  const colons = core.split(':').length - 1;
  const hasHex = /[0-9A-Fa-f]/.test(core);
  if ((core.includes('::') && hasHex) || colons >= 7) return P.ip;
  return candidate;
}

// A run of 20+ letters and digits is a token when it mixes cases and digits (as keys do and
// identifiers of code rarely do), or when it is long and has digits.
function replaceBase64(run: string): string {
  const digit = /\d/.test(run);
  const lower = /[a-z]/.test(run);
  const upper = /[A-Z]/.test(run);
  if ((digit && lower && upper) || (run.length >= 32 && digit && (lower || upper))) return P.token;
  return run;
}

function applyPatterns(text: string): string {
  return text
    .replace(METADATA_LINE, `$1 ${P.text}`)
    .replace(KEY_VALUE, (_m, key: string, sep: string, quote: string | undefined, scheme: string | undefined) =>
      quote !== undefined ? `${key}${sep}${quote}${P.secret}${quote}` : `${key}${sep}${scheme ?? ''}${P.secret}`,
    )
    .replace(PERSONAL_KEY_VALUE, (_m, key: string, qsep: string | undefined, quote: string | undefined, usep: string | undefined) =>
      quote !== undefined ? `${key}${qsep}${quote}${P.text}${quote}` : `${key}${usep ?? '='}${P.text}`,
    )
    .replace(QUOTED_AFTER_WORD, `$1$2$3${P.text}$4`)
    .replace(BEARER, `$1$2${P.secret}`)
    .replace(JWT, P.secret)
    .replace(EMAIL, P.email)
    .replace(UNRESOLVED_HOST, `$1$2${P.host}`)
    .replace(HOSTNAME, P.host)
    .replace(UUID, P.id)
    .replace(MAC, P.mac)
    .replace(IPV6_CANDIDATE, replaceIpv6)
    .replace(IPV4, P.ip)
    .replace(LONG_HEX, P.hex)
    .replace(BASE64_RUN, replaceBase64);
}

// ---------------------------------------------------------------------------------------

function scrubOnce(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) lines[i] = scrubWordsInLine(scrubQuotedInLine(scrubPathsInLine(lines[i]!)));
  return applyPatterns(lines.join('\n'));
}

/**
 * Replaces what could name media, a person or a secret with placeholders: file paths and
 * file names (POSIX, Windows drive and UNC paths, `file://` URLs, paths with spaces and
 * parentheses, quoted paths), URLs with their query strings, quoted free text, titles marked
 * by a year or an episode number, e-mail addresses, host names, IPv4 and IPv6 addresses, MAC
 * addresses, tokens and keys (Bearer, `X-Plex-Token=…`, `api_key=…`, JWTs) and long hex or
 * base64 runs. Module-relative frames of code (`src/transcoder/session.ts:120:7`,
 * `node:internal/…`, `…/node_modules/pkg/file.js`) are kept so that crashes stay debuggable.
 * Idempotent, never throws, linear in the length of `text`.
 * @example scrubText("ENOENT: open '/mnt/media/Film (2017)/Film.mkv'") // "ENOENT: open '<path>'"
 */
export function scrubText(text: string): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  // A second pass catches spans that only became visible once a neighbour was replaced;
  // a third is a fixed point in practice, and the loop is bounded either way.
  let out = scrubOnce(text);
  for (let i = 0; i < 2; i++) {
    const again = scrubOnce(out);
    if (again === out) break;
    out = again;
  }
  return out;
}
