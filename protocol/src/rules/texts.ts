/**
 * What the gate shows on its LED and says through its speaker, in zh-CN and English. A typical gate LED has two
 * lines of 16 columns: a CJK character takes two columns, ASCII one, so a line holds 8 Chinese characters or 16
 * ASCII. Deny texts are fixed per reason and shared; admit texts carry the ticket type's name (and entries left for
 * count cards) and are built once per ticket type and count, then reused.
 */
import type { Direction, TicketTypeRules } from '../model.js';
import type { DecisionReason } from '../reasons.js';
import { chineseCount } from './chinese-number.js';

export const LED_COLUMNS = 16;

/** Two LED lines, top then bottom; a line may be empty. */
export type LedLines = readonly [string, string];

export interface GateTexts {
  readonly led: { readonly zh: LedLines; readonly en: LedLines };
  readonly voice: { readonly zh: string; readonly en: string };
}

/** Display width in LED columns: two for CJK and other wide characters, one below U+1100 (Latin, digits, ·). */
export function ledWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! < 0x1100 ? 1 : 2;
  return width;
}

/** Cuts text (by whole characters) to fit the given number of LED columns. */
export function fitLed(text: string, columns = LED_COLUMNS): string {
  let width = 0;
  let end = 0;
  for (const ch of text) {
    width += ch.codePointAt(0)! < 0x1100 ? 1 : 2;
    if (width > columns) return text.slice(0, end);
    end += ch.length;
  }
  return text;
}

function texts(
  zh1: string,
  zh2: string,
  en1: string,
  en2: string,
  voiceZh: string,
  voiceEn: string,
): GateTexts {
  return Object.freeze({
    led: Object.freeze({ zh: Object.freeze([zh1, zh2] as const), en: Object.freeze([en1, en2] as const) }),
    voice: Object.freeze({ zh: voiceZh, en: voiceEn }),
  });
}

/**
 * Fixed texts per reason. Denies say why in a word and where to go; the blacklist text deliberately does not say
 * "blacklisted" out loud in a queue. OK is the generic admit text, for callers that admit without a ticket type
 * (e.g. an emergency-open passage); the engine's admits use admitTexts.
 */
const REASON_TEXTS: Readonly<Record<DecisionReason, GateTexts>> = Object.freeze({
  OK: texts('请通行', '', 'Please pass', '', '请通行', 'Please pass'),
  MALFORMED: texts(
    '无法识别',
    '请重新扫码',
    'Unreadable',
    'Scan again',
    '无法识别，请重新扫码',
    'Cannot read, please scan again',
  ),
  UNKNOWN_KEY: texts(
    '票证无效',
    '请到服务台',
    'Invalid ticket',
    'See service desk',
    '票证无效，请到服务台',
    'Invalid ticket, please see the service desk',
  ),
  BAD_SIGNATURE: texts(
    '票证无效',
    '请到服务台',
    'Invalid ticket',
    'See service desk',
    '票证无效，请到服务台',
    'Invalid ticket, please see the service desk',
  ),
  EXPIRED: texts('已过期', '请到售票处', 'Expired', 'See ticket desk', '门票已过期', 'Ticket expired'),
  NOT_YET_VALID: texts(
    '未到有效期',
    '请核对日期',
    'Not yet valid',
    'Check the date',
    '门票未到有效期',
    'Ticket not yet valid',
  ),
  UNKNOWN_CREDENTIAL: texts(
    '无效票',
    '请到服务台',
    'Unknown ticket',
    'See service desk',
    '无效票，请到服务台',
    'Unknown ticket, please see the service desk',
  ),
  NOT_ACTIVATED: texts(
    '票未激活',
    '请到售票处',
    'Not activated',
    'See ticket desk',
    '门票未激活',
    'Ticket not activated',
  ),
  USED: texts('票已使用', '', 'Already used', '', '门票已使用', 'Ticket already used'),
  REFUNDED: texts('票已退', '', 'Refunded', '', '门票已退', 'Ticket refunded'),
  REVOKED: texts(
    '票已作废',
    '请到服务台',
    'Revoked',
    'See service desk',
    '门票已作废，请到服务台',
    'Ticket revoked, please see the service desk',
  ),
  BLACKLISTED: texts(
    '禁止通行',
    '请到服务台',
    'Entry refused',
    'See service desk',
    '禁止通行，请到服务台',
    'Entry refused, please see the service desk',
  ),
  ENTRIES_EXHAUSTED: texts(
    '次数已用完',
    '请到售票处',
    'No entries left',
    'See ticket desk',
    '次数已用完',
    'No entries left',
  ),
  DAILY_LIMIT: texts(
    '今日次数已满',
    '请明天再来',
    'Daily limit',
    'Try tomorrow',
    '今日次数已满',
    'Daily entry limit reached',
  ),
  WRONG_WEEKDAY: texts('今日不可用', '', 'Not valid today', '', '今日不可使用', 'Not valid today'),
  OUTSIDE_HOURS: texts(
    '不在入园时段',
    '',
    'Outside hours',
    '',
    '不在入园时段',
    'Outside opening hours for this ticket',
  ),
  SLOT_TOO_EARLY: texts(
    '未到预约时段',
    '请稍后',
    'Too early',
    'Slot not started',
    '未到预约时段，请稍后',
    'Your time slot has not started yet',
  ),
  SLOT_TOO_LATE: texts(
    '预约时段已过',
    '请到服务台',
    'Slot missed',
    'See service desk',
    '预约时段已过，请到服务台',
    'Your time slot has passed, please see the service desk',
  ),
  ANTI_PASSBACK: texts(
    '重复刷卡',
    '请稍后',
    'Already passed',
    'Try later',
    '已通行，请勿重复刷卡',
    'Already passed, please do not scan again',
  ),
  WRONG_ZONE: texts('非本区域票', '', 'Wrong zone', '', '非本区域门票', 'Not valid in this area'),
  WRONG_GATE: texts(
    '请走其他通道',
    '',
    'Wrong gate',
    'Use another gate',
    '请走其他通道',
    'Please use another gate',
  ),
  WRONG_DIRECTION: texts('方向错误', '', 'Wrong direction', '', '通行方向错误', 'Wrong direction'),
  GATE_LOCKED: texts('通道已锁定', '', 'Gate locked', '', '通道已锁定', 'Gate locked'),
  GATE_CLOSED: texts(
    '通道关闭',
    '请走其他通道',
    'Gate closed',
    'Use another gate',
    '通道关闭，请走其他通道',
    'Gate closed, please use another gate',
  ),
  UNAUTHORIZED_DENIED: texts('无通行权限', '', 'Not authorised', '', '无通行权限', 'Not authorised'),
  NO_PASSAGE: texts(
    '未通过',
    '请重新刷卡',
    'Not passed',
    'Scan again',
    '未通过，请重新刷卡',
    'Not passed, please scan again',
  ),
  OFFLINE_UNVERIFIABLE: texts(
    '暂无法验证',
    '请到服务台',
    'Cannot verify',
    'See service desk',
    '暂无法验证，请到服务台',
    'Cannot verify now, please see the service desk',
  ),
  OUT_OF_SERVICE: texts(
    '暂停服务',
    '请走其他通道',
    'Out of service',
    'Use another gate',
    '本通道暂停服务，请走其他通道',
    'This gate is out of service, please use another gate',
  ),
  VISIT_DAYS_USED: texts(
    '游玩天数已用完',
    '请到售票处',
    'Visit days used',
    'See ticket desk',
    '可游玩天数已用完',
    'All visit days are used',
  ),
});

