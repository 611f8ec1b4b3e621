/** A venue table row's actions: edit, and delete after a confirmation that names the item. */
import { Button, Popconfirm, Space } from 'antd';
import { useTranslation } from 'react-i18next';

export function RowActions({
  name,
  deleteHelp,
  stopsRowClick,
  onEdit,
  onDelete,
}: {
  /** The item's name as the confirmation shows it. */
  name: string;
  /** What deleting it does beyond the row, where that needs saying. */
  deleteHelp?: string;
  /** In a table whose row click picks the row, a click on an action must not pick it too. */
  stopsRowClick?: boolean;
  onEdit: () => void;
  onDelete: () => Promise<unknown>;
}) {
  const { t } = useTranslation('admin');
  return (
    <Space size={0} onClick={stopsRowClick ? (event) => event.stopPropagation() : undefined}>
      <Button type="link" size="small" onClick={onEdit}>
        {t('form.edit')}
      </Button>
      <Popconfirm
        title={t('form.deleteConfirm', { name })}
        description={deleteHelp}
        okButtonProps={{ danger: true }}
        // The mutation's own onError tells the operator; the rejection only ends the confirmation's spinner.
        onConfirm={() => onDelete().catch(() => undefined)}
      >
        <Button type="link" size="small" danger>
          {t('form.delete')}
        </Button>
      </Popconfirm>
    </Space>
  );
}
