import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  CatalogConfigError,
  buildDataDictionary,
  diffCatalogs,
  lintCatalog,
  loadCatalogModule,
  renderCatalogDiffMarkdown,
  renderDataDictionaryMarkdown,
  type CatalogSpec,
  type LintProblem,
} from '@candor/catalog';
import { Option, type Command } from 'commander';

/** The catalog module used when `--catalog` is not given. */
export const DEFAULT_CATALOG_MODULE = '@candor/catalog/media-server';

/** Exit codes of `candor catalog …`, also listed in its `--help`. */
export const CATALOG_EXIT_CODES = {
  /** Success: no problems, the docs or diff were written. */
  ok: 0,
  /** Data review found problems (or `diff --exit-code` found changes). */
  problems: 1,
  /** The command line is wrong (unknown option, bad value, missing argument). */
  usage: 2,
  /** A catalog module could not be loaded, or an output file could not be written. */
  unavailable: 3,
} as const;

const EXIT_HELP = `
Exit codes:
  0  success
  1  data review found problems in the catalog (diff --exit-code: the catalogs differ)
  2  the command line is wrong
  3  a catalog module could not be loaded, or the output could not be written

A catalog module is a JavaScript file (or package export) whose default export, or only
export, is a catalog declared with defineCatalog. Paths are relative to the current directory.`;

/** Raised inside an action to stop with a message and an exit code. */
class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

interface CatalogOptions {
  catalog: string;
}
interface DocsOptions extends CatalogOptions {
  format: 'md' | 'json';
  out?: string;
}
interface LintOptions extends CatalogOptions {
  format: 'text' | 'json';
}
interface DiffOptions extends CatalogOptions {
  format: 'md' | 'json';
  out?: string;
  exitCode?: boolean;
}

/**
 * Registers `candor catalog lint|docs|diff`: data review, the data dictionary and the diff of two
 * catalog versions. Parsing and printing only; the work is done by `@candor/catalog`.
 * @example candor catalog docs --format md --out docs/data-dictionary.md
 */
export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('Review a telemetry catalog, generate its data dictionary, compare two versions.')
    .addHelpText('after', EXIT_HELP);

  catalog
    .command('lint')
    .description('Data review: name every problem that makes the catalog unfit to ship (undescribed data, missing generalizers, free text outside crash reports, retention, name collisions, bucket edges).')
    .addOption(catalogOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', EXIT_HELP)
    .action(run(async (options: LintOptions) => {
      const spec = await load(options.catalog);
      const problems = lintCatalog(spec);
      if (options.format === 'json') {
        write(`${JSON.stringify({ catalog: { id: spec.id, version: spec.version }, problems }, null, 2)}\n`);
      } else if (problems.length === 0) {
        write(`${label(spec)}: no problems (${countOf(spec)}).\n`);
      } else {
        write(renderProblems(problems));
        write(`\n${label(spec)}: ${problems.length} problem${problems.length === 1 ? '' : 's'}. Fix ${problems.length === 1 ? 'it' : 'them'} in the catalog declaration; \`candor catalog lint --help\` explains the exit codes.\n`);
      }
      return problems.some((p) => p.severity === 'error') ? CATALOG_EXIT_CODES.problems : CATALOG_EXIT_CODES.ok;
    }));

  catalog
    .command('docs')
    .description('Print the data dictionary: every category, event and field, how each is generalized, and an example payload.')
    .addOption(catalogOption())
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('--out <file>', 'write to this file instead of standard output')
    .addHelpText('after', EXIT_HELP)
    .action(run(async (options: DocsOptions) => {
      const spec = await loadReviewed(options.catalog);
      const dictionary = buildDataDictionary(spec);
      const text = options.format === 'json' ? `${JSON.stringify(dictionary, null, 2)}\n` : renderDataDictionaryMarkdown(dictionary);
      await output(text, options.out, `${label(spec)}: data dictionary (${countOf(spec)})`);
      return CATALOG_EXIT_CODES.ok;
    }));

  catalog
    .command('diff')
    .description('Say, in sentences by category, what changes from one catalog version to another: added, removed and changed events and fields.')
    .argument('<old-module>', 'the earlier catalog version')
    .argument('[new-module]', 'the later catalog version (default: --catalog)')
    .addOption(catalogOption())
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--exit-code', 'exit with 1 when the catalogs differ')
    .addHelpText('after', EXIT_HELP)
    .action(run(async (oldModule: string, newModule: string | undefined, options: DiffOptions) => {
      const before = await loadReviewed(oldModule);
      const after = await loadReviewed(newModule ?? options.catalog);
      const diff = diffCatalogs(before, after);
      const text = options.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : renderCatalogDiffMarkdown(diff);
      await output(text, options.out, `${label(before)} → ${after.version}: ${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}`);
      return options.exitCode === true && diff.changes.length > 0 ? CATALOG_EXIT_CODES.problems : CATALOG_EXIT_CODES.ok;
    }));
}

