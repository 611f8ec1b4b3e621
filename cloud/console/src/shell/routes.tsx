/**
 * The console's one list of pages: it builds the router, the menu and the guards. A page's `access` is a permission
 * from the API's catalogue (the same names the routes declare), so a menu item appears exactly when the operator
 * can use what is behind it, and a direct URL to a page they may not open shows the 403 page.
 */
import {
  AccountBookOutlined,
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  CalendarOutlined,
  CarryOutOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  EnvironmentOutlined,
  FileSearchOutlined,
  HistoryOutlined,
  IdcardOutlined,
  InboxOutlined,
  KeyOutlined,
  LineChartOutlined,
  ProfileOutlined,
  RocketOutlined,
  RollbackOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  ShopOutlined,
  SolutionOutlined,
  SwapOutlined,
  TableOutlined,
  TagsOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import type { QueryClient } from '@tanstack/react-query';
import type { ComponentType, ReactNode } from 'react';
import type { Access } from '../auth/access';
import type { common } from '../i18n/areas/common';
import { prefetchWindow } from '../pages/window/prefetch';

export type NavKey = keyof (typeof common)['zh-CN']['nav'];
export type GroupKey = 'sales' | 'finance' | 'reports' | 'analysis' | 'catalog' | 'control' | 'admin';

export interface PageRoute {
  /** Below `/`, without a leading slash. */
  readonly path: string;
  readonly nav: NavKey;
  readonly group?: GroupKey;
  readonly access: Access;
  readonly icon?: ReactNode;
  /** Not in the menu (reached by a link or a redirect). */
  readonly hidden?: boolean;
  /**
   * In the menu only for an operator linked to a travel agency (GET /agencies/mine answers: the link, not a
   * permission, decides — layout.tsx asks it for operators of the agency role). The page explains itself to others.
   */
  readonly agencyLinked?: boolean;
  readonly load: () => Promise<{ default: ComponentType }>;
  /** Starts the page's first reads while its code loads, when the console opens on this page (shell/boot.ts). */
  readonly prefetch?: (client: QueryClient) => Promise<void>;
}

export const GROUPS: readonly { key: GroupKey; nav: NavKey }[] = [
  { key: 'sales', nav: 'sales' },
  { key: 'finance', nav: 'finance' },
  { key: 'reports', nav: 'reports' },
  { key: 'analysis', nav: 'analysisGroup' },
  { key: 'catalog', nav: 'catalog' },
  { key: 'control', nav: 'control' },
  { key: 'admin', nav: 'admin' },
];

export const PAGES: readonly PageRoute[] = [
  {
    path: 'dashboard',
    nav: 'dashboard',
    access: 'authenticated',
    icon: <DashboardOutlined />,
    load: () => import('../pages/dashboard'),
  },
  {
    path: 'window',
    nav: 'window',
    group: 'sales',
    access: 'sales.sell',
    icon: <ShopOutlined />,
    load: () => import('../pages/window'),
    prefetch: prefetchWindow,
  },
  {
    path: 'lookup',
    nav: 'lookup',
    group: 'sales',
    access: 'lookup.read',
    icon: <FileSearchOutlined />,
    load: () => import('../pages/desk/lookup'),
  },
  {
    path: 'sales',
    nav: 'salesList',
    group: 'sales',
    access: 'sales.read',
    icon: <ProfileOutlined />,
    load: () => import('../pages/desk/sales'),
  },
  {
    path: 'refunds',
    nav: 'refunds',
    group: 'sales',
    access: 'sales.read',
    icon: <RollbackOutlined />,
    load: () => import('../pages/desk/refunds'),
  },
  {
    path: 'supplements',
    nav: 'supplements',
    group: 'sales',
    access: 'sales.read',
    icon: <SwapOutlined />,
    load: () => import('../pages/desk/supplements'),
  },
  {
    path: 'orders',
    nav: 'orders',
    group: 'sales',
    access: 'groups.order',
    icon: <UsergroupAddOutlined />,
    load: () => import('../pages/orders'),
  },
  {
    path: 'shifts',
    nav: 'shifts',
    group: 'finance',
    access: 'shifts.read',
    icon: <AccountBookOutlined />,
    load: () => import('../pages/shifts'),
  },
  {
    path: 'day-settlement',
    nav: 'daySettlement',
    group: 'finance',
    access: 'reports.read',
    icon: <CarryOutOutlined />,
    load: () => import('../pages/settlements/day'),
  },
  {
    path: 'month-settlement',
    nav: 'monthSettlement',
    group: 'finance',
    access: 'reports.read',
    icon: <ScheduleOutlined />,
    load: () => import('../pages/settlements/month'),
  },
  {
    path: 'customers',
    nav: 'customers',
    group: 'sales',
    access: 'customers.read',
    icon: <IdcardOutlined />,
    load: () => import('../pages/customers'),
  },
  // 数据管理: reports.read (finance), every figure also as a file.
  {
    path: 'sales-history',
    nav: 'salesHistory',
    group: 'reports',
    access: 'reports.read',
    icon: <HistoryOutlined />,
    load: () => import('../pages/reports/history'),
  },
  {
    path: 'sales-summary',
    nav: 'salesSummary',
    group: 'reports',
    access: 'reports.read',
    icon: <TableOutlined />,
    load: () => import('../pages/reports/summary'),
  },
  {
    path: 'comm-report',
    nav: 'commReports',
    group: 'reports',
    access: 'reports.read',
    icon: <ApiOutlined />,
    load: () => import('../pages/reports/comm'),
  },
  {
    path: 'gates',
    nav: 'gates',
    group: 'control',
    access: 'gates.read',
    icon: <DeploymentUnitOutlined />,
    load: () => import('../pages/control/gates'),
  },
  {
    path: 'commands',
    nav: 'commands',
    group: 'control',
    access: 'gates.command',
    icon: <ThunderboltOutlined />,
    load: () => import('../pages/control/commands'),
  },
  {
    path: 'passages',
    nav: 'passages',
    group: 'control',
    access: 'gates.read',
    icon: <SwapOutlined />,
    load: () => import('../pages/control/passages'),
  },
  {
    path: 'comm-log',
    nav: 'commLog',
    group: 'control',
    access: 'gates.read',
    icon: <ApiOutlined />,
    load: () => import('../pages/control/comm-log'),
  },
  // 决策分析: the comparisons over the reports, and the holiday calendar they match holidays by.
  {
    path: 'analysis',
    nav: 'analysis',
    group: 'analysis',
    access: 'reports.read',
    icon: <LineChartOutlined />,
    load: () => import('../pages/analysis'),
  },
  {
    path: 'holidays',
    nav: 'holidays',
    group: 'analysis',
    access: 'holidays.read',
    icon: <ScheduleOutlined />,
    load: () => import('../pages/analysis/holidays'),
  },
  // 系统管理. Sites and gates needs venues.manage in the menu, not venues.read: cashiers, gate staff and the control
  // room read venues for their own work and have no business in the administration group.
  {
    path: 'venues',
    nav: 'venues',
    group: 'admin',
    access: 'venues.manage',
    icon: <EnvironmentOutlined />,
    load: () => import('../pages/admin/venues'),
  },
  {
    path: 'operators',
    nav: 'operators',
    group: 'admin',
    access: 'operators.read',
    icon: <TeamOutlined />,
    load: () => import('../pages/admin/operators'),
  },
  {
    path: 'roles',
    nav: 'roles',
    group: 'admin',
    access: 'operators.read',
    icon: <SafetyCertificateOutlined />,
    load: () => import('../pages/admin/roles'),
  },
  {
    path: 'audit',
    nav: 'audit',
    group: 'admin',
    access: 'audit.read',
    icon: <AuditOutlined />,
    load: () => import('../pages/admin/audit'),
  },
  {
    path: 'keys',
    nav: 'keys',
    group: 'admin',
    access: 'keys.manage',
    icon: <KeyOutlined />,
    load: () => import('../pages/admin/keys'),
  },
  {
    path: 'setup',
    nav: 'setup',
    group: 'admin',
    access: 'venues.manage',
    icon: <RocketOutlined />,
    load: () => import('../pages/admin/setup'),
  },
  {
    path: 'my-stock',
    nav: 'myStock',
    group: 'sales',
    access: 'sales.sell',
    icon: <InboxOutlined />,
    load: () => import('../pages/catalog/my-stock'),
  },
  {
    path: 'ticket-types',
    nav: 'ticketTypes',
    group: 'catalog',
    access: 'ticket_types.read',
    icon: <TagsOutlined />,
    load: () => import('../pages/catalog/ticket-types'),
  },
  {
    path: 'capacity',
    nav: 'capacity',
    group: 'catalog',
    access: 'capacity.read',
    icon: <CalendarOutlined />,
    load: () => import('../pages/catalog/capacity'),
  },
  {
    path: 'agencies',
    nav: 'agencies',
    group: 'catalog',
    access: 'agencies.read',
    icon: <SolutionOutlined />,
    load: () => import('../pages/agencies'),
  },
  {
    path: 'my-agency',
    nav: 'myAgency',
    access: 'authenticated',
    agencyLinked: true,
    icon: <BankOutlined />,
    load: () => import('../pages/agencies/mine'),
  },
  {
    path: 'stock',
    nav: 'stock',
    group: 'catalog',
    access: 'stock.read',
    icon: <DatabaseOutlined />,
    load: () => import('../pages/catalog/stock'),
  },
];
