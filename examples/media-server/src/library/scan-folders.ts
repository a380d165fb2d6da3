import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MEDIA_EXTENSIONS, extensionOf } from './media-kinds.js';

/** A media file found by {@link scanFolders}. */
export interface FoundFile {
  /** The absolute path. */
  readonly path: string;
  /** The library folder it was found under (absolute). */
  readonly folder: string;
  /** Its path relative to that folder, with `/` separators; what the UI shows. */
  readonly relativePath: string;
  /** Its size in bytes. */
  readonly sizeBytes: number;
  /** Its modification time, which decides whether it must be probed again. */
  readonly mtimeMs: number;
}

/** A folder that could not be read, and why; the scan goes on with the others. */
export interface ScanProblem {
  /** The folder or sub-folder. */
  readonly folder: string;
  /** What went wrong. */
  readonly message: string;
}

/** Options of {@link scanFolders}. */
export interface ScanFoldersOptions {
  /** How deep to descend below each library folder. @default 16 */
  readonly maxDepth?: number;
}

/**
 * Finds every media file (by extension) under the given folders. Hidden entries and symbolic
 * links are skipped, so that a link cannot pull files from outside a library into it or loop.
 */
export async function scanFolders(folders: readonly string[], options: ScanFoldersOptions = {}): Promise<{ files: FoundFile[]; problems: ScanProblem[] }> {
  const maxDepth = options.maxDepth ?? 16;
  const files: FoundFile[] = [];
  const problems: ScanProblem[] = [];
  for (const folder of folders.map((f) => resolve(f))) {
    await walk(folder, folder, '', 0);
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { files, problems };

  async function walk(root: string, dir: string, prefix: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ folder: dir, message: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'folder does not exist' : (error as Error).message });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      const relativePath = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) {
        if (depth < maxDepth) await walk(root, path, relativePath, depth + 1);
      } else if (entry.isFile() && MEDIA_EXTENSIONS.has(extensionOf(entry.name))) {
        try {
          const s = await stat(path);
          files.push({ path, folder: root, relativePath, sizeBytes: s.size, mtimeMs: s.mtimeMs });
        } catch (error) {
          problems.push({ folder: dir, message: `${entry.name}: ${(error as Error).message}` });
        }
      }
    }
  }
}
