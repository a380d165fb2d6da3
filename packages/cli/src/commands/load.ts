import type { Command } from 'commander';

/** Registers the `load` command(s). */
export function registerLoadCommand(program: Command): void {
  void program;
}
