/**
 * The real-name visitor list of an order. ID numbers are checked once as they arrive and then kept the way ticket
 * holders are (name, masked ID, keyed hash: sales/pricing.ts); the number itself is never stored.
 */
import { AppError } from '../../platform/errors.js';
import { maskResidentId, requireResidentId } from '../../platform/identity/resident-id.js';
import { invalidInput } from '../../platform/validation.js';
import type { CredentialSecrets } from '../signing-keys/secrets.js';

export interface CheckedVisitor {
  readonly row: {
    readonly type_id: number;
    readonly name: string;
    readonly id_masked: string;
    readonly id_hash: string;
  };
}

export interface VisitorInput {
  readonly typeId: number;
  readonly name: string;
  readonly idNumber: string;
}

function invalidVisitor(index: number, field: string, zh: string, en: string): AppError {
  return invalidInput('body', [
    { path: ['visitors', index, field], code: 'custom', messages: { 'zh-CN': zh, en } },
  ]);
}

/** Each visitor's ID checked (ID_NUMBER_INVALID) and hashed; one person appears once. */
export function checkedVisitors(
  visitors: readonly VisitorInput[],
  secrets: () => CredentialSecrets,
): CheckedVisitor[] {
  const seen = new Set<string>();
  return visitors.map((visitor, index) => {
    const { number } = requireResidentId(visitor.idNumber);
    const idHash = secrets().idHash(number);
    if (seen.has(idHash)) throw invalidVisitor(index, 'idNumber', '同一证件重复', 'the same ID number twice');
    seen.add(idHash);
    return {
      row: {
        type_id: visitor.typeId,
        name: visitor.name,
        id_masked: maskResidentId(number),
        id_hash: idHash,
      },
    };
  });
}

export interface LineForVisitors {
  readonly quantity: number;
  readonly type: { readonly typeId: number; readonly realName: 'none' | 'per_ticket' };
}

/**
 * Visitors belong to real-name lines, at most one per person of the line (`at_most`, while the list is being
 * given), or exactly one per person (`exactly`, at pick-up: ORDER_VISITORS_MISSING otherwise).
 */
export function requireVisitorsFit(
  lines: readonly LineForVisitors[],
  visitors: readonly CheckedVisitor[],
  mode: 'at_most' | 'exactly',
): void {
  const given = new Map<number, number>();
  for (const [index, visitor] of visitors.entries()) {
    const typeId = visitor.row.type_id;
    const line = lines.find((l) => l.type.typeId === typeId);
    if (line?.type.realName !== 'per_ticket')
      throw invalidVisitor(
        index,
        'typeId',
        `订单中没有实名票种 ${typeId}`,
        `the order has no real-name line of type ${typeId}`,
      );
    given.set(typeId, (given.get(typeId) ?? 0) + 1);
  }
  for (const line of lines) {
    if (line.type.realName !== 'per_ticket') continue;
    const count = given.get(line.type.typeId) ?? 0;
    if (count > line.quantity || (mode === 'exactly' && count !== line.quantity))
      throw new AppError('ORDER_VISITORS_MISSING', {
        typeId: line.type.typeId,
        expected: line.quantity,
        given: count,
      });
  }
}
