/**
 * A small JSON client over node:http with a keep-alive agent of its own (less client CPU per request than fetch, so
 * on a small machine the figures describe the server rather than the load generator): one per partner, so each
 * partner has its own connections, as separate companies would.
 */
import { Agent, request as httpRequest } from 'node:http';

export interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads a few fields of the API's JSON answers.
  readonly body: any;
  /** The error code of a refusal. */
  readonly code: string | undefined;
}

export interface Client {
  call(method: string, path: string, body?: unknown): Promise<Answer>;
  /** `call` that throws unless the answer is 2xx; the answer's body. */
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  ok(method: string, path: string, body?: unknown): Promise<any>;
  close(): void;
}

export function createClient(url: string, headers: Record<string, string>, sockets: number): Client {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const target = new URL(url);
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<Answer>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path,
          method,
          headers: {
            ...headers,
            ...(payload !== undefined && {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            }),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => {
            let json: { error?: { code?: string } } | undefined;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: response.statusCode ?? 0, body: json, code: json?.error?.code });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  return {
    call,
    ok: async (method, path, body) => {
      const answer = await call(method, path, body);
      if (answer.status >= 300)
        throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    close: () => agent.destroy(),
  };
}
