import type { Command } from 'commander';
import { resolveCollectorOptions, startCollector, type CollectorOptions } from '@candor/collector';

interface StartFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  catalog?: string;
  k?: string;
  adminToken?: string;
  config?: string;
  trustProxy?: boolean;
  logLevel?: CollectorOptions['logLevel'];
  ingestPerMinute?: string;
  store?: string;
  clickhouseUrl?: string;
}

/** Registers `candor collector start`. */
export function registerCollectorCommands(program: Command): void {
  const collector = program.command('collector').description('Run the Candor collector (ingest, store, release statistics).');
  collector
    .command('start')
    .description('Serve the collector with its embedded DuckDB store. Options also come from CANDOR_* variables and a JSON config file.')
    .option('--port <port>', 'TCP port (0 picks a free one)')
    .option('--host <host>', 'interface to listen on')
    .option('--data-dir <dir>', 'directory of the store and the generated admin token')
    .option('--catalog <module>', 'module exporting the catalog (path or package)')
    .option('--k <k>', 'smallest number of distinct installs behind a released cell')
    .option('--admin-token <token>', 'bearer token of the statistics API (generated into <data-dir>/admin-token when absent)')
    .option('--config <file>', 'JSON file with collector options')
    .option('--trust-proxy', 'take the client address from X-Forwarded-For (behind your own proxy)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .option('--ingest-per-minute <n>', 'batches per minute per client address (0 disables the limit)')
    .option('--store <engine>', 'duckdb (embedded, default) or clickhouse (shards for a large fleet, docs/scale.md)')
    .option('--clickhouse-url <urls>', 'with --store clickhouse: one HTTP URL per shard, comma-separated, in cluster order')
    .action(async (flags: StartFlags) => {
      const user: Record<string, unknown> = {
        port: flags.port,
        host: flags.host,
        dataDir: flags.dataDir,
        catalog: flags.catalog,
        k: flags.k,
        adminToken: flags.adminToken,
        configFile: flags.config,
        trustProxy: flags.trustProxy,
        logLevel: flags.logLevel,
        ingestPerMinute: flags.ingestPerMinute,
        store: flags.store,
        clickhouseUrl: flags.clickhouseUrl,
      };
      for (const key of Object.keys(user)) if (user[key] === undefined) delete user[key];
      const options = resolveCollectorOptions(user, process.env);
      const running = await startCollector(options);
      const stop = (): void => {
        void running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
