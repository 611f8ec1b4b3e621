/**
 * A select that searches operators on the server as one types (display name and username), for the forms that name
 * another operator: stock issued to a cashier, a till handed over. `path` is the API list that answers `?q=` with
 * OperatorChoice rows — each form's own list, so it offers only operators the API would accept there.
 */
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { OperatorChoice } from '../api/types';

export function operatorLabel(operator: OperatorChoice): string {
  return operator.displayName && operator.displayName !== operator.username
    ? `${operator.displayName}（${operator.username}）`
    : operator.username;
}

export function OperatorSelect({
  path,
  id,
  value,
  onChange,
  ariaLabel,
  testId,
  style,
}: {
  path: string;
  id?: string;
  value?: string;
  onChange?: (id: string) => void;
  ariaLabel: string;
  testId: string;
  style?: React.CSSProperties;
}) {
  const [q, setQ] = useState('');
  const query = useQuery({
    queryKey: ['operator-choices', path, q],
    queryFn: () => api.get<OperatorChoice[]>(path, q ? { q } : undefined),
    placeholderData: (previous) => previous,
  });
  return (
    <Select
      {...(id ? { id } : {})}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={query.isFetching}
      aria-label={ariaLabel}
      data-testid={testId}
      style={style}
      options={(query.data ?? []).map((operator) => ({ value: operator.id, label: operatorLabel(operator) }))}
    />
  );
}
