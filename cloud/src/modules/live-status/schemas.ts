/** The live figures (实时状态) as the API answers them: one site's business day so far. Money is integer fen. */
import { z } from 'zod';
import { TAKING_METHODS } from '../takings/contract.js';
import { venueIdSchema } from '../venues/schemas.js';

const fen = z.number().int();
const count = z.number().int();

export const liveFiguresSchema = z
  .object({
    siteId: z.string(),
    siteName: z.object({ zh: z.string(), en: z.string() }).describe('景区名称 / The site’s name'),
    timeZone: z.string().describe('景区时区 / The site’s IANA time zone'),
    date: z.string().describe('景区当地营业日 / The site-local business day, YYYY-MM-DD'),
    at: z.number().int().describe('计算时刻（epoch ms）/ When the figures were read, epoch ms'),
    version: z
      .number()
      .int()
      .describe(
        '本实例内每次计算递增，较小者为较旧数据 / Rises with every reading in this cloud instance: a lower one is older',
      ),
    sales: z.object({
      totalFen: fen.describe(
        '销售总金额：窗口售票、补票与团队订单实收（团队订单退回的已扣除），不含退票 / Sales total: window sales, ' +
          'supplements and group orders (net of what orders gave back), before window refunds',
      ),
      byMethod: z
        .array(z.object({ method: z.enum(TAKING_METHODS), amountFen: fen }))
        .describe('按支付方式（合计为销售总金额）/ By tender, adding up to the sales total'),
      byChannel: z
        .array(z.object({ channel: z.string(), amountFen: fen }))
        .describe('按渠道（合计为销售总金额）/ By channel, adding up to the sales total'),
    }),
    refunds: z.object({
      count: count.describe('退票笔数 / Refunds made'),
      tickets: count.describe('退回票数 / Tickets refunded'),
      amountFen: fen.describe('退款金额（正数）/ Money handed back (positive)'),
    }),
    netFen: fen.describe('净收入 = 销售总金额 − 退款 / Net: sales total less refunds'),
    tickets: z.object({
      sold: count.describe(
        '售出票数：窗口售票与团队取票，减去结单收回的未用团队票 / Tickets sold at the windows and issued to groups, ' +
          'less unused group tickets withdrawn at closing',
      ),
      persons: count.describe('这些票的人数 / Persons on those tickets'),
    }),
    groupPersons: count.describe(
      '总团队人数：今日团队订单取票人数与窗口售出团体票人数，减去退票与结单收回的未用人数 / Group persons: persons ' +
        'on group orders picked up today and group tickets sold at the windows, less refunds and unused persons ' +
        'withdrawn at closing',
    ),
    entries: count.describe(
      '入园总人数（今日闸机入口通过人数）/ Persons who entered through the gates today',
    ),
    inPark: count.describe('在园人数 / Persons inside now (occupancy)'),
    gates: z.object({
      online: count.describe('在线闸机 / Gates online'),
      total: count.describe('启用的闸机 / Active gates'),
    }),
  })
  .meta({ id: 'LiveFigures' });
export type LiveFigures = z.infer<typeof liveFiguresSchema>;

export const liveStatusQuerySchema = z.object({
  siteId: venueIdSchema
    .optional()
    .describe('景区；不填为可见的全部景区 / One site; default every site in scope'),
});
