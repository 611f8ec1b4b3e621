/**
 * A Server-Sent Events client for tests of the console's push streams (see event-stream.ts): it records what the
 * server sends, in order, so a test can compare the whole stream with what the console should have received.
 */
import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';

export interface EventStreamClient {
  /** Each event as [name, parsed data], and each comment (the keepalive) as ['#', text], in arrival order. */
  readonly events: [string, unknown][];
  /** The response headers; rejects when the request fails before an answer came. */
  readonly headers: Promise<IncomingHttpHeaders>;
  /** Resolves on the first `snapshot` event; rejects when the request fails or the stream ends before one. */
  readonly snapshot: Promise<void>;
  /** Resolves when the server ends the stream (not when the client closes it). */
  readonly ended: Promise<void>;
  close(): void;
}

export function openEventStream(options: {
  port: number;
  path: string;
  headers?: OutgoingHttpHeaders;
}): EventStreamClient {
  const events: [string, unknown][] = [];
  const headers = deferred<IncomingHttpHeaders>();
  const snapshot = deferred<void>();
  const ended = deferred<void>();
  // Closing the stream, or leaving a promise unawaited, is part of many tests, not a failure; a test that awaits
  // one of these still sees its rejection.
  for (const promise of [headers.promise, snapshot.promise, ended.promise]) promise.catch(() => {});

  let buffer = '';
  const req = request({
    host: '127.0.0.1',
    port: options.port,
    path: options.path,
    headers: options.headers,
  });
  req.on('response', (res) => {
    headers.resolve(res.headers);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      // A message ends at a blank line; a chunk may hold several messages or only part of one.
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) events.push(['#', block.slice(1).trim()]);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name && data) {
          events.push([name, JSON.parse(data)]);
          if (name === 'snapshot') snapshot.resolve();
        }
        end = buffer.indexOf('\n\n');
      }
    });
    res.on('end', () => {
      snapshot.reject(new Error(`${options.path} ended before its snapshot`));
      ended.resolve();
    });
  });
  req.on('error', (error) => {
    headers.reject(error);
    snapshot.reject(error);
    ended.reject(error);
  });
  req.end();
  return {
    events,
    headers: headers.promise,
    snapshot: snapshot.promise,
    ended: ended.promise,
    close: () => req.destroy(),
  };
}

/** Promise.withResolvers, which Node 20 lacks. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
