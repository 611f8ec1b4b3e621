/**
 * The console's push streams (Server-Sent Events): one `snapshot` event with the current state, then one event per
 * change, plus a comment every 15 s so proxies keep the connection open.
 *
 * Order: listen for changes first, then read the snapshot, send it, send the changes that arrived while it was read,
 * then each change as it comes. Reading first and listening after loses any change that lands in between, and the
 * console would show the stale value until that item changes again. Changes that arrive during the read are held
 * back until the snapshot is out, so the console never receives a change before the state it applies to.
 *
 * A change held back may already be in the snapshot, and with state read from the database a change committed
 * before the read can even be announced after it. Sending it anyway is safe but steps the console back to an older
 * value for a moment; a source that can tell (a version per item) passes `covered`, and such changes are dropped.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One change as pushed to the stream: the SSE event name and its data. */
export type StreamChange<Events> = {
  [Name in keyof Events & string]: { readonly event: Name; readonly data: Events[Name] };
}[keyof Events & string];

export interface EventStreamSource<Snapshot, Events> {
  /** Starts listening, handing every change to `push`; returns what stops listening. */
  subscribe(push: (change: StreamChange<Events>) => void): () => void;
  /** The current state, sent as the `snapshot` event; read only once the stream listens. */
  snapshot(): Snapshot | Promise<Snapshot>;
  /**
   * Given the snapshot just read, tells whether a change is already covered by it (the snapshot holds that state of
   * the item or a newer one). Covered changes are not sent. Without it every change is sent.
   */
  covered?(snapshot: Snapshot): (change: StreamChange<Events>) => boolean;
}

export const KEEPALIVE_MS = 15_000;

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // nginx buffers responses by default, which would hold events back until its buffer fills.
  'x-accel-buffering': 'no',
} as const;

/** Takes over the reply and streams `source` to the client until it disconnects. */
export async function sendEventStream<Snapshot, Events>(
  request: FastifyRequest,
  reply: FastifyReply,
  source: EventStreamSource<Snapshot, Events>,
  options: { keepaliveMs?: number } = {},
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, HEADERS);
  // The client sees the stream open at once, not only when the snapshot has been read.
  raw.flushHeaders();
  const write = (event: string, data: unknown) =>
    raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  let held: StreamChange<Events>[] | undefined = [];
  let covered: ((change: StreamChange<Events>) => boolean) | undefined;
  const forward = (change: StreamChange<Events>) => {
    if (!covered?.(change)) write(change.event, change.data);
  };
  const unsubscribe = source.subscribe((change) => {
    if (held) held.push(change);
    else forward(change);
  });
  const keepalive = setInterval(() => raw.write(': keepalive\n\n'), options.keepaliveMs ?? KEEPALIVE_MS);
  let open = true;
  const stop = () => {
    if (!open) return;
    open = false;
    clearInterval(keepalive);
    unsubscribe();
  };
  // The response's close: the client went away, or the stream was ended here.
  raw.on('close', stop);

  let snapshot: Snapshot;
  try {
    snapshot = await source.snapshot();
  } catch (error) {
    // The reply is hijacked, so Fastify's error handler cannot answer: end the stream; the client reconnects.
    request.log.error({ err: error }, 'event stream snapshot failed');
    stop();
    raw.end();
    return;
  }
  if (!open) return;
  covered = source.covered?.(snapshot);
  write('snapshot', snapshot);
  const arrived = held;
  held = undefined;
  for (const change of arrived) forward(change);
}
