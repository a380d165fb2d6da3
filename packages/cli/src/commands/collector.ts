import type { Command } from 'commander';

/** Registers the `collector` command(s). */
export function registerCollectorCommands(program: Command): void {
  void program;
}
