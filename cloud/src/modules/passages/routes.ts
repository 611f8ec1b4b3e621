/**
 * /api/v1/passages — passages and denials (通行记录) as the gates reported them, for the control room (gates.read):
 * the list, newest first with cursor paging and filters; one business day's entries, exits and denials per site; and
 * a Server-Sent Events stream that starts with a `snapshot` (the list's first page, with its `next`) and then sends one `passage` or
 * `denial` event per newly stored event, plus a comment every 15 s (platform/event-stream.ts).
 */
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { sendEventStream } from '../../platform/event-stream.js';
import { coversSite } from '../../platform/site-scope.js';
import type { AppModule } from '../module.js';
import { passageItem } from './records.js';
import {
  listPassagesQuerySchema,
  type PassageItem,
  passagePageSchema,
  passageStreamQuerySchema,
  passageSummaryQuerySchema,
  passageSummarySchema,
} from './schemas.js';

const read = { access: 'gates.read' } as const;
const errors = { 400: errorResponseSchema, 404: errorResponseSchema };
/** Items in the stream's snapshot: the list's first page. */
const SNAPSHOT_ITEMS = 50;

export const passagesModule: AppModule = {
  name: 'passages',
  prefix: '/api/v1/passages',
  routes: async (app, { services: { passageRecords: records, passageHub: hub } }) => {
    const tags = ['gates'];

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary: '通行记录（新的在前，游标翻页）/ Passages and denials, newest first, with cursor paging',
          querystring: listPassagesQuerySchema,
          response: { 200: passagePageSchema, ...errors },
        },
      },
      async (request) => records.list(request.query, siteScopeOfRequest(request)),
    );

    app.get(
      '/summary',
      {
        config: read,
        schema: {
          tags,
          summary:
            '通行日汇总（按景区当地营业日）/ One business day’s entries, exits and denials, per site and in total',
          querystring: passageSummaryQuerySchema,
          response: { 200: passageSummarySchema, ...errors },
        },
      },
      async (request) => records.summary(request.query, siteScopeOfRequest(request)),
    );

    app.get(
      '/stream',
      {
        config: read,
        schema: {
          tags,
          summary:
            '通行记录推送（SSE）/ Push stream of newly stored passages and denials (Server-Sent Events)',
          querystring: passageStreamQuerySchema,
          produces: ['text/event-stream'],
        },
      },
      (request, reply) => {
        const { siteId } = request.query;
        const scope = siteScopeOfRequest(request);
        return sendEventStream<
          { items: PassageItem[]; next: string | null },
          { passage: PassageItem; denial: PassageItem }
        >(request, reply, {
          subscribe: (push) =>
            hub.subscribe((events) => {
              for (const event of events)
                if ((siteId === undefined || event.site_id === siteId) && coversSite(scope, event.site_id))
                  push({ event: event.kind, data: passageItem(event) });
            }),
          snapshot: async () => records.list({ siteId, limit: SNAPSHOT_ITEMS }, scope),
          // An event stored just before the snapshot was read may be announced after it: it is in the list already.
          covered: ({ items }) => {
            const listed = new Set(items.map((item) => item.eventId));
            return (change) => listed.has(change.data.eventId);
          },
        });
      },
    );
  },
};
