import { pathToFileURL } from 'node:url';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The spellings under which a directory appears in stack traces: POSIX, Windows (either separator), `file://` URL. */
function prefixesOf(root: string): string[] {
  const trimmed = root.replace(/[\\/]+$/, '');
  const out = new Set<string>();
  const windows = /^[A-Za-z]:[\\/]/.test(trimmed) || trimmed.startsWith('\\\\');
  if (windows) {
    const back = trimmed.replaceAll('/', '\\');
    const forward = back.replaceAll('\\', '/');
    for (const form of [back, forward]) {
      out.add(`${form}\\`);
      out.add(`${form}/`);
      // Drive letters appear in either case (`C:\` from the OS, `c:\` from some tools).
      if (/^[A-Za-z]:/.test(form)) {
        const other = (form[0] === form[0]!.toUpperCase() ? form[0].toLowerCase() : form[0]!.toUpperCase()) + form.slice(1);
        out.add(`${other}\\`);
        out.add(`${other}/`);
      }
    }
    if (/^[A-Za-z]:/.test(forward)) out.add(`file:///${forward}/`);
  } else {
    out.add(`${trimmed}/`);
    try {
      out.add(`${pathToFileURL(trimmed).href}/`);
    } catch {
      // A root that is not a valid path has no URL form.
    }
  }
  // Longest first, so that `C:\srv\app\` wins over a shorter spelling of the same root.
  return [...out].sort((a, b) => b.length - a.length);
}

/**
 * Whether `root` is too broad to be the host's install directory: a filesystem root, or a
 * drive root. Relativizing under it would turn every path, media included, into a
 * "module-relative" one.
 */
export function isTooBroadAppRoot(root: string): boolean {
  const trimmed = root.replace(/[\\/]+$/, '');
  return trimmed === '' || /^[A-Za-z]:$/.test(trimmed) || /^\\\\[^\\/]+(?:[\\/][^\\/]+)?$/.test(trimmed) || trimmed === '.';
}

/**
 * Makes the host's own paths module-relative: `/opt/server/src/scan.ts:12:5` → `src/scan.ts:12:5`,
 * `C:\Server\src\scan.ts` → `src/scan.ts`, `file:///opt/server/src/scan.ts` → `src/scan.ts`.
 * The scrubber keeps module-relative code frames and removes every other path, so this is what
 * lets the frames needed to debug survive. Too broad roots (see {@link isTooBroadAppRoot}) are ignored.
 */
export function relativizeAppRoot(text: string, roots: readonly string[]): string {
  const prefixes = roots.filter((r) => r.length > 0 && !isTooBroadAppRoot(r)).flatMap(prefixesOf);
  if (prefixes.length === 0 || text.length === 0) return text;
  // The run after a prefix ends at the characters that end a path in a stack frame; its
  // backslashes become slashes so that Windows frames read like every other frame.
  const pattern = new RegExp(`(?:${prefixes.map(escape).join('|')})([^\\s'"()<>:,;]*)`, 'g');
  return text.replace(pattern, (_m, rest: string) => rest.replaceAll('\\', '/'));
}
