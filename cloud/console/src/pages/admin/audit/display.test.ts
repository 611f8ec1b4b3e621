import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../api/types';
import { admin } from '../../../i18n/areas/admin';
import { type DisplayContext, describeEntry, diffEntry, KNOWN_ACTIONS } from './display';

const context: DisplayContext = {
  language: 'zh-CN',
  nameOf: (entity, id) => (entity === 'role' && id === 'cashier' ? '售票员' : undefined),
  money: (fen) => `¥${(fen / 100).toFixed(2)}`,
};

function entry(action: string, fields: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq: 1,
    at: 0,
    actor: { id: 'a', username: 'admin' },
    action,
    entity: action.split('.')[0]!,
    entityId: null,
    before: null,
    after: null,
    ip: null,
    hash: 'h',
    ...fields,
  };
}

function render(sentence: { key: keyof (typeof admin)['zh-CN']['auditActions']; values: object }) {
  let text: string = admin['zh-CN'].auditActions[sentence.key];
  for (const [name, value] of Object.entries(sentence.values))
    text = text.replaceAll(`{{${name}}}`, String(value));
  return text;
}

describe('the operation log display table', () => {
  it('turns an operator creation into a sentence with the name and the roles', () => {
    const created = entry('operator.create', {
      entityId: 'u-1',
      after: { username: 'li', displayName: '李四', active: true, roles: ['cashier'] },
    });
    expect(describeEntry(created, context)).toEqual({
      key: 'operator_create',
      values: { target: '李四 (li)', roles: '售票员' },
    });
    expect(render(describeEntry(created, context))).not.toMatch(/\{\{/);
  });

  it('names venues by their name in the language and picks the sentence by what changed', () => {
    const site = entry('site.update', {
      entityId: 'park',
      after: { id: 'park', name: { zh: '西湖', en: 'West Lake' } },
    });
    expect(describeEntry(site, { ...context, language: 'en' }).values.target).toBe('West Lake (park)');
    expect(describeEntry(entry('occupancy.capacity.set', { after: { capacity: null } }), context).key).toBe(
      'occupancy_capacity_clear',
    );
    expect(describeEntry(entry('setting.update', { after: { thresholdFen: 50000 } }), context)).toEqual({
      key: 'setting_threshold',
      values: { amount: '¥500.00' },
    });
  });

  it('names the approver typed in a failed second approval, and says when the requester was paused', () => {
    const failed = entry('auth.approval_failed', {
      actor: { id: 'c', username: 'cashier' },
      entity: 'operator',
      entityId: 'c',
      after: { approverUsername: 'finance', failedApprovals: 1, approvalsLockedUntil: null },
    });
    expect(render(describeEntry(failed, context))).toBe(
      '复核失败：输入的复核人 finance 用户名或密码错误，或无审批权限',
    );
    const paused = {
      ...failed,
      after: { approverUsername: 'finance', failedApprovals: 5, approvalsLockedUntil: 1 },
    };
    expect(render(describeEntry(paused, context))).toBe(
      '复核连续 5 次失败（复核人 finance），暂停其复核请求',
    );
  });

  it('tells a shift closed within the threshold from one awaiting approval, and a take-over from an open', () => {
    const closed = (state: string) =>
      render(
        describeEntry(
          entry('shift.close', {
            entity: 'till_shift',
            entityId: 's-1',
            after: { state, countedCashFen: 42_950, varianceFen: -50 },
          }),
          context,
        ),
      );
    expect(closed('closed')).toBe('收班 s-1：实点现金 ¥429.50，差额 ¥-0.50');
    expect(closed('pending_approval')).toBe('收班 s-1：实点现金 ¥429.50，差额 ¥-0.50 超出阈值，待审批');
    const opened = (handoverFrom: string | null) =>
      render(
        describeEntry(
          entry('shift.open', { after: { windowId: 'W01', floatFen: 50_000, handoverFrom } }),
          context,
        ),
      );
    expect(opened(null)).toBe('在窗口 W01 开班，备用金 ¥500.00');
    expect(opened('s-0')).toBe('在窗口 W01 接班，接收现金 ¥500.00 作备用金');
    expect(
      render(
        describeEntry(
          entry('settlement.day_close', { entityId: 'park/2031-03-30', after: { amountFen: 30_000 } }),
          context,
        ),
      ),
    ).toBe('日结 park/2031-03-30，收款 ¥300.00');
  });

  it('shows an action it does not know by the generic sentence, never a bare code', () => {
    expect(describeEntry(entry('party.start', { entityId: 'x' }), context)).toEqual({
      key: 'unknown',
      values: { action: 'party.start', entity: 'party', target: 'x' },
    });
  });

  it('has a row for every action code the cloud writes literally', () => {
    const root = fileURLToPath(new URL('../../../../../src/', import.meta.url));
    const found = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !path.includes('testing'))
          for (const match of readFileSync(path, 'utf8').matchAll(/action: '([a-z_]+\.[a-z_.]+)'/g))
            found.add(match[1]!);
      }
    };
    walk(root);
    expect(found.size).toBeGreaterThan(20);
    expect([...found].filter((action) => !KNOWN_ACTIONS.includes(action))).toEqual([]);
  });

  it('diffs before and after field by field', () => {
    expect(
      diffEntry({ before: { roles: ['a'], active: true }, after: { roles: ['a', 'b'], active: true } }),
    ).toEqual([
      { field: 'roles', before: '["a"]', after: '["a","b"]', changed: true },
      { field: 'active', before: 'true', after: 'true', changed: false },
    ]);
    expect(diffEntry({ before: null, after: { capacity: 5 } })).toEqual([
      { field: 'capacity', before: undefined, after: '5', changed: true },
    ]);
  });
});
