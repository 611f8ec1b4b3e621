import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Access, allows } from '../auth/access';
import { useMe } from '../auth/session';

/** The 403 page: shown in place of a page the operator's roles do not allow (the API would refuse it anyway). */
export function Forbidden({ access }: { access: Access }) {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={t('shell.forbiddenTitle')}
      subTitle={
        <>
          <div data-testid="forbidden">{t('shell.forbidden')}</div>
          {access !== 'authenticated' ? <div>{t('shell.needs', { permission: access })}</div> : null}
        </>
      }
    />
  );
}

export function Guard({ access, children }: { access: Access; children: ReactNode }) {
  const me = useMe();
  if (!allows(me.data ?? undefined, access)) return <Forbidden access={access} />;
  return <>{children}</>;
}
