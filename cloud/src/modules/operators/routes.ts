/** Operators and roles management (权限管理): thin routes over OperatorsService. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { operatorOf } from '../../platform/auth/enforce.js';
import { actorOf } from '../../platform/auth/service.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { PERMISSION_NAMES, PERMISSIONS } from '../../platform/permissions.js';
import type { AppModule } from '../module.js';
import {
  codeParams,
  createBody,
  createRoleBody,
  idParams,
  listQuery,
  operatorSchema,
  passwordBody,
  permissionListSchema,
  roleSchema,
  updateBody,
  updateRoleBody,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};

const actor = (request: FastifyRequest) => actorOf(operatorOf(request));
/** A password set through the API was chosen by an administrator: its owner must change it. */
const ADMINISTRATOR_CHOSE = { mustChangePassword: true } as const;

export const operatorsModule: AppModule = {
  name: 'operators',
  prefix: '/api/v1',
  routes: async (app, { services: { operators: service } }) => {
    const tags = ['operators'];

    app.get(
      '/operators',
      {
        config: { access: 'operators.read', allSites: true },
        schema: {
          tags,
          summary: 'List operators / 操作员列表',
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(operatorSchema), total: z.number().int() }), ...errors },
        },
      },
      async (request) => service.list(request.query),
    );

    app.get(
      '/operators/:id',
      {
        config: { access: 'operators.read', allSites: true },
        schema: {
          tags,
          summary: 'One operator / 操作员详情',
          params: idParams,
          response: { 200: operatorSchema, ...errors },
        },
      },
      async (request) => service.get(request.params.id),
    );

    app.post(
      '/operators',
      {
        config: { access: 'operators.manage', allSites: true },
        schema: {
          tags,
          summary: 'Create an operator / 新建操作员',
          description:
            'The new operator must change this password at their first sign-in (`mustChangePassword`).',
          body: createBody,
          response: { 201: operatorSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await service.create(actor(request), request.body, ADMINISTRATOR_CHOSE, request.ip)),
    );

    app.patch(
      '/operators/:id',
      {
        config: { access: 'operators.manage', allSites: true },
        schema: {
          tags,
          summary: 'Rename, activate / deactivate, set roles or sites / 修改操作员',
          params: idParams,
          body: updateBody,
          response: { 200: operatorSchema, ...errors },
        },
      },
      async (request) => service.update(actor(request), request.params.id, request.body, request.ip),
    );

    app.post(
      '/operators/:id/password',
      {
        config: { access: 'operators.manage', allSites: true },
        schema: {
          tags,
          summary: 'Reset the password; their sessions end / 重置密码',
          description: 'The operator must change this password at their next sign-in (`mustChangePassword`).',
          params: idParams,
          body: passwordBody,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        await service.resetPassword(
          actor(request),
          id,
          request.body.password,
          ADMINISTRATOR_CHOSE,
          request.ip,
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/operators/:id/unlock',
      {
        config: { access: 'operators.manage', allSites: true },
        schema: {
          tags,
          summary: 'Lift a sign-in lock / 解除锁定',
          params: idParams,
          response: { 200: operatorSchema, ...errors },
        },
      },
      async (request) => service.unlock(actor(request), request.params.id, request.ip),
    );

    app.get(
      '/roles',
      {
        config: { access: 'operators.read', allSites: true },
        schema: {
          tags,
          summary: 'Roles and their permissions / 角色列表',
          response: { 200: z.array(roleSchema), ...errors },
        },
      },
      async () => service.listRoles(),
    );

    app.post(
      '/roles',
      {
        config: { access: 'operators.manage', allSites: true },
        schema: {
          tags,
          summary: 'Create a role / 新建角色',
          body: createRoleBody,
          response: { 201: roleSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.createRole(actor(request), request.body, request.ip)),
    );

    app.patch(
      '/roles/:code',
      {
        config: { access: 'operators.manage', allSites: true },
        schema: {
          tags,
          summary: 'Rename a role or set its permissions / 修改角色',
          params: codeParams,
          body: updateRoleBody,
          response: { 200: roleSchema, ...errors },
        },
      },
      async (request) => service.updateRole(actor(request), request.params.code, request.body, request.ip),
    );

    app.get(
      '/permissions',
      {
        config: { access: 'operators.read', allSites: true },
        schema: {
          tags,
          summary: 'The permission catalogue / 权限清单',
          response: { 200: permissionListSchema, ...errors },
        },
      },
      async () => PERMISSION_NAMES.map((name) => ({ name, description: PERMISSIONS[name] })),
    );
  },
};
