/** Yuan typed into a shift form, as fen: the form rule and the parse (signed for adjustments). */
import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';
import { parseYuan } from '../../format/money';

export function yuanToFen(text: string | undefined, signed = false): number | undefined {
  const trimmed = (text ?? '').trim();
  const negative = signed && trimmed.startsWith('-');
  const fen = parseYuan(negative ? trimmed.slice(1) : trimmed);
  return fen === undefined ? undefined : negative ? -fen : fen;
}

export function yuanRule(
  t: TFunction<'shifts'>,
  options: { signed?: boolean; optional?: boolean } = {},
): Rule {
  return {
    validator: async (_rule, value: string | undefined) => {
      if (!value?.trim()) {
        if (options.optional) return;
        throw new Error(t('panel.required'));
      }
      if (yuanToFen(value, options.signed) === undefined) throw new Error(t('panel.badAmount'));
    },
  };
}
