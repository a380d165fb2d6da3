// Faults at the file-system edge, injected for real where the machine allows it:
// - a data directory that runs out of space: a small tmpfs mounted in a private mount
//   namespace of the install host (as root, or as a user through a user namespace); failing
//   both, a per-file size limit (RLIMIT_FSIZE; Node ignores SIGXFSZ, so writes fail with EFBIG);
// - a store whose file system turns read-only (see readOnlyMethod).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const sh = (script, ...args) => ['sh', '-c', script, 'sh', ...args];

function works(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

/**
 * How this machine can run a process whose data directory is a small file system.
 * @param {string} probeDir an empty directory to try a mount on
 * @returns {{ method: 'tmpfs' | 'tmpfs-userns' | 'rlimit', describe: string, wrap: (mountDir: string, bytes: number) => (argv: string[]) => string[] }}
 */
export function diskFullMethod(probeDir) {
  mkdirSync(probeDir, { recursive: true });
  const mount = 'mount -t tmpfs -o size="$1" tmpfs "$2" && shift 2 && exec "$@"';
  if (works(['unshare', '-m', ...sh(mount, '64k', probeDir, 'true')])) {
    return { method: 'tmpfs', describe: 'a tmpfs mounted in a private mount namespace', wrap: (d, bytes) => (argv) => ['unshare', '-m', ...sh(mount, String(bytes), d, ...argv)] };
  }
  if (works(['unshare', '-r', '-m', ...sh(mount, '64k', probeDir, 'true')])) {
    return { method: 'tmpfs-userns', describe: 'a tmpfs mounted in a private user and mount namespace', wrap: (d, bytes) => (argv) => ['unshare', '-r', '-m', ...sh(mount, String(bytes), d, ...argv)] };
  }
  // POSIX sh counts ulimit -f in 512-byte blocks.
  return { method: 'rlimit', describe: 'a per-file size limit (RLIMIT_FSIZE; mounting is not permitted here)', wrap: (_d, bytes) => (argv) => sh('ulimit -f "$1" && shift && exec "$@"', String(Math.ceil(bytes / 512)), ...argv) };
}

/**
 * How this machine can turn a collector's store read-only. Best: the file system under a
 * running collector fails and the kernel remounts it read-only (a loop-mounted ext4 with
 * errors=remount-ro and its error trigger), which is what a failing disk does, open files and
 * all; the operator then repairs it (fsck) and restarts the collector. Otherwise the data
 * directory is read-only when the collector starts (a read-only bind mount in its own mount
 * namespace, or, for a non-root collector, file permissions) and becomes writable again
 * while it runs.
 * @param {string} work a directory for the file-system image and probes
 */
export function readOnlyMethod(work) {
  mkdirSync(work, { recursive: true });
  const image = join(work, 'store.ext4');
  const canLoop = process.getuid?.() === 0 && existsSync('/sys/fs/ext4') && works(['sh', '-c', 'command -v losetup && command -v mkfs.ext4 && command -v e2fsck']);
  if (canLoop) {
    const run = (cmd, args) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0 && !(cmd === 'e2fsck' && r.status !== null && r.status <= 2)) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
      return r;
    };
    // A fresh loop device for each mount: a file system that failed may live on lazily (other
    // mount namespaces on the machine hold copies of the mount), and a mount that reused its
    // device would reuse its failed superblock too.
    let device = null;
    const mount = (d) => {
      device = run('losetup', ['-f', '--show', image]).stdout.trim();
      run('mount', ['-o', 'errors=remount-ro', device, d]);
    };
    const detach = (d) => {
      spawnSync('umount', ['-l', d]);
      if (device) spawnSync('losetup', ['-d', device]);
      device = null;
    };
    return {
      method: 'ext4-error',
      describe: 'the ext4 file system under the running collector fails and the kernel remounts it read-only (loop device, errors=remount-ro, error triggered through /sys/fs/ext4); repaired with e2fsck and the collector restarted',
      prepare(d) {
        run('truncate', ['-s', '128M', image]);
        run('mkfs.ext4', ['-q', '-F', image]);
        mount(d);
      },
      trip() {
        writeFileSync(`/sys/fs/ext4/${basename(device)}/trigger_fs_error`, '1');
      },
      repair(d) {
        detach(d);
        run('e2fsck', ['-fy', image]);
        mount(d);
      },
      release(d) {
        detach(d);
      },
    };
  }
  const bind = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"';
  if (works(['unshare', '-m', ...sh(bind, work, 'true')]) && works(['nsenter', '--version'])) {
    return {
      method: 'bind-mount',
      describe: "the data directory bind-mounted read-only in the collector's private mount namespace when it starts, and remounted writable with nsenter while it runs",
      wrapReadOnly: (d) => (argv) => ['unshare', '-m', ...sh(bind, d, ...argv)],
      makeWritable(pid, d) {
        const r = spawnSync('nsenter', ['-t', String(pid), '-m', 'mount', '-o', 'remount,bind,rw', d], { encoding: 'utf8', timeout: 10_000 });
        if (r.status !== 0) throw new Error(`nsenter mount failed: ${r.stderr}`);
      },
    };
  }
  return {
    method: 'permissions',
    describe: 'write permission removed from the data directory and its files before the collector starts, and given back while it runs',
    beforeStart: (d) => spawnSync('chmod', ['-R', 'a-w', d]),
    makeWritable: (_pid, d) => spawnSync('chmod', ['-R', 'u+w', d]),
  };
}

/** A fresh probe directory under `base`. */
export function probeDir(base, name) {
  const d = join(base, name);
  mkdirSync(d, { recursive: true });
  return d;
}
