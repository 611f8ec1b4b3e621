/**
 * Every area's texts, one i18next namespace each. A page's area file is added here once; keys are typed, so
 * `t('common:nav.window')` fails to compile when the key does not exist.
 */
import { admin } from './areas/admin';
import { agencies } from './areas/agencies';
import { analysis } from './areas/analysis';
import { catalog } from './areas/catalog';
import { common } from './areas/common';
import { control } from './areas/control';
import { customers } from './areas/customers';
import { dashboard } from './areas/dashboard';
import { desk } from './areas/desk';
import { orders } from './areas/orders';
import { reports } from './areas/reports';
import { shifts } from './areas/shifts';
import { ticketWindow } from './areas/window';

export const areas = {
  admin,
  agencies,
  analysis,
  catalog,
  common,
  control,
  customers,
  dashboard,
  desk,
  orders,
  shifts,
  reports,
  window: ticketWindow,
} as const;

export type Namespaces = { [K in keyof typeof areas]: (typeof areas)[K]['zh-CN'] };
