/**
 * The visit date's picker. Ant Design's DatePicker is the largest library of the till's first screen, so it loads
 * apart from the page: the till takes the keyboard without it, and a read-only field showing the same date stands
 * in for the moment it takes to arrive.
 */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';

export interface VisitDateProps {
  value: string;
  today: string;
  lastDay: string;
  disabled: boolean;
  label: string;
  onChange: (date: string) => void;
}

export function VisitDatePicker({ value, today, lastDay, disabled, label, onChange }: VisitDateProps) {
  return (
    <DatePicker
      value={dayjs(value)}
      allowClear={false}
      disabled={disabled}
      format="YYYY-MM-DD"
      aria-label={label}
      disabledDate={(day) => {
        const text = day.format('YYYY-MM-DD');
        return text < today || text > lastDay;
      }}
      onChange={(day) => day && onChange(day.format('YYYY-MM-DD'))}
      data-testid="visit-date"
    />
  );
}
