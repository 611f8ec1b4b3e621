/**
 * The permission catalogue (权限) and the seed roles. Every route declares exactly one access level in its route
 * options — `config: { access: 'public' | 'authenticated' | <permission> }` — and the auth layer enforces it; the
 * RBAC matrix test walks every route × seed role against these declarations. Permission names are stable API: roles
 * stored in the database refer to them, so never rename one.
 */
import type { Localized } from './language.js';

export const PERMISSIONS = {
  'operators.read': { 'zh-CN': '查看操作员', en: 'View operators' },
  'operators.manage': { 'zh-CN': '管理操作员与角色', en: 'Manage operators and roles' },
  'audit.read': { 'zh-CN': '查看操作日志', en: 'View the audit log' },
  'venues.read': { 'zh-CN': '查看景区、区域、窗口与闸机', en: 'View sites, zones, windows and gates' },
  'venues.manage': { 'zh-CN': '管理景区、区域、窗口与闸机', en: 'Manage sites, zones, windows and gates' },
  'ticket_types.read': { 'zh-CN': '查看票种', en: 'View ticket types' },
  'ticket_types.manage': { 'zh-CN': '管理票种与价格', en: 'Manage ticket types and prices' },
  'capacity.read': { 'zh-CN': '查看限量与时段', en: 'View capacity and time slots' },
  'capacity.manage': { 'zh-CN': '管理限量与时段', en: 'Manage capacity and time slots' },
  'stock.read': { 'zh-CN': '查看票库', en: 'View ticket stock' },
  'stock.manage': { 'zh-CN': '门票入仓、出仓、作废', en: 'Import, issue, return and void ticket stock' },
  'sales.sell': { 'zh-CN': '窗口售票', en: 'Sell tickets at a window' },
  'sales.read': { 'zh-CN': '查看销售记录', en: 'View sales' },
  'supplements.sell': { 'zh-CN': '补票', en: 'Sell supplementary tickets' },
  'refunds.request': { 'zh-CN': '办理退票', en: 'Process refunds' },
  'refunds.approve': { 'zh-CN': '审批大额退票', en: 'Approve refunds above the threshold' },
  'supplements.approve': { 'zh-CN': '审批大额补票', en: 'Approve supplementary tickets above the threshold' },
  'lookup.read': { 'zh-CN': '票效查询', en: 'Look up ticket validity' },
  'gates.read': { 'zh-CN': '查看闸机状态', en: 'View gate status' },
  'gates.manage': { 'zh-CN': '管理闸机注册与凭证', en: 'Manage gate registration and credentials' },
  'gates.command': { 'zh-CN': '远程控制闸机', en: 'Send commands to gates' },
  'groups.order': { 'zh-CN': '团队预订下单', en: 'Place group orders' },
  'groups.manage': { 'zh-CN': '管理团队订单', en: 'Manage group orders' },
  'agencies.read': {
    'zh-CN': '查看旅行社、结算价与账户流水',
    en: 'View agencies, settlement prices and ledgers',
  },
  'agencies.manage': {
    'zh-CN': '管理旅行社、授权票种与操作员',
    en: 'Manage agencies, their ticket types and operators',
  },
  'agencies.adjust': {
    'zh-CN': '旅行社充值与手工调账',
    en: 'Record agency top-ups and adjust agency balances',
  },
  'customers.read': { 'zh-CN': '查看客户与积分', en: 'View customers and points' },
  'customers.manage': { 'zh-CN': '管理客户与积分', en: 'Manage customers and points' },
  'reports.read': { 'zh-CN': '查看报表与实时数据', en: 'View reports and live figures' },
  'holidays.read': { 'zh-CN': '查看节假日日历', en: 'View the holiday calendar' },
  'holidays.manage': {
    'zh-CN': '维护节假日日历（各景区共用）',
    en: 'Maintain the holiday calendar (shared by every site)',
  },
  'settlements.manage': { 'zh-CN': '营业员日结与月结', en: 'Cashier daily and monthly settlement' },
  'shifts.operate': {
    'zh-CN': '开班、钱箱上缴与支出、交接班与收班',
    en: 'Open a till shift, record drops and payouts, hand over and close it',
  },
  'shifts.read': { 'zh-CN': '查看交接班与班次报表', en: 'View till shifts and their reports' },
  'shifts.approve': {
    'zh-CN': '审批班次长短款、调整已结班次',
    en: 'Approve shift variances and adjust closed shifts',
  },
  'system.manage': { 'zh-CN': '系统设置、备份与恢复', en: 'System settings, backup and restore' },
  'channel.manage': {
    'zh-CN': '管理渠道接口密钥与回调',
    en: 'Manage channel API keys and webhooks',
  },
  'keys.manage': {
    'zh-CN': '管理票据签名密钥（轮换、停用）',
    en: 'Manage ticket signing keys (rotate, retire)',
  },
} as const satisfies Record<string, Localized>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/**
 * What a route requires: nothing, any signed-in operator, one permission, or (`channel`) a partner's channel API key
 * instead of an operator (the routes under /api/channel/v1, platform/auth/partner.ts).
 */
