/** The device types of the catalog's `deviceType` field. */
export type DeviceType = 'tv' | 'mobile' | 'tablet' | 'desktop' | 'console' | 'other';

/** What the server infers about a browser client from its User-Agent. */
export interface ClientDescription {
  /** The kind of device. */
  readonly deviceType: DeviceType;
  /** The client app platform: always `web`, since this server's only client is its web UI. */
  readonly clientPlatform: 'web';
  /** Whether it connected from this machine or a private network (for the owner's webhook; never reported to Candor). */
  readonly local?: boolean;
}

// Order matters: TV and console browsers also claim Android or Linux, tablets claim "Mobile" less often than phones.
const RULES: readonly [RegExp, DeviceType][] = [
  [/\b(Xbox|PlayStation|Nintendo)\b/i, 'console'],
  [/\b(SMART-TV|SmartTV|Web0S|webOS|NetCast|Tizen.*TV|Roku|AppleTV|tvOS|CrKey|BRAVIA|GoogleTV|Android TV|AFT[A-Z]+|HbbTV)\b/i, 'tv'],
  [/\biPad\b|\bTablet\b/i, 'tablet'],
  [/\b(iPhone|iPod|Windows Phone)\b|\bAndroid\b.*\bMobile\b|\bMobile\b/i, 'mobile'],
  [/\bAndroid\b/i, 'tablet'],
  [/\b(Windows NT|Macintosh|X11|Linux x86_64|CrOS)\b/i, 'desktop'],
];

/**
 * Infers the device type from a User-Agent header. The header itself is never stored or sent:
 * only this coarse class reaches Candor, which generalizes it once more through the catalog.
 * @example describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) …') // { deviceType: 'mobile', clientPlatform: 'web' }
 */
export function describeUserAgent(userAgent: string | undefined): ClientDescription {
  const ua = (userAgent ?? '').slice(0, 512);
  const hit = RULES.find(([pattern]) => pattern.test(ua));
  return { deviceType: hit?.[1] ?? 'other', clientPlatform: 'web' };
}
