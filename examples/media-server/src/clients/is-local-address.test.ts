import { describe, expect, it } from 'vitest';
import { isLocalAddress } from './is-local-address.js';

describe('isLocalAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:192.168.1.20', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['169.254.10.10', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['203.0.113.9', false],
    ['2001:db8::1', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (address, local) => {
    expect(isLocalAddress(address)).toBe(local);
  });
});
