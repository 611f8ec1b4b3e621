/** Sign-in (登录), sign-out, the signed-in operator, own password, and the second-approval settings. */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errorResponseSchema } from '../errors.js';
import type { RouteModule } from '../route-module.js';
import { clientOf } from './client-info.js';
import type { AuthConfig } from './config.js';
import { operatorOf } from './enforce.js';
import {
  changePasswordBody,
  loginBody,
  loginResponse,
  meSchema,
  secondApprovalChangeSchema,
  secondApprovalSettingsSchema,
} from './schemas.js';
import { type AuthenticatedOperator, type AuthService, actorOf } from './service.js';
import { SESSION_COOKIE } from './tokens.js';

function me(operator: AuthenticatedOperator) {
  return {
    id: operator.id,
    username: operator.username,
    displayName: operator.displayName,
    roles: [...operator.roles],
    permissions: [...operator.permissions],
    siteIds: [...(operator.sites.siteIds ?? [])],
    mustChangePassword: operator.mustChangePassword,
    sessionExpiresAt: operator.sessionExpiresAt,
  };
}

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

/** What the sign-in routes need of the composition root's context. */
interface AuthContext {
  readonly config: { readonly auth: AuthConfig };
  readonly services: { readonly auth: AuthService };
}

export const authModule: RouteModule<AuthContext> = {
  name: 'auth',
  prefix: '/api/v1/auth',
  routes: async (app, { config, services: { auth } }) => {
    const clearCookie = (reply: FastifyReply) =>
      reply.clearCookie(SESSION_COOKIE, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: config.auth.secureCookie,
      });

    app.post(
      '/login',
      {
        // The per-address limit (LOGIN_RATE_LIMIT_PER_MINUTE) is the service's: second approvals count toward it too.
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in / 登录',
          description:
            'Sets an HttpOnly SameSite=Strict session cookie and returns the same token for API clients. ' +
            'Wrong credentials, an unknown, inactive or locked account (after too many failures): the same ' +
            '401 INVALID_CREDENTIALS; more than LOGIN_RATE_LIMIT_PER_MINUTE attempts a minute from one address ' +
            '(sign-ins and failed second approvals together): 429 RATE_LIMITED. ' +
            'With `operator.mustChangePassword` the session reaches only GET /me, POST /password and POST /logout ' +
            'until the password is changed; every other route answers 403 PASSWORD_CHANGE_REQUIRED.',
          body: loginBody,
          response: { 200: loginResponse, ...errors, 429: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const { username, password } = request.body;
        const result = await auth.login(username, password, clientOf(request));
        reply.setCookie(SESSION_COOKIE, result.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: config.auth.secureCookie,
          maxAge: Math.floor(config.auth.sessionTtlMs / 1000),
        });
        return { token: result.token, expiresAt: result.expiresAt, operator: me(result.operator) };
      },
    );

    app.post(
      '/logout',
      {
        config: { access: 'authenticated', openDuringPasswordChange: true },
        schema: { tags: ['auth'], summary: 'Sign out / 退出登录', response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await auth.logout(operatorOf(request), clientOf(request));
        clearCookie(reply);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        config: { access: 'authenticated', openDuringPasswordChange: true },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in operator, roles and permissions / 当前操作员',
          response: { 200: meSchema, ...errors },
        },
      },
      async (request) => me(operatorOf(request)),
    );

    app.post(
      '/password',
      {
        config: { access: 'authenticated', openDuringPasswordChange: true },
        schema: {
          tags: ['auth'],
          summary: 'Change own password; other sessions end / 修改本人密码',
          description:
            'Also how an operator with `mustChangePassword` (an initial or reset password) replaces it: the new ' +
            'password must then differ from it, and the session reaches every route it may again.',
          body: changePasswordBody,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { currentPassword, newPassword } = request.body;
        await auth.changeOwnPassword(operatorOf(request), currentPassword, newPassword, clientOf(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/second-approval',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Amounts above which a second approver is needed / 双人复核金额',
          response: { 200: secondApprovalSettingsSchema, ...errors },
        },
      },
      async () => auth.secondApprovalSettings(),
    );

    app.put(
      '/second-approval',
      {
        config: { access: 'system.manage', allSites: true },
        schema: {
          tags: ['auth'],
          summary: 'Set the second-approval amounts / 设置双人复核金额',
          description:
            'Each setting given is changed and audited (`setting.update`); one left out keeps its value. ' +
            '`cashierDailyThresholdFen: null` turns the daily limit off.',
          body: secondApprovalChangeSchema,
          response: { 200: secondApprovalSettingsSchema, ...errors },
        },
      },
      async (request) =>
        auth.setSecondApprovalSettings(request.body, actorOf(operatorOf(request)), request.ip),
    );
  },
};
