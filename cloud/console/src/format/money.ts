/** Money is integer fen everywhere in the API; the console shows ¥ with fen precision and parses input exactly. */

export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan}.${cents}`;
}

/**
 * "12", "12.3", "12.34", "¥1,234.50" → fen, or undefined when the text is not an amount with at most two decimals.
 * Parsed from the digits, never through a float, so 0.29 yuan is 29 fen and not 28.999….
 */
export function parseYuan(text: string): number | undefined {
  const cleaned = text.replace(/[¥,\s]/g, '');
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Fen as the plain yuan text an input shows ("12.50"). */
export function fenToYuanText(fen: number): string {
  return (fen / 100).toFixed(2);
}
