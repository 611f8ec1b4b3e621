/**
 * Every area's texts, one i18next namespace each. A page's area file is added here once; keys are typed, so
 * `t('common:nav.window')` fails to compile when the key does not exist.
 */
import { catalog } from './areas/catalog';
import { common } from './areas/common';
import { dashboard } from './areas/dashboard';

export const areas = { catalog, common, dashboard } as const;

export type Namespaces = { [K in keyof typeof areas]: (typeof areas)[K]['zh-CN'] };
