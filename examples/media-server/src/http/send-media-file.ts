import { createReadStream } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LibraryItem } from '../library/create-library.js';
import { parseRange } from './parse-range.js';

/**
 * Streams a library file with HTTP range support (RFC 9110 §14): 200 with the whole file,
 * 206 with one slice and its `Content-Range`, or 416 with `Content-Range: bytes *\/size`.
 * `HEAD` gets the same headers and no body. An `If-Range` validator that no longer matches
 * (the file changed between two requests of a seek) downgrades the answer to the whole file.
 */
export function sendMediaFile(request: FastifyRequest, reply: FastifyReply, item: LibraryItem): FastifyReply {
  const size = item.sizeBytes;
  const etag = `"${size.toString(16)}-${Math.floor(item.mtimeMs).toString(16)}"`;
  const lastModified = new Date(item.mtimeMs).toUTCString();
  reply.header('accept-ranges', 'bytes').header('etag', etag).header('last-modified', lastModified).header('content-type', item.mimeType);
  const ifRange = request.headers['if-range'];
  const rangeHeader = ifRange === undefined || ifRange === etag || ifRange === lastModified ? request.headers.range : undefined;
  const decision = parseRange(rangeHeader, size);
  const isHead = request.method === 'HEAD';
  if (decision.kind === 'unsatisfiable') {
    return reply.code(416).header('content-range', `bytes */${size}`).header('content-type', 'application/json; charset=utf-8').send(isHead ? undefined : {
      error: { code: 'range_not_satisfiable', message: `the requested range is outside the file's ${size} bytes` },
    });
  }
  const { start, end } = decision.kind === 'range' ? decision.range : { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  reply.header('content-length', String(length));
  if (decision.kind === 'range') reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
  if (isHead || length === 0) return reply.send();
  return reply.send(createReadStream(item.path, { start, end }));
}
