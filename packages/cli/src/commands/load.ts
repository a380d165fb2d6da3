import type { Command } from 'commander';
import { formatLoadReport, runLoad } from '@candor/collector';

interface LoadFlags {
  target: string;
  installs: string;
  duration: string;
  concurrency: string;
  days: string;
  seed?: string;
  json?: boolean;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  return n;
}

/** Registers `candor load`: a simulated fleet sending realistic batches to a collector. */
export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description('Send realistic generalized batches from a simulated fleet and print accepted events per second and latency percentiles.')
    .requiredOption('--target <url>', 'base URL of the collector')
    .option('--installs <n>', 'fleet size', '1000')
    .option('--duration <seconds>', 'longest run', '10')
    .option('--concurrency <n>', 'requests in flight', '32')
    .option('--days <n>', 'days of reports per install (today and earlier)', '30')
    .option('--seed <n>', 'seed of the fleet (random when omitted)')
    .option('--json', 'print the report as JSON')
    .action(async (flags: LoadFlags) => {
      let installs: number;
      let durationSeconds: number;
      let concurrency: number;
      let days: number;
      let seed: number | undefined;
      try {
        installs = positiveInt('installs', flags.installs);
        durationSeconds = positiveInt('duration', flags.duration);
        concurrency = positiveInt('concurrency', flags.concurrency);
        days = positiveInt('days', flags.days);
        seed = flags.seed === undefined ? undefined : positiveInt('seed', flags.seed);
      } catch (error) {
        process.stderr.write(`candor load: ${(error as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const report = await runLoad({
        target: flags.target,
        installs,
        durationSeconds,
        concurrency,
        fleet: { days, ...(seed === undefined ? {} : { seed }) },
      });
      process.stdout.write(flags.json === true ? `${JSON.stringify(report)}\n` : `${formatLoadReport(report)}\n`);
    });
}
