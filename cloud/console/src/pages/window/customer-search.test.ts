import { describe, expect, it } from 'vitest';
import type { Customer } from '../../api/types';
import { activeCard, customerSearches, mergeFound, searchQuery } from './customer-search';

describe('finding the customer from one field', () => {
  it('reads an ID number, a phone number and a member card', () => {
    expect(customerSearches('11010519500315123x')).toEqual([
      { by: 'idNumber', idNumber: '11010519500315123X' },
    ]);
    expect(customerSearches('+86 138-0013-8000')).toEqual([{ by: 'phone', phone: '13800138000' }]);
    expect(customerSearches('04:A2:2B:1C:5D:80:00')).toEqual([{ by: 'cardUid', cardUid: '04A22B1C5D8000' }]);
    expect(customerSearches('04a22b1c')).toEqual([{ by: 'cardUid', cardUid: '04A22B1C' }]);
  });

  it('asks both ways when the digits may be a phone or a card', () => {
    expect(customerSearches('12345678')).toEqual([
      { by: 'phone', phone: '12345678' },
      { by: 'cardUid', cardUid: '12345678' },
    ]);
  });

  it('asks nothing for what is none of them', () => {
    expect(customerSearches('')).toEqual([]);
    expect(customerSearches('张三')).toEqual([]);
    expect(customerSearches('12ab')).toEqual([]);
  });

  it('builds the query and merges what several searches found', () => {
    expect(searchQuery({ by: 'phone', phone: '13800138000' }, 'park')).toEqual({
      siteId: 'park',
      limit: '20',
      phone: '13800138000',
    });
    const a = { id: 'a', cards: [] } as unknown as Customer;
    const b = { id: 'b', cards: [] } as unknown as Customer;
    expect(mergeFound([[a], [b, a]]).map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('shows the active member card', () => {
    expect(
      activeCard({
        cards: [
          { id: '1', cardUid: 'AAAAAAAA', status: 'replaced', createdAt: 0, endedAt: 1 },
          { id: '2', cardUid: 'BBBBBBBB', status: 'active', createdAt: 1, endedAt: null },
        ],
      }),
    ).toBe('BBBBBBBB');
  });
});
