/**
 * /api/channel/v1/bookings: partners book through the group-orders service — hold, confirm, cancel, read by id or by
 * their own reference, the redemption status, and the key's own bookings. Each call acts as the key: its agency's
 * settlement prices and ledger, only its sites, and only its agency's bookings (a key without an agency: only the
 * bookings it placed); any other booking answers 404 as if it did not exist.
 *
 * Changes are idempotent for a partner that retries: a create by the same reference and body answers the first
 * booking (200 with `Idempotent-Replayed: true`), and confirming a booking already confirmed or cancelling one
 * already cancelled answers it as it stands, the same way, rather than a state error.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { partnerOf } from '../../platform/auth/partner.js';
import { AppError, errorResponseSchema } from '../../platform/errors.js';
import { sendIdempotent } from '../../platform/idempotent-reply.js';
import type { GroupOrdersService, OrderRequester } from '../group-orders/service.js';
import type { OrderState } from '../group-orders/states.js';
import type { OrderCore } from '../group-orders/view.js';
import {
  bookingParamsSchema,
  cancelBookingSchema,
  channelBookingPageSchema,
  channelBookingSchema,
  createBookingSchema,
  listBookingsQuerySchema,
  redemptionSchema,
  referenceParamsSchema,
} from './booking-schemas.js';
import { bookingOf, bookingSummaryOf, redemptionOf } from './booking-view.js';
import { CHANNEL_TAG } from './octo.js';

type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  429: errorResponseSchema,
};

const SCOPE_NOTE =
  '仅限密钥所属旅行社与景区；其他旅行社或景区的预订 404 / Only the key’s agency and sites: any other booking answers 404 NOT_FOUND.';

function requesterOf(request: FastifyRequest): OrderRequester {
  const partner = partnerOf(request);
  return {
    context: { actor: { id: partner.keyId, username: partner.name }, ip: request.ip, sites: partner.sites },
    agencyId: partner.agencyId,
    manages: false,
    channelKeyId: partner.keyId,
  };
}

/**
 * A change a partner may safely repeat: when the booking is already where the change leads (`done`), the booking
 * is answered as it stands, marked replayed, instead of ORDER_STATE_INVALID.
 */
async function repeatable(
  groupOrders: GroupOrdersService,
  bookingId: string,
  requester: OrderRequester,
  done: readonly OrderState[],
  change: () => Promise<OrderCore>,
): Promise<{ order: OrderCore; replayed: boolean }> {
  try {
    return { order: await change(), replayed: false };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'ORDER_STATE_INVALID') throw error;
    const order = await groupOrders.get(bookingId, requester);
    if (!done.includes(order.state)) throw error;
    return { order, replayed: true };
  }
}

