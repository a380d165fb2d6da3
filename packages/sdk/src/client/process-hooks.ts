// One `exit` listener and one `SIGTERM` listener for every client in the process, whatever their
// number: a host that runs many clients (a test suite, a multi-tenant server) would otherwise
// pass Node's limit of ten listeners and see MaxListenersExceededWarning.

type Hook = () => void;

interface SharedHook {
  readonly hooks: Set<Hook>;
  listener: (() => void) | null;
}

const exitHooks: SharedHook = { hooks: new Set(), listener: null };
const sigtermHooks: SharedHook = { hooks: new Set(), listener: null };

function runAll(hooks: Iterable<Hook>): void {
  for (const hook of [...hooks]) {
    try {
      hook();
    } catch {
      // A client's last commit must not keep the others from theirs.
    }
  }
}

function add(shared: SharedHook, event: 'exit' | 'SIGTERM', hook: Hook, listener: () => void): () => void {
  shared.hooks.add(hook);
  if (shared.listener === null) {
    shared.listener = listener;
    process.on(event, listener);
  }
  return () => {
    shared.hooks.delete(hook);
    if (shared.hooks.size === 0 && shared.listener !== null) {
      process.removeListener(event, shared.listener);
      shared.listener = null;
    }
  };
}

/** Runs `hook` when the process exits; returns the function that removes it. */
export function onProcessExit(hook: Hook): () => void {
  return add(exitHooks, 'exit', hook, () => runAll(exitHooks.hooks));
}

/**
 * Runs `hook` once on SIGTERM; returns the function that removes it. After the hooks ran, the
 * shared listener goes and, when nobody else listens, SIGTERM is raised again so that its
 * default action (exit) happens as it would have without the SDK.
 */
export function onSigterm(hook: Hook): () => void {
  const listener = (): void => {
    const hooks = [...sigtermHooks.hooks];
    sigtermHooks.hooks.clear();
    process.removeListener('SIGTERM', listener);
    sigtermHooks.listener = null;
    runAll(hooks);
    if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
  };
  return add(sigtermHooks, 'SIGTERM', hook, listener);
}
