/**
 * /api/v1/commands — remote control of gates (终端控制): issue a command to a gate, a zone, a site or everywhere
 * (gates.command), optionally waiting for the acks; read one command with its per-gate results, or the list
 * (gates.read).
 */
import { z } from 'zod';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { commandSchema, issueCommandSchema, issueQuerySchema, listQuerySchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  503: errorResponseSchema,
};

export const commandsModule: AppModule = {
  name: 'commands',
  prefix: '/api/v1/commands',
  routes: async (app, { services: { commands } }) => {
    const tags = ['gates'];

    app.post(
      '/',
      {
        config: { access: 'gates.command' },
        schema: {
          tags,
          summary: '下发闸机指令 / Send a command to gates',
          description:
            '每台目标闸机各收到一条指令；`wait` 毫秒内等待回执后返回各闸机结果。 / Each targeted gate gets the command on its own topic; with `wait` the reply comes once every gate answered or the wait ended.',
          body: issueCommandSchema,
          querystring: issueQuerySchema,
          response: { 201: commandSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { action, target, ttlSec } = request.body;
        const view = await commands.issue(
          { action, target, ttlMs: ttlSec * 1000 },
          request.query.wait,
          changeContextOf(request),
        );
        return reply.code(201).send(view);
      },
    );

    app.get(
      '/',
      {
        config: { access: 'gates.read' },
        schema: {
          tags,
          summary: '闸机指令记录 / Commands sent, newest first',
          querystring: listQuerySchema,
          response: { 200: z.object({ items: z.array(commandSchema), total: z.number().int() }), ...errors },
        },
      },
      async (request) => {
        const { limit, offset, ...filter } = request.query;
        return commands.list(filter, { limit, offset }, siteScopeOfRequest(request));
      },
    );

    app.get(
      '/:commandId',
      {
        config: { access: 'gates.read' },
        schema: {
          tags,
          summary: '指令详情与各闸机结果 / A command with every gate’s result',
          params: z.object({ commandId: z.string().max(64) }),
          response: { 200: commandSchema, ...errors },
        },
      },
      async (request) => commands.get(request.params.commandId, siteScopeOfRequest(request)),
    );
  },
};
