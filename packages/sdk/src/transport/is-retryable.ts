/** The part of an HTTP answer that decides whether to retry. */
export interface ResponseLike {
  readonly status: number;
}

/**
 * Whether a failed request is worth retrying: 408 (the request was too slow to arrive),
 * 429 (rate limited) and 5xx, except 501 and 505, which will answer the same next time.
 * Every other 4xx is permanent: the batch itself is wrong, and resending it would only
 * repeat the refusal.
 */
export function isRetryable(response: ResponseLike): boolean {
  const s = response.status;
  if (s === 408 || s === 429) return true;
  return s >= 500 && s <= 599 && s !== 501 && s !== 505;
}
