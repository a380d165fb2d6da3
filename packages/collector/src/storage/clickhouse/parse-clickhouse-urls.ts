import { CollectorConfigError } from '../../errors.js';

/**
 * Parses `--clickhouse-url` (one URL per shard, comma-separated, in the order of the cluster's
 * `<remote_servers>`): each must be an http(s) URL with a host; duplicates are refused since
 * two entries for one server would route half of its pseudonyms to the wrong shard.
 * @example parseClickHouseUrls('http://ch1:8123,http://ch2:8123') // ['http://ch1:8123', 'http://ch2:8123']
 */
export function parseClickHouseUrls(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') {
    throw new CollectorConfigError('CONFIG_INVALID_VALUE', 'clickhouseUrl is required with store "clickhouse" (one URL per shard, comma-separated)');
  }
  const urls = value.split(',').map((s) => s.trim());
  const seen = new Set<string>();
  return urls.map((raw, i) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new CollectorConfigError('CONFIG_INVALID_VALUE', `clickhouseUrl entry ${i + 1} is not a URL`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
      throw new CollectorConfigError('CONFIG_INVALID_VALUE', `clickhouseUrl entry ${i + 1} must be an http:// or https:// URL with a host`);
    }
    const normalized = url.toString().replace(/\/+$/, '');
    if (seen.has(normalized)) throw new CollectorConfigError('CONFIG_INVALID_VALUE', `clickhouseUrl lists ${url.host} twice; give each shard once`);
    seen.add(normalized);
    return normalized;
  });
}
