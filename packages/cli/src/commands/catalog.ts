import type { Command } from 'commander';

/** Registers the `catalog` command(s). */
export function registerCatalogCommands(program: Command): void {
  void program;
}
