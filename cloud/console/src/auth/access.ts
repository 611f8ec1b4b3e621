/**
 * What the signed-in operator may open, from the permissions the API reports for them (GET /auth/me): a pure
 * function, so the menu, the routes and the tests share one answer. The API checks every call again; this only
 * decides what the console offers.
 */
import type { Me, Permission } from '../api/types';

export type Access = Permission | 'authenticated';

export function allows(me: Pick<Me, 'permissions'> | undefined, access: Access): boolean {
  if (!me) return false;
  if (access === 'authenticated') return true;
  return (me.permissions as readonly string[]).includes(access);
}
