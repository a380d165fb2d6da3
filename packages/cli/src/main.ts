#!/usr/bin/env node
import { Command, type CommanderError } from 'commander';
import { registerCatalogCommands } from './commands/catalog.js';
import { registerCollectorCommands } from './commands/collector.js';
import { registerLoadCommand } from './commands/load.js';
import { registerRiskCommand } from './commands/risk.js';

/** Exit code of every command when the command line itself is wrong. */
export const USAGE_EXIT_CODE = 2;

// Commander's own errors about the command line; it exits with 1 for them, which would be
// indistinguishable from "the check failed" (lint problems, for example).
const USAGE_ERRORS = new Set([
  'commander.missingArgument',
  'commander.optionMissingArgument',
  'commander.missingMandatoryOptionValue',
  'commander.conflictingOption',
  'commander.unknownOption',
  'commander.excessArguments',
  'commander.unknownCommand',
  'commander.invalidArgument',
  'commander.help',
]);

/**
 * Builds the `candor` command line. Each command module registers itself; none holds business logic.
 * @example await createProgram().parseAsync(process.argv)
 */
export function createProgram(): Command {
  const program = new Command('candor')
    .description('Candor: privacy-first usage statistics for self-hosted media servers.')
    .showHelpAfterError()
    .version('0.1.0')
    .addHelpText('after', `\nEvery command exits with ${USAGE_EXIT_CODE} when its command line is wrong; \`candor <command> --help\` lists its other exit codes.`)
    // Set before the commands are registered, so that every subcommand inherits it.
    .exitOverride((error: CommanderError) => {
      if (error.exitCode !== 0 && USAGE_ERRORS.has(error.code)) process.exit(USAGE_EXIT_CODE);
    });
  registerCatalogCommands(program);
  registerCollectorCommands(program);
  registerLoadCommand(program);
  registerRiskCommand(program);
  return program;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await createProgram().parseAsync(process.argv);
}
