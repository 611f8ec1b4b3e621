/** The till's ticket types: one big row each, quantity typed with digits, + and −, the selected row highlighted. */
import { MinusOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, InputNumber, Space, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketType } from '../../api/types';
import { formatFen } from '../../format/money';
import { type Cart, sellableOn } from './cart';
import { TYPE_LIST_ID } from './focus';
import { nameIn } from './names';

export function TypeList({
  types,
  cart,
  selected,
  visitDate,
  locked,
  onSelect,
  onQuantity,
  onStep,
  onPersons,
}: {
  types: readonly TicketType[];
  cart: Cart;
  selected: number;
  visitDate: string;
  locked: boolean;
  onSelect: (index: number) => void;
  onQuantity: (typeId: number, quantity: number) => void;
  onStep: (typeId: number, delta: number) => void;
  onPersons: (typeId: number, persons: number) => void;
}) {
  const { t } = useTranslation('window');
  const cell = (isSelected: boolean, extra: CSSProperties = {}): CSSProperties => ({
    padding: '10px 8px',
    background: isSelected ? '#f0fdfa' : '#fff',
    borderTop: `2px solid ${isSelected ? '#0f766e' : '#f0f0f0'}`,
    borderBottom: `2px solid ${isSelected ? '#0f766e' : '#f0f0f0'}`,
    verticalAlign: 'middle',
    ...extra,
  });
  return (
    <Card title={t('types.title')} size="small" styles={{ body: { padding: '2px 8px' } }}>
      {/* A grid: it takes the till's keys (arrows choose the row, digits and + − its quantity). */}
      <table
        id={TYPE_LIST_ID}
        tabIndex={0}
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: ARIA in HTML allows a table to be a grid
        role="grid"
        aria-label={t('types.listLabel')}
        aria-activedescendant={types[selected] ? `type-row-${types[selected].typeId}` : undefined}
        data-testid="type-list"
        style={{ width: '100%', borderCollapse: 'separate', borderSpacing: '0 6px', outline: 'none' }}
      >
        <tbody>
          {types.map((type, index) => {
            const name = nameIn(type.name);
            const quantity = cart.quantities[type.typeId] ?? 0;
            const sellable = sellableOn(type, visitDate);
            const isSelected = index === selected;
            const group = type.kind === 'group';
            const persons = group ? (cart.persons[type.typeId] ?? type.persons.min) : 1;
            const price = type.prices.window ?? 0;
            const edge = isSelected ? '#0f766e' : '#f0f0f0';
            const tags = type.realName === 'per_ticket' || group || !sellable;
            return (
              <tr
                key={type.typeId}
                id={`type-row-${type.typeId}`}
                data-testid={`type-row-${type.typeId}`}
                aria-selected={isSelected}
                onClick={(event) => {
                  onSelect(index);
                  if (!(event.target instanceof HTMLInputElement))
                    document.getElementById(TYPE_LIST_ID)?.focus();
                }}
                style={{ cursor: 'pointer', opacity: sellable ? 1 : 0.55 }}
              >
                <td
                  style={cell(isSelected, {
                    borderLeft: `2px solid ${edge}`,
                    borderRadius: '8px 0 0 8px',
                    paddingLeft: 14,
                    width: '100%',
                  })}
                >
                  <div style={{ fontSize: 18, fontWeight: 600, lineHeight: 1.3 }}>{name}</div>
                  <Space size={4} wrap style={{ display: tags ? undefined : 'none' }}>
                    {type.realName === 'per_ticket' ? <Tag color="blue">{t('types.realName')}</Tag> : null}
                    {group ? (
                      <Tag color="purple">
                        {t('types.group', { min: type.persons.min, max: type.persons.max })}
                      </Tag>
                    ) : null}
                    {!sellable ? <Tag color="red">{t('types.notOnDate')}</Tag> : null}
                  </Space>
                </td>
                <td
                  style={cell(isSelected, {
                    fontSize: 20,
                    fontVariantNumeric: 'tabular-nums',
                    textAlign: 'right',
                    whiteSpace: 'nowrap',
                  })}
                >
                  {formatFen(price)}
                  {group ? <Typography.Text type="secondary">{t('types.perPerson')}</Typography.Text> : null}
                </td>
                <td style={cell(isSelected)}>
                  {group ? (
                    <InputNumber
                      min={type.persons.min}
                      max={type.persons.max}
                      precision={0}
                      value={persons}
                      disabled={locked}
                      onChange={(value) => value !== null && onPersons(type.typeId, value)}
                      aria-label={t('types.personsOf', { type: name })}
                      suffix={t('types.persons')}
                      style={{ width: 96 }}
                    />
                  ) : null}
                </td>
                <td style={cell(isSelected)}>
                  <Space.Compact>
                    <Button
                      tabIndex={-1}
                      icon={<MinusOutlined />}
                      aria-label={t('types.less', { type: name })}
                      disabled={locked || quantity === 0}
                      onMouseDown={(event) => event.preventDefault()}
                      onClick={(event) => {
                        event.stopPropagation();
                        onSelect(index);
                        onStep(type.typeId, -1);
                      }}
                    />
                    <InputNumber
                      min={0}
                      max={200}
                      precision={0}
                      controls={false}
                      value={quantity}
                      disabled={locked || !sellable}
                      onChange={(value) => onQuantity(type.typeId, value ?? 0)}
                      aria-label={t('types.quantityOf', { type: name })}
                      data-testid={`qty-${type.typeId}`}
                      style={{ width: 60, fontSize: 18 }}
                    />
                    <Button
                      tabIndex={-1}
                      icon={<PlusOutlined />}
                      aria-label={t('types.more', { type: name })}
                      disabled={locked || !sellable}
                      onMouseDown={(event) => event.preventDefault()}
                      onClick={(event) => {
                        event.stopPropagation();
                        onSelect(index);
                        onStep(type.typeId, 1);
                      }}
                    />
                  </Space.Compact>
                </td>
                <td
                  style={cell(isSelected, {
                    borderRight: `2px solid ${edge}`,
                    borderRadius: '0 8px 8px 0',
                    minWidth: 96,
                    textAlign: 'right',
                    fontVariantNumeric: 'tabular-nums',
                    fontWeight: 600,
                    paddingRight: 14,
                    whiteSpace: 'nowrap',
                  })}
                  data-testid={`subtotal-${type.typeId}`}
                >
                  {quantity > 0 ? formatFen(price * persons * quantity) : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
