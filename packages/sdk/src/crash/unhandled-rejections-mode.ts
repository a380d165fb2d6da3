/** Node's `--unhandled-rejections` modes (https://nodejs.org/api/cli.html#--unhandled-rejectionsmode). */
export const UNHANDLED_REJECTIONS_MODES = ['throw', 'strict', 'warn', 'none', 'warn-with-error-code'] as const;

/** One of Node's unhandled-rejection modes. */
export type UnhandledRejectionsMode = (typeof UNHANDLED_REJECTIONS_MODES)[number];

const FLAG = /(?:^|\s)--unhandled-rejections[= ]([a-z-]+)/g;

function lastMode(text: string): UnhandledRejectionsMode | undefined {
  let mode: UnhandledRejectionsMode | undefined;
  for (const m of text.matchAll(FLAG)) {
    const value = m[1] as UnhandledRejectionsMode;
    if (UNHANDLED_REJECTIONS_MODES.includes(value)) mode = value;
  }
  return mode;
}

/**
 * The unhandled-rejection mode this process runs with: the last `--unhandled-rejections` on
 * the command line, else in `NODE_OPTIONS`, else Node's default since v15, `throw`.
 */
export function unhandledRejectionsMode(execArgv: readonly string[], nodeOptions: string | undefined): UnhandledRejectionsMode {
  return lastMode(execArgv.join(' ')) ?? lastMode(nodeOptions ?? '') ?? 'throw';
}
