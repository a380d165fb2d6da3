import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crashCorpus } from '../test/fixtures/crash-corpus.js';
import { compileCatalog } from './compile-catalog.js';
import { mediaServerCatalog } from './media-server.js';
import { SCRUB_PLACEHOLDERS, scrubText } from './scrub-text.js';

// The SDK removes the host's install directory before the text reaches the normalizer;
// here it is removed by hand so that the catalog is tested on what it really receives.
const relative = (text: string): string => text.replaceAll('{app}/', '').replaceAll('{app}\\', '');
const unix = (text: string): string => text.replaceAll('\\', '/');

describe('scrubText on the crash corpus', () => {
  it('has at least 50 realistic entries, each with something to remove', () => {
    expect(crashCorpus.length).toBeGreaterThanOrEqual(50);
    for (const entry of crashCorpus) expect(entry.sensitive.length, entry.id).toBeGreaterThan(0);
    expect(new Set(crashCorpus.map((e) => e.id)).size).toBe(crashCorpus.length);
  });

  it.each(crashCorpus.map((e) => [e.id, e] as const))('%s: nothing sensitive survives, the host frames do', (_id, entry) => {
    const out = scrubText(relative(entry.text));
    for (const secret of entry.sensitive) expect(out.toLowerCase(), `"${secret}" survived in:\n${out}`).not.toContain(secret.toLowerCase());
    for (const kept of entry.keep) expect(unix(out), `"${kept}" was lost from:\n${out}`).toContain(kept);
    expect(scrubText(out)).toBe(out);
  });

  it('raw text dies in the catalog normalizer of crash.report', () => {
    const catalog = compileCatalog(mediaServerCatalog);
    const entry = crashCorpus.find((e) => e.id === 'node-enoent-open')!;
    const result = catalog.normalize('crash.report', {
      serverVersion: '1.4.2',
      platform: 'linux',
      errorType: 'Error',
      message: relative(entry.text).split('\n')[0],
      stack: relative(entry.text),
      count: 1,
      origin: 'uncaught',
    });
    expect(result.ok).toBe(true);
    const wire = JSON.stringify(result.ok ? result.payload : null);
    for (const secret of entry.sensitive) expect(wire).not.toContain(secret);
    expect(wire).toContain('src/scanner/scan-file.ts:88:11');
  });
});

