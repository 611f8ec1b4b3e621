/**
 * What a new batch of stock codes has in common whether it is printed here (generate) or brought in (import): the
 * ticket type, an optional note of at most 200 characters (sent only when it says something), and what follows its
 * creation — stock lists refreshed, a message with its number and size, the batch opened.
 */
import { useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StockBatch, StockCreatedBatch } from '../../../api/types';
import { typeName as nameOf } from '../shared';
import type { StockContext } from './context';

const NOTE_MAX = 200;

export function TicketTypeField({ context }: { context: StockContext }) {
  const { t } = useTranslation('catalog');
  const options = context.types.map((type) => ({
    value: type.typeId,
    label: `${nameOf(type)}（#${type.typeId} · ${type.siteId}）`,
  }));
  return (
    <Form.Item
      name="ticketTypeId"
      label={t('stock.ticketType')}
      rules={[{ required: true, message: t('editor.errors.required', { field: t('stock.ticketType') }) }]}
    >
      <Select options={options} showSearch={{ optionFilterProp: 'label' }} />
    </Form.Item>
  );
}

export function NoteField() {
  const { t } = useTranslation('catalog');
  return (
    <Form.Item
      name="note"
      label={t('stock.note')}
      rules={[{ max: NOTE_MAX, message: t('editor.errors.maxLength', { max: NOTE_MAX }) }]}
    >
      <Input />
    </Form.Item>
  );
}

/** The note as the request carries it: trimmed, and left out when blank. */
export function noteOf(note: string | undefined): { note?: string } {
  const trimmed = note?.trim();
  return trimmed ? { note: trimmed } : {};
}

/** The mutation's onSuccess for a created batch; `done` names the message (stock.generated or stock.imported). */
export function useBatchCreated(
  done: 'stock.generated' | 'stock.imported',
  onDone: (batch: StockBatch) => void,
) {
  const { t } = useTranslation('catalog');
  const { message } = App.useApp();
  const client = useQueryClient();
  return (batch: StockCreatedBatch) => {
    void client.invalidateQueries({ queryKey: ['stock'] });
    void message.success(t(done, { id: batch.batchId, count: batch.count }));
    onDone(batch);
  };
}
