import { describe, expect, it } from 'vitest';
import { classifyResponse } from './classify-response.js';

describe('classifyResponse', () => {
  it('is ok on 2xx, with the parsed answer', () => {
    expect(classifyResponse(202, undefined, '{"batchKey":"k","accepted":3,"bounded":0,"duplicate":false}', 0)).toEqual({ status: 'ok', httpStatus: 202, body: { batchKey: 'k', accepted: 3, bounded: 0, duplicate: false } });
    expect(classifyResponse(204, undefined, '', 0)).toEqual({ status: 'ok', httpStatus: 204, body: null });
  });
  it('retries 503 after its Retry-After, with the collector’s code', () => {
    expect(classifyResponse(503, '5', '{"error":{"code":"STORE_UNAVAILABLE","message":"locked"}}', 0)).toEqual({ status: 'retry', afterMs: 5000, error: { code: 'STORE_UNAVAILABLE', message: 'locked', httpStatus: 503 } });
    expect(classifyResponse(502, undefined, '<html>bad gateway</html>', 0)).toEqual({ status: 'retry', error: { code: 'HTTP_502', message: 'the collector answered HTTP 502', httpStatus: 502 } });
  });
  it('fails for good on other 4xx, naming the code', () => {
    expect(classifyResponse(422, undefined, '{"error":{"code":"INVALID_EVENTS","message":"bad field"}}', 0)).toEqual({ status: 'fail', error: { code: 'INVALID_EVENTS', message: 'bad field', httpStatus: 422 } });
  });
  it('does not take a malformed code from a hostile answer', () => {
    const r = classifyResponse(400, undefined, '{"error":{"code":"<script>","message":"x"}}', 0);
    expect(r).toMatchObject({ status: 'fail', error: { code: 'HTTP_400' } });
  });
});
