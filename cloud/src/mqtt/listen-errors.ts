/**
 * A listener that cannot start is something a person fixes (another broker holds 1883, a port below 1024), so it
 * ends start-up with one line in Chinese and English instead of a stack trace.
 */
import type { Localized } from '../platform/language.js';

export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly line: string,
    options: { cause: unknown },
  ) {
    super(line, options);
  }
}

export interface Listener {
  /** What listens, e.g. { 'zh-CN': 'MQTT ', en: 'MQTT' }. */
  readonly name: Localized;
  /** The variable that sets the port. */
  readonly variable: string;
  readonly host: string;
  readonly port: number;
}

/** A ListenError for the causes a person can fix; any other error is returned unchanged. */
export function listenError(error: unknown, { name, variable, host, port }: Listener): Error {
  const zh = name['zh-CN'];
  const en = name.en;
  switch ((error as { code?: unknown }).code) {
    case 'EADDRINUSE':
      return new ListenError(
        `${zh}端口 ${port} 已被占用（${host}），请关闭占用它的程序或设置 ${variable} 换一个端口 / ${en} port ${port} on ${host} is already in use: stop the program holding it or set ${variable} to another port`,
        { cause: error },
      );
    case 'EACCES':
      return new ListenError(
        `没有权限监听${zh}端口 ${port}（${host}），请换用 1024 以上的端口 / No permission to listen on ${en} port ${port} on ${host}: use a port above 1024`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
      return new ListenError(
        `本机没有地址 ${host}，请检查 MQTT_HOST / Address ${host} is not available on this machine: check MQTT_HOST`,
        { cause: error },
      );
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