export function registerBookingRoutes(app: ZodApp, groupOrders: GroupOrdersService): void {
  const tags = [CHANNEL_TAG];
  const answer = (order: OrderCore) => bookingOf(order, groupOrders.octoStatus(order));
  const byId = { params: bookingParamsSchema, response: { 200: channelBookingSchema, ...errors } };

  app.post(
    '/bookings',
    {
      config: { access: 'channel' },
      schema: {
        tags,
        summary:
          '占位预订（ON_HOLD）：按合作方单号幂等 / Book on hold (ON_HOLD), idempotent by your reference',
        description: `占用当日（及时段）名额直到 holdExpiresAt；到期未确认则 EXPIRED 并释放名额。实名票种须提交游客名单。同一 reference 同内容重复提交返回原预订（200，Idempotent-Replayed: true），内容不同 409 ORDER_REFERENCE_CONFLICT；名额不足 409。/ Takes places of the day (and slot) until holdExpiresAt; unconfirmed by then it becomes EXPIRED and the places return. Real-name types need their visitors. The same reference with the same body answers the first booking (200, Idempotent-Replayed: true); another body 409 ORDER_REFERENCE_CONFLICT; no places left 409. ${SCOPE_NOTE}`,
        body: createBookingSchema,
        response: { 200: channelBookingSchema, 201: channelBookingSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { headcount: _derived, ...input } = request.body;
      const { value, replayed } = await groupOrders.create(input, requesterOf(request), 'partner');
      return sendIdempotent(reply, replayed, answer(value));
    },
  );

  app.get(
    '/bookings',
    {
      config: { access: 'channel' },
      schema: {
        tags,
        summary: '本密钥下的预订（新的在前，分页）/ The bookings this key placed, newest first, paged',
        querystring: listBookingsQuerySchema,
        response: { 200: channelBookingPageSchema, ...errors },
      },
    },
    async (request) => {
      const requester = requesterOf(request);
      const { status, ...query } = request.query;
      const page = await groupOrders.list(
        { ...query, ...(status !== undefined && { state: status }), channelKeyId: requester.channelKeyId },
        requester,
      );
      return {
        bookings: page.orders.map((order) => bookingSummaryOf(order, groupOrders.octoStatus(order))),
        total: page.total,
      };
    },
  );

  app.get(
    '/bookings/:bookingId',
    {
      config: { access: 'channel' },
      schema: { tags, summary: '预订详情 / A booking', description: SCOPE_NOTE, ...byId },
    },
    async (request) => answer(await groupOrders.get(request.params.bookingId, requesterOf(request))),
  );

  app.get(
    '/bookings/by-reference/:reference',
    {
      config: { access: 'channel' },
      schema: {
        tags,
        summary: '按合作方单号查预订 / A booking by your reference',
        description: SCOPE_NOTE,
        params: referenceParamsSchema,
        response: { 200: channelBookingSchema, ...errors },
      },
    },
    async (request) =>
      answer(await groupOrders.getByReference(request.params.reference, requesterOf(request))),
  );

  app.get(
    '/bookings/:bookingId/redemption',
    {
      config: { access: 'channel' },
      schema: {
        tags,
        summary: '核销情况：各行已入园与剩余人数 / Redemption: persons admitted and left per line',
        description: SCOPE_NOTE,
        params: bookingParamsSchema,
        response: { 200: redemptionSchema, ...errors },
      },
    },
    async (request) => {
      const order = await groupOrders.get(request.params.bookingId, requesterOf(request));
      return redemptionOf(order, groupOrders.octoStatus(order));
    },
  );

  app.post(
    '/bookings/:bookingId/confirm',
    {
      config: { access: 'channel' },
      schema: {
        tags,
        summary:
          '确认（CONFIRMED）：预存/授信旅行社此时从账户扣款 / Confirm (CONFIRMED): prepaid and credit agencies are debited now',
        description: `预存余额不足 409 AGENCY_BALANCE_SHORT，超出授信 409 AGENCY_CREDIT_EXCEEDED，占位已过期 409 ORDER_HOLD_EXPIRED；现付订单在窗口取票时付款。重复确认返回当前预订（200，Idempotent-Replayed: true）。/ A short prepaid balance answers 409 AGENCY_BALANCE_SHORT, a credit limit exceeded 409 AGENCY_CREDIT_EXCEEDED, a lapsed hold 409 ORDER_HOLD_EXPIRED; window payers pay at pick-up. Confirming again answers the booking as it stands (200, Idempotent-Replayed: true). ${SCOPE_NOTE}`,
        ...byId,
      },
    },
    async (request, reply) => {
      const requester = requesterOf(request);
      const { bookingId } = request.params;
      const { order, replayed } = await repeatable(
        groupOrders,
        bookingId,
        requester,
        ['confirmed', 'picked_up', 'closed'],
        () => groupOrders.confirm(bookingId, requester, 'partner'),
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return answer(order);
    },
  );

  app.post(
    '/bookings/:bookingId/cancel',
    {
      config: { access: 'channel' },
      schema: {
        tags,
        summary:
          '取消（CANCELLED）：释放名额，按规则收取手续费 / Cancel (CANCELLED): places released, fee by the rules',
        description: `取票后不能取消（409 ORDER_STATE_INVALID）。重复取消返回当前预订（200，Idempotent-Replayed: true）。发送 booking.cancelled 回调，有退款时另发 booking.refunded。/ Not after pick-up (409 ORDER_STATE_INVALID). Cancelling again answers the booking as it stands (200, Idempotent-Replayed: true). Sends the booking.cancelled webhook, and booking.refunded when money is credited back. ${SCOPE_NOTE}`,
        body: cancelBookingSchema,
        ...byId,
      },
    },
    async (request, reply) => {
      const requester = requesterOf(request);
      const { bookingId } = request.params;
      const { order, replayed } = await repeatable(groupOrders, bookingId, requester, ['cancelled'], () =>
        groupOrders.cancel(bookingId, request.body, requester),
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return answer(order);
    },
  );
}