export type RouteAccess = 'public' | 'authenticated' | 'channel' | Permission;

export const SEED_ROLES = {
  admin: {
    name: { 'zh-CN': '系统管理员', en: 'Administrator' },
    permissions: PERMISSION_NAMES,
  },
  finance: {
    name: { 'zh-CN': '财务', en: 'Finance' },
    permissions: [
      'sales.read',
      'refunds.approve',
      'supplements.approve',
      'lookup.read',
      'reports.read',
      // Year-on-year comparisons match holidays: finance reads the calendar they are matched by.
      'holidays.read',
      'settlements.manage',
      'shifts.read',
      'shifts.approve',
      'stock.read',
      'ticket_types.read',
      'audit.read',
      'customers.read',
      'agencies.read',
      'agencies.adjust',
    ],
  },
  cashier: {
    name: { 'zh-CN': '售票员', en: 'Cashier' },
    permissions: [
      'sales.sell',
      'sales.read',
      'supplements.sell',
      'refunds.request',
      'lookup.read',
      // No stock.read: a cashier sees only the stock in their own hands (GET /api/v1/stock/balances/mine).
      'ticket_types.read',
      'capacity.read',
      'customers.read',
      'venues.read',
      // 付款取单 is the window's work: find the order, take the payment, issue and print its codes.
      'groups.order',
      'groups.manage',
      // 交接班: a cashier opens, hands over and closes their own till and reads its report.
      'shifts.operate',
      'shifts.read',
    ],
  },
  gate_staff: {
    name: { 'zh-CN': '检票员', en: 'Gate staff' },
    permissions: ['lookup.read', 'gates.read', 'venues.read', 'ticket_types.read'],
  },
  control_room: {
    name: { 'zh-CN': '监控中心', en: 'Control room' },
    permissions: [
      'gates.read',
      'gates.command',
      'venues.read',
      'reports.read',
      'holidays.read',
      'lookup.read',
      'capacity.read',
    ],
  },
  agency: {
    name: { 'zh-CN': '旅行社', en: 'Travel agency' },
    permissions: ['groups.order', 'ticket_types.read', 'capacity.read'],
  },
} as const satisfies Record<string, { name: Localized; permissions: readonly Permission[] }>;

export type SeedRole = keyof typeof SEED_ROLES;

/**
 * Permissions a seed role gained after installations already had it (SEED_ROLES only shapes a role when it is
 * created). Each is granted once per installation (platform/auth/roles-seed.ts records its id), so a role an
 * administrator later narrows again stays as they left it. Append only; never reuse an id.
 */
export const UPGRADE_GRANTS: readonly {
  readonly id: string;
  readonly role: SeedRole;
  readonly permissions: readonly Permission[];
}[] = [
  {
    id: '20261207-finance-agencies',
    role: 'finance',
    permissions: ['customers.read', 'agencies.read', 'agencies.adjust'],
  },
  { id: '20261207-cashier-customers', role: 'cashier', permissions: ['customers.read', 'venues.read'] },
  { id: '20261207-cashier-group-pickup', role: 'cashier', permissions: ['groups.order', 'groups.manage'] },
  { id: '20261212-finance-holidays', role: 'finance', permissions: ['holidays.read'] },
  { id: '20261212-control-room-holidays', role: 'control_room', permissions: ['holidays.read'] },
  { id: '20261212-cashier-shifts', role: 'cashier', permissions: ['shifts.operate', 'shifts.read'] },
  { id: '20261212-finance-shifts', role: 'finance', permissions: ['shifts.read', 'shifts.approve'] },
];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route; enforced by the auth layer and checked at start-up. */
    access?: RouteAccess;
  }
}
