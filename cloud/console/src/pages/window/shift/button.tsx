/** The shift's state in the till's header (open, or none yet) and the button that opens the shift drawer. */
import { ClockCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Tag } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { lazyPart } from '../../../components/lazy-part';
import { myShiftsQuery } from '../../shifts/queries';
import { focusSoon } from '../focus';

const ShiftDrawer = lazyPart(
  () => import('./drawer'),
  (module) => module.ShiftDrawer,
);

/** `open` is the desk's: while the drawer is open the till's keyboard shortcuts stand aside. */
export function ShiftButton({
  open,
  setOpen,
  ...props
}: {
  siteId: string;
  windowId: string;
  windowName: string;
  zone: string;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const { t } = useTranslation('shifts');
  const mine = useQuery(myShiftsQuery());
  const current = mine.data?.open.find((s) => s.siteId === props.siteId && s.windowId === props.windowId);
  return (
    <>
      <Tag color={current ? 'green' : 'default'} data-testid="shift-tag">
        {current ? t('states.open') : t('panel.none')}
      </Tag>
      <Button icon={<ClockCircleOutlined />} onClick={() => setOpen(true)} data-testid="shift-button">
        {t('panel.button')}
      </Button>
      {open ? (
        <Suspense fallback={null}>
          <ShiftDrawer
            open={open}
            {...props}
            onClose={() => {
              setOpen(false);
              // The keys go back to the till's ticket types: after the drawer has gone, since it hands the focus
              // back to the button that opened it as it leaves.
              setTimeout(() => focusSoon('window-type-list'), 0);
            }}
          />
        </Suspense>
      ) : null}
    </>
  );
}
