/**
 * The console's one list of pages: it builds the router, the menu and the guards. A page's `access` is a permission
 * from the API's catalogue (the same names the routes declare), so a menu item appears exactly when the operator
 * can use what is behind it, and a direct URL to a page they may not open shows the 403 page.
 */
import {
  CalendarOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  InboxOutlined,
  TagsOutlined,
} from '@ant-design/icons';
import type { ComponentType, ReactNode } from 'react';
import type { Access } from '../auth/access';
import type { common } from '../i18n/areas/common';

export type NavKey = keyof (typeof common)['zh-CN']['nav'];
export type GroupKey = 'sales' | 'catalog' | 'control' | 'admin';

export interface PageRoute {
  /** Below `/`, without a leading slash. */
  readonly path: string;
  readonly nav: NavKey;
  readonly group?: GroupKey;
  readonly access: Access;
  readonly icon?: ReactNode;
  /** Not in the menu (reached by a link or a redirect). */
  readonly hidden?: boolean;
  readonly load: () => Promise<{ default: ComponentType }>;
}

export const GROUPS: readonly { key: GroupKey; nav: NavKey }[] = [
  { key: 'sales', nav: 'sales' },
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
    path: 'stock',
    nav: 'stock',
    group: 'catalog',
    access: 'stock.read',
    icon: <DatabaseOutlined />,
    load: () => import('../pages/catalog/stock'),
  },
];