describe('scrubText, rule by rule', () => {
  const cases: [string, string, string][] = [
    ['POSIX path with spaces and parentheses', 'open /mnt/media/Movies/Some Film (2017)/Some.Film.2017.1080p.BluRay.x264.mkv: EIO', 'open <path>: EIO'],
    ['quoted path', `stat '/srv/tv/Show Name/Season 1'`, `stat '<path>'`],
    ['Windows drive path', `open 'D:\\Media\\Some Film (2017)\\film.mkv'`, `open '<path>'`],
    ['UNC path', 'cannot read \\\\NAS\\media\\Movies\\film.mkv', 'cannot read <path>'],
    ['file URL', 'load file:///home/alice/film.srt failed', 'load <path> failed'],
    ['web URL with query', 'GET https://api.example.org/v1/items?api_key=abc123 failed', 'GET <url> failed'],
    ['relative media path', 'skipping Movies/Some Film (2017)/film.mkv', 'skipping <path>'],
    ['e-mail', 'mail to jane.doe+tv@example.co.uk bounced', 'mail to <email> bounced'],
    ['IPv4 with port', 'connect ECONNREFUSED 192.168.1.20:32400', 'connect ECONNREFUSED <ip>:32400'],
    ['IPv6', 'listen EADDRINUSE 2001:db8::42', 'listen EADDRINUSE <ip>'],
    ['Plex token', 'X-Plex-Token=xKeT9sjdP3R-aBcdEfGh rejected', 'X-Plex-Token=<secret> rejected'],
    ['api_key', 'api_key=0123abcd&lang=en', 'api_key=<secret>&lang=en'],
    ['Bearer', 'Authorization: Bearer abc.def.ghi-123', 'Authorization: Bearer <secret>'],
    ['JWT alone', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl expired', 'token <secret> expired'],
    ['long hex', 'session 8c1f2e3d4b5a69788796a5b4c3d2e1f0 closed', 'session <hex> closed'],
    ['base64 run', 'device QW5kcm9pZFRWOjhhNGYyMWQ0ZTk= unknown', 'device <token> unknown'],
    ['UUID', 'item 5f9c8e7a-1b2c-4d3e-8f90-a1b2c3d4e5f6 gone', 'item <id> gone'],
    ['MAC', 'wake 00:11:32:ab:cd:ef', 'wake <mac>'],
    ['title with a year', 'no match for Blade Runner (1982) today', 'no match for <title> today'],
    ['quoted title', `cannot play "The Matrix"`, `cannot play "<text>"`],
    ['quoted one-word lowercase title', "Playback of 'untitled' on client stalled", "Playback of '<text>' on client stalled"],
    ['quoted identifier-shaped title', 'Transcoding "dumpTRUCK" failed', 'Transcoding "<text>" failed'],
    ['ffmpeg metadata line', '    title           : Some Film', '    title           : <text>'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  const kept: [string, string][] = [
    ['module-relative host frame', '    at Transcoder.start (src/transcoder/session.ts:120:7)'],
    ['Windows-style relative host frame', '    at Transcoder.start (src\\transcoder\\session.ts:120:7)'],
    ['node internal frame', '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)'],
    ['anonymous and async frames', '    at async Promise.all (index 0)\n    at new Promise (<anonymous>)'],
    ['property names', "Cannot read properties of undefined (reading 'length')"],
    ['error codes', "code: 'ENOENT', syscall: 'open', errno: -2"],
    ['mime types, frame rates, rates', 'video/mp4 at 30000/1001 fps, 2097.2kbits/s, N/A'],
    ['times and versions', 'at 12:30:45 with ffmpeg 6.1, node v20.11.1'],
    ['scoped package', "Cannot find package '@candor/sdk'"],
    ['a module name', "Cannot find module 'fastify'"],
    ['an argument name', 'The "path" argument must be of type string. Received undefined'],
    ['JSON keys', '{"error":"bad_request","code":"E_TIMEOUT"}'],
    ['an option name', "Unknown option 'verbose'"],
  ];
  it.each(kept)('keeps %s', (_name, input) => {
    expect(scrubText(input)).toBe(input);
  });

  it('keeps the module-relative part of an absolute node_modules frame', () => {
    expect(scrubText('    at route (/home/alice/app/node_modules/fastify/lib/route.js:12:3)')).toBe('    at route (<path>/node_modules/fastify/lib/route.js:12:3)');
  });

  it('leaves its own placeholders as they are, wherever they stand', () => {
    for (const placeholder of Object.values(SCRUB_PLACEHOLDERS)) {
      for (const text of [placeholder, `open '${placeholder}'`, `key=${placeholder}`, `(${placeholder}:12:5)`, `"${placeholder}" failed`]) {
        expect(scrubText(text)).toBe(text);
      }
    }
  });

  it('returns an empty string for empty or non-string input', () => {
    expect(scrubText('')).toBe('');
    expect(scrubText(undefined as unknown as string)).toBe('');
    expect(scrubText(42 as unknown as string)).toBe('');
  });
});

// Pieces that crash text is made of, so that generated strings reach the interesting rules
// (paths, quotes, URLs, keys, titles) far more often than uniformly random characters would.
const PIECES = [
  '/', '\\', '\\\\', ' ', '  ', '\n', '\t', '(', ')', '[', ']', '"', "'", '`', ':', '=', '&', '?', '#', '.', ',', ';', '<', '>', '@', '%', '-', '_',
  'a', 'Z', '0', '7', 'ff', 'Film', 'Some', 'of', 'the', '(2017)', 'S01E02', '.mkv', '.ts', '.js', ':12:5', 'src/', 'node:', 'node_modules/',
  'http://', 'file:///', 'C:\\', 'mnt', 'title', ' : ', 'token=', 'X-Plex-Token=', 'Bearer ', 'user ', 'for ', 'eyJhbGc', '192.168.1.1', '::',
  'fe80::1', '0123456789abcdef', 'aB3dE5gH7jK9mN1pQ3sT', '<path>', '<text>', 'at ', 'Error: ', 'ENOENT', 'é', '\u201c', '\u201d',
];
const crashLike = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((parts) => parts.join(''));

describe('scrubText properties', () => {
  it('never throws and always returns a string, for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        expect(typeof scrubText(s)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const once = scrubText(s);
        expect(scrubText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent on crash-like strings', () => {
    fc.assert(
      fc.property(crashLike, (s) => {
        const once = scrubText(s);
        expect(scrubText(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('never lets an e-mail address, an IPv4 address or a Plex token through', () => {
    const email = fc.tuple(fc.stringMatching(/^[a-z]{1,8}(?:\.[a-z]{1,8})?$/), fc.stringMatching(/^[a-z]{2,10}\.(?:com|org|net)$/)).map(([u, d]) => `${u}@${d}`);
    const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
    const token = fc.stringMatching(/^[A-Za-z0-9_-]{20}$/);
    fc.assert(
      fc.property(crashLike, email, ip, token, crashLike, (before, e, i, t, after) => {
        const out = scrubText(`${before} ${e} from ${i} X-Plex-Token=${t} ${after}`);
        expect(out).not.toContain(e);
        expect(out).not.toMatch(new RegExp(`(?<![\\d.])${i.replaceAll('.', '\\.')}(?![\\d])`));
        expect(out).not.toContain(t);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('scrubText on adversarial input', () => {
  // Each of these makes a backtracking regular expression quadratic or worse; the scrubber
  // must finish them (the test would time out otherwise) and return a sane result.
  const SIZE = 200 * 1024;
  const patterns: [string, string, string[]][] = [
    ['one long word', 'a', []],
    ['dotted words', 'a.', []],
    ['slashes', '/', []],
    ['spaced absolute paths', ' /a', ['/a']],
    ['unterminated quotes', " 'a", []],
    ['at signs', 'a@', []],
    ['e-mail-like runs', 'a.b-c+d', []],
    ['colons', 'ab:', []],
    ['hex', '0123456789abcdef', ['0123456789abcdef']],
    ['mixed-case runs', 'aB3', ['aB3aB3aB3aB3aB3aB3aB3']],
    ['years', 'A (2017) ', []],
    ['title words', 'Word ', []],
    ['connectors', 'of the ', []],
    ['secret keys', 'token= ', []],
    ['quoted secret keys', 'token="', []],
    ['personal keys', 'for "a ', []],
    ['IPv4-like', '1.2.3.', []],
    ['IPv6-like', '1:2::', []],
    ['Windows paths', 'C:\\a b\\', ['a b']],
    ['UNC', '\\\\a\\', []],
    ['parentheses', '(', []],
    ['extensions', '/a/b .c', []],
    ['lines of paths', '/a\n', ['/a']],
    ['metadata lines', 'x title: y\n', []],
    ['mixed crash text', "/mnt/a b (c)/d.mkv: x 'y' http://q/r?s=t user@x.com 10.0.0.1 ", ['/mnt', 'd.mkv', 'user@x.com', '10.0.0.1', 'http://q']],
  ];
  it.each(patterns)('%s (200 KB)', (_name, unit, gone) => {
    const input = unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
    const out = scrubText(input);
    expect(typeof out).toBe('string');
    // Placeholders are at most a few characters longer than what they replace.
    expect(out.length).toBeLessThanOrEqual(input.length * 3);
    for (const secret of gone) expect(out).not.toContain(secret);
    expect(scrubText(out)).toBe(out);
  });
});