/** The fixed texts for a reason (a lookup, no string work). */
export function reasonTexts(reason: DecisionReason): GateTexts {
  return REASON_TEXTS[reason];
}

const GREETING = { in: { zh: '欢迎入园', en: 'Welcome' }, out: { zh: '欢迎再来', en: 'Goodbye' } } as const;
const VOICE_END = {
  in: { zh: '请通行', en: 'please pass' },
  out: { zh: '欢迎再来', en: 'goodbye' },
} as const;

/** Admit texts with a count are cached for counts below this; a count card with more left builds its text. */
const COUNT_CACHE_LIMIT = 1000;

interface TypeTextCache {
  readonly zh: string;
  readonly en: string;
  readonly plain: { in: GateTexts | undefined; out: GateTexts | undefined };
  readonly counted: { in: (GateTexts | undefined)[]; out: (GateTexts | undefined)[] };
}

const cacheByRules = new WeakMap<TicketTypeRules, TypeTextCache>();

function cacheFor(rules: TicketTypeRules): TypeTextCache {
  let cache = cacheByRules.get(rules);
  if (cache === undefined) {
    cache = {
      zh: rules.name.zh,
      en: rules.name.en,
      plain: { in: undefined, out: undefined },
      counted: { in: [], out: [] },
    };
    cacheByRules.set(rules, cache);
  }
  return cache;
}

/** Greeting on top and the detail below, or, when name + detail do not fit one line, the name on top. */
function ledLines(greeting: string, name: string, detail: string): LedLines {
  if (detail === '') return [greeting, fitLed(name)];
  const joined = `${name} ${detail}`;
  if (ledWidth(joined) <= LED_COLUMNS) return [greeting, joined];
  return [fitLed(name), fitLed(detail)];
}

function build(
  name: { zh: string; en: string },
  direction: Direction,
  left: number,
  persons: number,
): GateTexts {
  const greet = GREETING[direction];
  const end = VOICE_END[direction];
  let ledZh = '';
  let ledEn = '';
  let voiceZh = `${name.zh}，`;
  let voiceEn = `${name.en}, `;
  if (left >= 0) {
    ledZh = `剩余${left}次`;
    ledEn = `${left} left`;
    voiceZh += `剩余${chineseCount(left)}次，`;
    voiceEn += left === 1 ? '1 entry left, ' : `${left} entries left, `;
  }
  if (persons > 1) {
    ledZh += ledZh === '' ? `${persons}人` : ` ${persons}人`;
    ledEn += ledEn === '' ? `${persons} ppl` : ` ${persons} ppl`;
    voiceZh += `${chineseCount(persons)}人，`;
    voiceEn += `${persons} persons, `;
  }
  return texts(
    ...ledLines(greet.zh, name.zh, ledZh),
    ...ledLines(greet.en, name.en, ledEn),
    voiceZh + end.zh,
    voiceEn + end.en,
  );
}

/**
 * Texts for an admitted passage. `countLeft` is the entries left to show (a count card), or -1 to show none (passes,
 * single tickets). Persons above 1 (group tickets) are shown and said.
 */
export function admitTexts(
  rules: TicketTypeRules,
  direction: Direction,
  countLeft: number,
  persons: number,
): GateTexts {
  const cache = cacheFor(rules);
  if (persons > 1) return build(cache, direction, countLeft, persons);
  if (countLeft < 0) {
    const plain = cache.plain[direction];
    if (plain !== undefined) return plain;
    const built = build(cache, direction, -1, 1);
    cache.plain[direction] = built;
    return built;
  }
  if (countLeft >= COUNT_CACHE_LIMIT || !Number.isInteger(countLeft))
    return build(cache, direction, countLeft, 1);
  const counted = cache.counted[direction];
  const hit = counted[countLeft];
  if (hit !== undefined) return hit;
  const built = build(cache, direction, countLeft, 1);
  counted[countLeft] = built;
  return built;
}
