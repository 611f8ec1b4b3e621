import { spawn } from 'node:child_process';

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The first 2 KiB of stderr, for the fault message. */
  readonly stderr: string;
}

const STDERR_LIMIT = 2048;

/**
 * Runs a program with an argv array — no shell, so nothing in the arguments is ever interpreted — and resolves
 * when it exits. Rejects only when it cannot be started (ENOENT, EACCES) or is aborted; killed after timeoutMs.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      shell: false,
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk.slice(0, STDERR_LIMIT - stderr.length);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stderr: stderr.trim() }));
  });
}
