import { describe, expect, it } from 'vitest';
import { CollectorConfigError } from '../../errors.js';
import { parseClickHouseUrls } from './parse-clickhouse-urls.js';

describe('parseClickHouseUrls', () => {
  it('takes one URL per shard, in order', () => {
    expect(parseClickHouseUrls('http://ch1:8123, https://ch2:8443/')).toEqual(['http://ch1:8123', 'https://ch2:8443']);
  });

  it('refuses missing, malformed, non-HTTP and repeated entries, naming the entry', () => {
    for (const [value, message] of [
      [undefined, /required/],
      ['', /required/],
      ['http://ch1:8123,', /entry 2 is not a URL/],
      ['ftp://ch1', /entry 1 must be an http/],
      ['http://ch1:8123,http://ch1:8123/', /twice/],
    ] as const) {
      expect(() => parseClickHouseUrls(value)).toThrow(CollectorConfigError);
      expect(() => parseClickHouseUrls(value)).toThrow(message);
    }
  });
});
