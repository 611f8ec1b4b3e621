import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../db/testing.js';
import { seedLayout } from '../modules/venues/testing.js';
import { AppError } from './errors.js';
import {
  ALL_SITES,
  assertSiteInScope,
  assertSiteVisible,
  coversAllSites,
  coversSite,
  siteCondition,
  siteScopeOf,
} from './site-scope.js';

describe('site scope', () => {
  it('no sites listed means every site; a list is de-duplicated and sorted', () => {
    expect(siteScopeOf([])).toBe(ALL_SITES);
    expect(siteScopeOf(['west', 'east', 'west']).siteIds).toEqual(['east', 'west']);
    expect(coversAllSites(ALL_SITES)).toBe(true);
    expect(coversAllSites(siteScopeOf(['east']))).toBe(false);
  });

  it('covers its own sites only, and a row of no site only for every site', () => {
    const east = siteScopeOf(['east']);
    expect(coversSite(east, 'east')).toBe(true);
    expect(coversSite(east, 'west')).toBe(false);
    expect(coversSite(east, null)).toBe(false);
    expect(coversSite(ALL_SITES, null)).toBe(true);
  });

  it('refuses creating in another site as SITE_FORBIDDEN, and hides an existing row as the caller says', () => {
    const east = siteScopeOf(['east']);
    expect(() => assertSiteInScope(east, 'east')).not.toThrow();
    const refusal = (() => {
      try {
        assertSiteInScope(east, 'west');
      } catch (error) {
        return error as AppError;
      }
    })();
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'SITE_FORBIDDEN', status: 403, details: { siteId: 'west' } });
    const missing = () => new AppError('NOT_FOUND', { resource: 'x', id: 'y' });
    expect(() => assertSiteVisible(east, 'west', missing)).toThrow(/not found/);
    expect(() => assertSiteVisible(east, undefined, missing)).toThrow(/not found/);
    expect(() => assertSiteVisible(ALL_SITES, 'west', missing)).not.toThrow();
  });
});

describe.each(databaseBackends())('siteCondition on $name', (backend) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await backend.create();
    for (const site of ['east', 'north', 'west']) await seedLayout(test.database.db, site, []);
  });
  afterEach(() => test.dispose());

  const sitesIn = async (scope: Parameters<typeof siteCondition>[0], column = 'id') =>
    (
      await test.database.db
        .selectFrom('sites')
        .select('id')
        .where(siteCondition(scope, column))
        .orderBy('id')
        .execute()
    ).map((row) => row.id);

  it('keeps the rows of the scope, with a plain or a qualified column', async () => {
    expect(await sitesIn(ALL_SITES)).toEqual(['east', 'north', 'west']);
    expect(await sitesIn(siteScopeOf(['west', 'east']))).toEqual(['east', 'west']);
    expect(await sitesIn(siteScopeOf(['north']), 'sites.id')).toEqual(['north']);
    expect(await sitesIn(siteScopeOf(['nowhere']))).toEqual([]);
  });

  it('treats a site id as a value, never as SQL', async () => {
    expect(await sitesIn(siteScopeOf(["east') or ('1' = '1"]))).toEqual([]);
  });
});
