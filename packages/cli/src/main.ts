#!/usr/bin/env node
import { Command } from 'commander';
import { registerCatalogCommands } from './commands/catalog.js';
import { registerCollectorCommands } from './commands/collector.js';
import { registerLoadCommand } from './commands/load.js';
import { registerRiskCommand } from './commands/risk.js';

/** Builds the `candor` command line. Each command module registers itself; none holds business logic. */
export function createProgram(): Command {
  const program = new Command('candor').description('Candor: privacy-first usage statistics for self-hosted media servers.').showHelpAfterError().version('0.1.0');
  registerCatalogCommands(program);
  registerCollectorCommands(program);
  registerLoadCommand(program);
  registerRiskCommand(program);
  return program;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await createProgram().parseAsync(process.argv);
}
