import { describe, expect, it } from 'vitest';
import { MediaServerError } from '../media-server-error.js';
import { resolveStartOptions } from './resolve-start-options.js';

describe('resolveStartOptions', () => {
  it('defaults to ./.candor, generated samples, free ports and a fleet of 300 installs over 30 days', () => {
    expect(resolveStartOptions([], {}, '/srv/candor')).toEqual({ home: '/srv/candor/.candor', mediaFolders: [], host: '127.0.0.1', port: 0, collectorPort: 0, installs: 300, fleetDays: 30, demo: true });
  });

  it('takes media folders, a home from CANDOR_HOME or --home, ports and the fleet size', () => {
    const o = resolveStartOptions(['--media', 'films', '--media', '/music', '--port', '8096', '--installs', '0', '--no-demo'], { CANDOR_HOME: '/var/lib/candor' }, '/srv');
    expect(o).toMatchObject({ home: '/var/lib/candor', mediaFolders: ['/srv/films', '/music'], port: 8096, installs: 0, demo: false });
    expect(resolveStartOptions(['--home', 'h'], { CANDOR_HOME: '/x' }, '/srv').home).toBe('/srv/h');
  });

  it.each([
    [['--port', '70000'], '--port must be a whole number from 0 to 65535'],
    [['--installs', 'many'], '--installs must be a whole number'],
    [['--colour'], "Unknown option '--colour'"],
    [['stray'], 'Unexpected argument'],
  ])('refuses %j with a usage error naming the problem', (argv, message) => {
    expect(() => resolveStartOptions(argv, {}, '/srv')).toThrow(MediaServerError);
    expect(() => resolveStartOptions(argv, {}, '/srv')).toThrow(message);
  });
});
