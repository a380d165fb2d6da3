import { CatalogConfigError, loadCatalogModule, type CatalogSpec } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { readMediaCatalog, renderRiskTable, RiskInputError, runRiskAnalysis, toRiskReport } from '@candor/risk';
import { InvalidArgumentError, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Options of `candor risk`, as commander parses them. */
interface RiskCommandOptions {
  media: string[];
  catalog?: string;
  json?: boolean;
  seed: number;
  installs: number;
  k: number;
}

/**
 * Registers `candor risk`: measures what an adversary holding a whole media catalog and every
 * report learns from a telemetry catalog's playback reports, and what the released histograms lose.
 * @example candor risk --media fixtures/media-catalogs/music_freemusicc.csv --json
 */
export function registerRiskCommand(program: Command): void {
  program
    .command('risk')
    .description('Measure re-identification risk and statistical utility of a telemetry catalog on real media catalogs (see docs/privacy.md).')
    .requiredOption('--media <csv>', 'a media catalog CSV: movies (title,year,runtime_seconds[,genre]) or music (album_id,track_no,title,artist,duration_ms); repeat to attack several and mix them in the fleet', collect)
    .option('--catalog <module>', 'a module exporting the telemetry catalog to measure (default: the media-server catalog)')
    .option('--json', 'print one JSON object: { scenarios, utility }')
    .option('--seed <n>', 'seed of every random draw', integer(0), 1)
    .option('--installs <n>', 'installs in the simulated fleet', integer(1), 10_000)
    .option('--k <n>', "the collector's suppression threshold (distinct installs per released cell)", integer(1), 10)
    .action(async (options: RiskCommandOptions) => {
      try {
        const catalog: CatalogSpec = options.catalog === undefined ? mediaServerCatalog : await loadCatalogModule(modulePath(options.catalog));
        const media = [];
        for (const path of options.media) media.push(await readMediaCatalog(path));
        const analysis = runRiskAnalysis({ media, catalog, seed: options.seed, installs: options.installs, k: options.k });
        const text = options.json === true ? JSON.stringify(toRiskReport(analysis), null, 2) : renderRiskTable(analysis, { catalogId: catalog.id, catalogVersion: catalog.version, seed: options.seed, installs: options.installs, k: options.k });
        process.stdout.write(`${text}\n`);
      } catch (error) {
        if (!(error instanceof RiskInputError || error instanceof CatalogConfigError)) throw error;
        process.stderr.write(`candor risk: ${error.message} [${error.code}]\n`);
        process.exitCode = 1;
      }
    });
}

// A file that exists is meant as a path even without "./"; anything else is a package specifier.
function modulePath(specifier: string): string {
  return existsSync(specifier) ? resolve(specifier) : specifier;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function integer(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer of at least ${min}`);
    return n;
  };
}
