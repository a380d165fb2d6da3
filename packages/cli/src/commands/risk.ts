import type { Command } from 'commander';

/** Registers the `risk` command(s). */
export function registerRiskCommand(program: Command): void {
  void program;
}
