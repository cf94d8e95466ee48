import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** What Node's HTTP parser reports before a request reaches Hono. */
type ClientError = Error & { code?: string };

/**
 * The server's 'clientError' listener: requests Node refuses before Hono sees them (headers over
 * `maxHeaderSize`, malformed HTTP, timeouts) get the JSON error body every other error has,
 * instead of Node's bare status line.
 */
export function answerClientErrors(maxHeaderBytes: number) {
  return (error: ClientError, socket: Duplex): void => {
    // Node's own rule: nothing can be written once the socket is gone or a response has started.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, code, message] = describe(error, maxHeaderBytes);
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  };
}

function describe(error: ClientError, maxHeaderBytes: number): [number, string, string] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [
        431,
        'headers_too_large',
        `the request line and headers are larger than ${maxHeaderBytes} bytes (TEND_MAX_HEADER_BYTES); send fewer or shorter headers (cookies count)`,
      ];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return [408, 'request_timeout', 'the request did not arrive in time'];
    default:
      return [400, 'bad_request', `the request is not valid HTTP/1.1 (${error.code ?? error.message})`];
  }
}
