/**
 * Reading a multi-user device's user index back from InfluxDB. It is a tag (reading-points.ts), but
 * points written before that carry a field of the same name, and a measurement holding both makes
 * the bare name ambiguous: `SELECT *` then returns the field as `user_index` and the tag as
 * `user_index_1`, and DELETE refuses a bare name it takes for a field. So every query names the tag
 * and the field explicitly (`::tag`, `::field`, both verified against influxd 1.x) and accepts either.
 */
import { quoteIdent } from './influx-v1.js';
import { USER_INDEX_TAG } from './reading-points.js';

/** Column aliases; they cannot collide with component names (camelCase) or the meta fields. */
export const USER_INDEX_AS_TAG = 'user_index__tag';
export const USER_INDEX_AS_FIELD = 'user_index__field';

const NAME = quoteIdent(USER_INDEX_TAG);

/** To append to `SELECT *`: the tag and the old field under names of their own. */
export const USER_INDEX_SELECT = `${NAME}::tag AS ${quoteIdent(USER_INDEX_AS_TAG)}, ${NAME}::field AS ${quoteIdent(USER_INDEX_AS_FIELD)}`;

/** Columns of a `SELECT *, USER_INDEX_SELECT` row that are the user index, under any name. */
export function isUserIndexColumn(column: string): boolean {
  return column === USER_INDEX_AS_TAG || column === USER_INDEX_AS_FIELD || column === USER_INDEX_TAG || /^user_index_\d+$/.test(column);
}

/** The user index of a row, from the tag (a string) or else the old field (a number). */
export function userIndexOfRow(columns: readonly string[], row: readonly unknown[]): number | undefined {
  const tag = row[columns.indexOf(USER_INDEX_AS_TAG)];
  if (typeof tag === 'string' && /^\d+$/.test(tag)) return Number(tag);
  const field = row[columns.indexOf(USER_INDEX_AS_FIELD)];
  return typeof field === 'number' ? field : undefined;
}

/** WHERE condition: the point belongs to this user index, as a tag or as an old field. */
export function userIndexCondition(userIndex: number): string {
  const n = Math.trunc(userIndex);
  return `(${NAME}::tag = '${n}' OR ${NAME}::field = ${n})`;
}

/** DELETE condition on the tag alone (DELETE filters on tags only): '' is the series without it. */
export function userIndexTagCondition(userIndex: number | undefined): string {
  return `${NAME}::tag = '${userIndex === undefined ? '' : Math.trunc(userIndex)}'`;
}
