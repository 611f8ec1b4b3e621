/**
 * Registers a fleet with the cloud over its HTTP API, as an administrator would: the site and zone if missing, the
 * gates, and one MQTT login per gate (issued, or rotated when the gate already has one — the password is only ever
 * shown in that response). Requests run a few at a time so a large fleet is registered quickly without flooding
 * the cloud.
 */
/** One gate's MQTT login, as the cloud issued it. */
export interface GateLogin {
  readonly siteId: string;
  readonly gateId: string;
  readonly username: string;
  readonly password: string;
}

export class CloudApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class CloudApi {
  private constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  static async login(url: string, username: string, password: string): Promise<CloudApi> {
    const base = url.replace(/\/+$/, '');
    const body = await send(base, 'POST', '/api/v1/auth/login', null, { username, password });
    return new CloudApi(base, (body as { token: string }).token);
  }

  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return send(this.url, method, path, this.token, body, headers) as Promise<T>;
  }
}

async function send(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // a non-JSON error page: reported below with its status
  }
  if (!response.ok) {
    const code = (json as { error?: { code?: string } } | null)?.error?.code;
    throw new CloudApiError(
      response.status,
      code,
      `${method} ${path} → ${response.status} ${text.slice(0, 300)}`,
    );
  }
  return json;
}

export interface ProvisionOptions {
  readonly siteId: string;
  readonly zoneId: string;
  readonly gates: number;
  /** Gate ids are `{prefix}{n}` with n zero-padded to four digits (F0001 …). */
  readonly gatePrefix: string;
  /** Requests in flight at once. */
  readonly concurrency?: number;
}

export function fleetGateIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);
}

/** Creates what is missing and returns a login for every gate. */
export async function provisionFleet(api: CloudApi, options: ProvisionOptions): Promise<GateLogin[]> {
  const { siteId, zoneId } = options;
  await createUnlessExists(() =>
    api.call('POST', '/api/v1/sites', {
      id: siteId,
      name: { zh: `压测景区 ${siteId}`, en: `Fleet ${siteId}` },
    }),
  );
  await createUnlessExists(() =>
    api.call('POST', `/api/v1/sites/${siteId}/zones`, {
      id: zoneId,
      name: { zh: `区域 ${zoneId}`, en: `Zone ${zoneId}` },
    }),
  );
  const ids = fleetGateIds(options.gatePrefix, options.gates);
  return mapLimited(ids, options.concurrency ?? 8, async (gateId) => {
    await createUnlessExists(() =>
      api.call('POST', `/api/v1/sites/${siteId}/gates`, {
        id: gateId,
        zoneId,
        direction: 'both',
        kind: 'flap',
        name: { zh: `闸机 ${gateId}`, en: `Gate ${gateId}` },
      }),
    );
    let issued: { username: string; password: string };
    try {
      issued = await api.call('POST', `/api/v1/gates/${gateId}/credentials`);
    } catch (error) {
      if (!(error instanceof CloudApiError) || error.status !== 409) throw error;
      issued = await api.call('POST', `/api/v1/gates/${gateId}/credentials/rotate`);
    }
    return { siteId, gateId, username: issued.username, password: issued.password };
  });
}

async function createUnlessExists(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (error instanceof CloudApiError && error.status === 409) return;
    throw error;
  }
}

/** Runs `fn` over `items` with at most `limit` at once; results keep the input order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
