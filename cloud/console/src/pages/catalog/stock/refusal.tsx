/**
 * A stock operation the API refused, with what its details name: the bad lines of an import (by the line the
 * operator pasted), the codes whose state forbids the move, or codes the stock does not know.
 */
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { asApiError } from '../../../api/errors';
import type { StockImportRejection } from '../../../api/types';
import { describeError } from '../../../components/feedback';
import type { StockState } from '../vocabulary';

const SHOWN = 50;

interface Details {
  rejected?: { position: number; code: string; reason: StockImportRejection }[];
  codes?: { code: string; state: StockState; holderId: string | null }[];
  unknown?: string[];
}

export function StockRefusal({ error, lines }: { error: unknown; lines?: readonly number[] }) {
  const { t } = useTranslation('catalog');
  if (!error) return null;
  const apiError = asApiError(error);
  const details = (
    typeof apiError.details === 'object' && apiError.details !== null ? apiError.details : {}
  ) as Details;
  let heading: string | null = null;
  let items: string[] = [];
  if (apiError.code === 'STOCK_IMPORT_REJECTED' && details.rejected) {
    heading = t('stock.importRejected', { count: details.rejected.length });
    items = details.rejected.map((entry) =>
      t('stock.importLine', {
        line: lines?.[entry.position - 1] ?? entry.position,
        code: entry.code,
        reason: t(`stock.rejections.${entry.reason}`),
      }),
    );
  } else if (apiError.code === 'STOCK_CODES_UNAVAILABLE' && details.codes) {
    heading = t('stock.move.refused');
    items = details.codes.map((entry) =>
      t('stock.move.refusedLine', { code: entry.code, state: t(`stock.states.${entry.state}`) }),
    );
  } else if (apiError.code === 'STOCK_CODE_UNKNOWN' && details.unknown) {
    heading = t('stock.move.unknown');
    items = details.unknown;
  }
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="stock-refusal"
      title={describeError(error)}
      description={
        heading ? (
          <>
            <div>{heading}</div>
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 18, maxHeight: 220, overflow: 'auto' }}>
              {items.slice(0, SHOWN).map((item) => (
                <li key={item}>{item}</li>
              ))}
              {items.length > SHOWN ? <li>… {items.length - SHOWN}</li> : null}
            </ul>
          </>
        ) : undefined
      }
    />
  );
}
