/** Sign-in settings, read from the environment by config.ts (variables documented in README.md). */
export interface AuthConfig {
  /** First administrator, created at start-up when no operator exists yet (ADMIN_USERNAME / ADMIN_PASSWORD). */
  readonly initialAdmin?: { readonly username: string; readonly password: string };
  /** Wrong passwords in a row before the account locks (LOGIN_MAX_FAILURES). */
  readonly maxFailedLogins: number;
  /** How long a lock lasts (LOGIN_LOCKOUT_MINUTES). */
  readonly lockoutMs: number;
  /** Sign-in attempts per client IP per minute, whatever the username (LOGIN_RATE_LIMIT_PER_MINUTE). */
  readonly loginRateLimitPerMinute: number;
  /** A session's lifetime from sign-in (SESSION_TTL_HOURS). */
  readonly sessionTtlMs: number;
  /** Send the session cookie only over HTTPS (SESSION_COOKIE_SECURE); off by default for venue LANs on plain HTTP. */
  readonly secureCookie: boolean;
}
