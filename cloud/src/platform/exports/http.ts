/**
 * Answering a report export over HTTP: `?format=csv|xlsx|pdf&lang=zh-CN|en` (a report route spreads
 * `exportQueryShape` into its querystring object, so a bad format is the catalogue's 400 VALIDATION_FAILED like any
 * other bad input; without `lang` the Accept-Language decides), the right Content-Type, and a Content-Disposition
 * whose filename is the report's title in the export's language (RFC 6266 with an RFC 5987 `filename*` in UTF-8,
 * and a plain ASCII `filename` for old clients). A HEAD request gets the headers and no report is made.
 *
 *   app.get('/takings/export', { config: { access: 'reports.read' },
 *     schema: { querystring: z.object({ ...periodShape, ...exportQueryShape }),
 *               response: { ...exportResponseSchema, 400: errorResponseSchema, 404: errorResponseSchema } } },
 *     async (request, reply) =>
 *       sendExport(request, reply, reports.takingsTable(request.query, siteScopeOfRequest(request)), request.query));
 *
 * Errors, and what the client sees:
 * - The first row is read before anything is sent: an error thrown by the rows before (or while) yielding it — a
 *   report not found, a site out of scope, the database down — answers as every other error does, the catalogue's
 *   JSON with its status (so does one that comes before the first byte has left, should it be that early).
 * - Once the file has started, the status and headers are gone: an error after that (a later page of rows, the
 *   totals) destroys the response, so the client sees a cut-off download (a network error, never a file that looks
 *   complete), and the error is logged with the request. A client that goes away ends the export the same way: the
 *   writers stop reading rows and the rows' iterator is returned, so the report can release its cursor.
 */
import { PassThrough, type Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LANGUAGES, type Language, negotiateLanguage } from '../language.js';
import { writeCsv } from './csv.js';
import { writePdf } from './pdf.js';
import { checkColumns, type ExportOptions, type ReportRow, type ReportTable } from './report.js';
import { writeXlsx } from './xlsx.js';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The export's query parameters, to spread into a report route's querystring object. */
export const exportQueryShape = {
  format: z
    .enum(EXPORT_FORMATS)
    .describe(
      '导出格式：csv（Excel 可直接打开）、xlsx、pdf / Export format: csv (opens in Excel), xlsx, pdf',
    ),
  lang: z
    .enum(LANGUAGES)
    .optional()
    .describe(
      '表头与标题的语言；默认按 Accept-Language / Language of the headers and title; default by Accept-Language',
    ),
};
export const exportQuerySchema = z.object(exportQueryShape);
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/** Bytes go out as a stream (Fastify never serialises it); the schema only documents the response. */
export const exportResponseSchema = {
  200: z
    .unknown()
    .describe('text/csv; application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; application/pdf'),
};

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

type Writer = (table: ReportTable, options: ExportOptions, out: Writable) => Promise<void>;
export const WRITERS: Readonly<Record<ExportFormat, Writer>> = {
  csv: writeCsv,
  xlsx: writeXlsx,
  pdf: writePdf,
};

const RESERVED = new Set(['"', '*', '/', ':', '<', '>', '?', '\\', '|']);

/** A file name safe on every system: no path separators, control or reserved characters; at most 100 characters. */
export function safeFileName(name: string): string {
  const replaced = [...name]
    .map((c) => {
      const code = c.codePointAt(0)!;
      return code < 0x20 || code === 0x7f || RESERVED.has(c) ? '_' : c;
    })
    .join('');
  const cleaned = replaced.replace(/\s+/g, ' ').trim();
  return [...(cleaned || 'report')].slice(0, 100).join('').replace(/^\.+/, '_');
}

/** RFC 5987 value-chars: percent-encoded UTF-8, leaving only the attr-chars as they are. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `attachment; filename="…"; filename*=UTF-8''…` for a download named `name.extension`. */
export function contentDisposition(name: string, fallbackName: string, extension: string): string {
  const full = `${safeFileName(name)}.${extension}`;
  const ascii = safeFileName(fallbackName.replace(/[^\x20-\x7e]+/g, '_')).replace(/[%;]/g, '_');
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${rfc5987(full)}`;
}

/**
 * The table with its first row read: the rows' iterator is started here, so an error in reaching the data
 * surfaces while the answer can still be an error. `close` lets the report release what it holds (a cursor, a
 * connection) when the writer stopped before the end — the client left — even if it never asked for a row.
 */
export async function primed(table: ReportTable): Promise<{ table: ReportTable; close(): Promise<void> }> {
  const iterator = table.rows[Symbol.asyncIterator]();
  let finished = false;
  const close = async () => {
    if (finished) return;
    finished = true;
    await iterator.return?.();
  };
  let first: IteratorResult<ReportRow>;
  try {
    first = await iterator.next();
  } catch (error) {
    finished = true;
    throw error;
  }
  async function* rows(): AsyncGenerator<ReportRow> {
    try {
      let next = first;
      while (!next.done) {
        yield next.value;
        next = await iterator.next();
      }
      finished = true;
    } catch (error) {
      // A source that threw is done: nothing to release.
      finished = true;
      throw error;
    } finally {
      await close();
    }
  }
  return { table: { ...table, rows: rows() }, close };
}

/** Streams `table` as the requested format; see the file's comment for what errors do. */
export async function sendExport(
  request: FastifyRequest,
  reply: FastifyReply,
  table: ReportTable,
  query: ExportQuery,
): Promise<FastifyReply> {
  checkColumns(table.columns);
  const language: Language = query.lang ?? negotiateLanguage(request.headers['accept-language']);
  const name = table.fileName?.[language] ?? table.title[language];
  const fallback = table.fileName?.en ?? table.title.en;
  reply
    .header('content-type', CONTENT_TYPES[query.format])
    .header('content-disposition', contentDisposition(name, fallback, query.format))
    .header('content-language', language)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff');
  // A HEAD request (Fastify answers one for every GET) gets the headers without the report being made.
  if (request.method === 'HEAD') return reply.send();
  const ready = await primed(table);
  const body = new PassThrough();
  WRITERS[query.format](ready.table, { language }, body)
    .catch((error: unknown) => {
      // The writer has destroyed the body; Fastify cuts the response off (or answers the error if nothing was sent).
      request.log.warn({ err: error, format: query.format }, 'report export stopped after it had started');
    })
    .finally(() => ready.close().catch(() => {}));
  return reply.send(body);
}