function catalogOption(): Option {
  return new Option('--catalog <module>', 'the catalog module').default(DEFAULT_CATALOG_MODULE, 'the media-server catalog');
}

/** Wraps an action: expected failures print one line and set the exit code; anything else is a bug and propagates. */
function run<A extends unknown[]>(action: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      process.exitCode = await action(...args);
    } catch (error) {
      if (!(error instanceof CommandFailure)) throw error;
      process.stderr.write(`candor catalog: ${error.message}\n`);
      process.exitCode = error.exitCode;
    }
  };
}

async function load(specifier: string): Promise<CatalogSpec> {
  // A path that exists is loaded as a file even without "./", so `packages/x/catalog.mjs` works.
  const bare = !isAbsolute(specifier) && !specifier.startsWith('.');
  const target = bare && existsSync(resolve(specifier)) ? `./${specifier}` : specifier;
  try {
    return await loadCatalogModule(target);
  } catch (error) {
    if (!(error instanceof CatalogConfigError)) throw error;
    const hint = /\.[mc]?ts$/.test(specifier) ? ' (a catalog module must be JavaScript: build the TypeScript first)' : '';
    throw new CommandFailure(`${error.message}${hint} [${error.code}]`, CATALOG_EXIT_CODES.unavailable);
  }
}

/** Loads a catalog that must pass data review: docs and diffs of a broken catalog would mislead. */
async function loadReviewed(specifier: string): Promise<CatalogSpec> {
  const spec = await load(specifier);
  const problems = lintCatalog(spec).filter((p) => p.severity === 'error');
  if (problems.length > 0) {
    throw new CommandFailure(`${label(spec)} (${specifier}) has ${problems.length} problem${problems.length === 1 ? '' : 's'}; run \`candor catalog lint --catalog ${specifier}\` to see them.`, CATALOG_EXIT_CODES.problems);
  }
  return spec;
}

async function output(text: string, file: string | undefined, summary: string): Promise<void> {
  if (file === undefined) {
    write(text);
    return;
  }
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new CommandFailure(`could not write ${file}: ${(error as Error).message}`, CATALOG_EXIT_CODES.unavailable);
  }
  process.stderr.write(`${summary} written to ${file}\n`);
}

function renderProblems(problems: readonly LintProblem[]): string {
  const width = Math.max(...problems.map((p) => p.path.length));
  const codeWidth = Math.max(...problems.map((p) => p.code.length));
  return problems.map((p) => `${p.severity}  ${p.path.padEnd(width)}  ${p.code.padEnd(codeWidth)}  ${p.message}\n`).join('');
}

function label(spec: CatalogSpec): string {
  return `catalog ${String(spec.id)} ${String(spec.version)}`;
}

function countOf(spec: CatalogSpec): string {
  const events = Object.values(spec.events ?? {});
  const fields = events.reduce((n, e) => n + Object.keys(e?.fields ?? {}).length, 0);
  return `${events.length} events, ${fields} fields`;
}

function write(text: string): void {
  process.stdout.write(text);
}
