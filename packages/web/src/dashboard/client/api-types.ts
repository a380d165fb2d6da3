/**
 * The JSON answers of the collector's statistics API (`docs/collector.md`) as the page reads
 * them. Declared here rather than imported, because the page is a client of a documented API;
 * a type test checks that the collector's own types still fit.
 */

/** A value of a grouped field. */
export type CellValue = string | number | boolean | null;

/** How noise was applied to an answer. */
export interface NoiseBody {
  readonly mechanism: string;
  readonly epsilon: number;
  readonly sensitivity: number;
  readonly budget: { readonly day: string; readonly spent: number; readonly limit: number };
}

/** One cell of `GET /v1/stats`. */
export type StatsCellBody = { readonly period: string; readonly events: number | null; readonly installs: number | null; readonly suppressed: boolean; readonly noised: boolean } & Readonly<Record<string, CellValue>>;

/** One cell of `GET /v1/stats/active`. */
export type ActiveCellBody = { readonly period: string; readonly active: number | null; readonly reports: number | null; readonly suppressed: boolean; readonly noised: boolean } & Readonly<Record<string, CellValue>>;

/** What both statistics answers share. */
export interface AnswerBodyBase<C> {
  readonly event: string;
  readonly groupBy: readonly string[];
  readonly granularity: 'day' | 'week' | 'month';
  readonly from: string;
  readonly to: string;
  readonly k: number;
  readonly noise: NoiseBody | null;
  readonly cells: readonly C[];
  readonly suppressedCells: number;
  readonly withheldCells: number;
}

/** The answer of `GET /v1/stats`. */
export type StatsAnswerBody = AnswerBodyBase<StatsCellBody>;

/** The answer of `GET /v1/stats/active`. */
export type ActiveAnswerBody = AnswerBodyBase<ActiveCellBody> & { readonly field: string | null };

/** An error answer of the collector or the dashboard. */
export interface ErrorAnswerBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: readonly unknown[] };
}
