/** How the engine writes values into `NxCell`s: texts, numbers (NaN as the string "NaN"), states. */
import type { Value } from './expression.js';
import type { FieldSymbols } from './symbols.js';

/** JSON has no NaN: the engine sends the string "NaN" where a cell has no number. */
export type QNum = number | 'NaN';

export const qNum = (value: number): QNum => (Number.isFinite(value) ? value : 'NaN');

/** A number as the engine's automatic format writes it: up to 14 significant digits. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(14)));
}

/** An expression's value as text and number (a text has no number). */
export function valueCell(value: Value): { qText: string; qNum: QNum; qIsNull?: true } {
  if (value === null) return { qText: '-', qNum: 'NaN', qIsNull: true };
  if (typeof value === 'number') return { qText: formatNumber(value), qNum: qNum(value) };
  return { qText: value, qNum: 'NaN' };
}

/** A field value's cell; null values are the engine's `-` with `qElemNumber` -2. */
export function symbolCell(symbols: FieldSymbols, symbol: number, state: string): Record<string, unknown> {
  if (symbol < 0) return { qText: '-', qNum: 'NaN', qElemNumber: -2, qState: state, qIsNull: true };
  return { qText: symbols.texts[symbol], qNum: qNum(symbols.nums[symbol]!), qElemNumber: symbol, qState: state };
}

/** A page request (`NxPage`) clipped to a `width` × `height` matrix. */
export function clipPage(
  page: unknown,
  width: number,
  height: number,
): { qLeft: number; qTop: number; qWidth: number; qHeight: number } {
  const { qLeft = 0, qTop = 0, qWidth = 0, qHeight = 0 } = (page ?? {}) as Record<string, number>;
  const left = Math.max(0, Math.min(qLeft, width));
  const top = Math.max(0, Math.min(qTop, height));
  return {
    qLeft: left,
    qTop: top,
    qWidth: Math.max(0, Math.min(qWidth, width - left)),
    qHeight: Math.max(0, Math.min(qHeight, height - top)),
  };
}
