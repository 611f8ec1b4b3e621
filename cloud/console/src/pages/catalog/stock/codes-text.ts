/**
 * Codes as people paste them: one per line from a scanner, or CSV / spreadsheet rows whose first column is the code.
 * Each code keeps the line it came from, so the API's refusal "position 3" can be shown as the line the operator sees.
 */

export interface CodeList {
  readonly codes: string[];
  /** 1-based source line of each code, same order. */
  readonly lines: number[];
}

/** The first column of a CSV, tab or semicolon separated line, without surrounding quotes and spaces. */
function firstColumn(line: string): string {
  const cell = line.split(/[,;\t]/, 1)[0] ?? '';
  return cell
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
}

export function parseCodeList(text: string): CodeList {
  const codes: string[] = [];
  const lines: number[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    const code = firstColumn(line);
    if (code === '') return;
    // A heading row ("code", "票号") carries no digit: it is not a code anyone meant to import.
    if (codes.length === 0 && !/[0-9０-９]/.test(code)) return;
    codes.push(code);
    lines.push(index + 1);
  });
  return { codes, lines };
}
