/**
 * The aws-chunked content encoding S3 accepts for streamed uploads: `HEX-SIZE\r\nDATA\r\n`
 * chunks, a zero-size chunk, then trailing headers (the checksum) and a blank line. Only the
 * unsigned form (STREAMING-UNSIGNED-PAYLOAD-TRAILER, which the SDK sends) is decoded.
 */
export interface Decoded {
  body: Buffer;
  trailers: Record<string, string>;
}

export function decodeAwsChunked(raw: Buffer): Decoded | string {
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = raw.indexOf('\r\n', at);
    if (end < 0) return 'chunk header without CRLF';
    const header = raw.subarray(at, end).toString('latin1');
    if (header.includes(';')) return 'signed chunks (chunk-signature) are not supported by the fake';
    const size = parseInt(header, 16);
    if (!/^[0-9a-f]+$/i.test(header) || Number.isNaN(size)) return `bad chunk size "${header}"`;
    at = end + 2;
    if (size === 0) break;
    chunks.push(raw.subarray(at, at + size));
    at += size;
    if (raw.subarray(at, at + 2).toString('latin1') !== '\r\n') return 'chunk data not followed by CRLF';
    at += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of raw.subarray(at).toString('latin1').split('\r\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon < 0) return `bad trailer "${line}"`;
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(chunks), trailers };
}
