// The trades table's pieces in report.js: rows rebuilt from the column arrays
// of report/trade_table.hpp, paging, and chart markers from their arrays.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const R = require(path.join(__dirname, '../../engine/src/report/assets/report.js'));

// Two trades as write_report lays them out for daily bars.
const daily = {
  total: 5, strategies: ['s1', 's2'], symbols: ['AAA', 'BBB'], time_unit: 86400,
  time_origin: 1706572800,  // 2024-01-30
  number: [2, 5], strategy: [0, 1], symbol: [1, 0], long: [1, 0], entry: [0, 3], held: [2, 4],
  entry_price: [10, 20], exit_price: [12, 26], quantity: [10, 5], commission: [2, 1],
  net_pnl: [18, -31], gross_pnl: [20, -30]
};

test('trade rows come back from the column arrays', () => {
  const rows = R.tradeRows(daily);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0], {
    index: 2, strategy: 's1', symbol: 'BBB', direction: 'long', entry_time: '2024-01-30',
    entry_price: 10, exit_time: '2024-02-01', exit_price: 12, quantity: 10, gross_pnl: 20,
    commission: 2, net_pnl: 18, return: 18 / 100, holding_days: 2
  });
  assert.equal(rows[1].direction, 'short');
  assert.equal(rows[1].entry_time, '2024-02-02');
  assert.equal(rows[1].exit_time, '2024-02-06');
  assert.equal(rows[1].holding_days, 4);
});

test('intraday trade times keep their clock time', () => {
  const t = Object.assign({}, daily, {time_unit: 1, entry: [34200, 0], held: [3600, 60]});
  const rows = R.tradeRows(t);
  assert.equal(rows[0].entry_time, '2024-01-30 09:30:00');
  assert.equal(rows[0].exit_time, '2024-01-30 10:30:00');
  assert.equal(rows[0].holding_days, 3600 / 86400);
});

test('no trades, or none recorded, give no rows', () => {
  assert.deepEqual(R.tradeRows(undefined), []);
  assert.deepEqual(R.tradeRows(Object.assign({}, daily, {number: []})), []);
});

test('a zero-cost trade has no return', () => {
  const t = Object.assign({}, daily, {entry_price: [0, 20]});
  assert.equal(R.tradeRows(t)[0].return, null);
});

test('pages hold at most their size and are clamped to those that exist', () => {
  const rows = Array.from({length: 250}, (_, i) => i);
  assert.deepEqual(R.pageOf(rows, 0, 100), {page: 0, pages: 3, first: 0, rows: rows.slice(0, 100)});
  assert.equal(R.pageOf(rows, 2, 100).rows.length, 50);
  assert.equal(R.pageOf(rows, 9, 100).page, 2);
  assert.equal(R.pageOf(rows, -1, 100).page, 0);
  assert.deepEqual(R.pageOf([], 0, 100), {page: 0, pages: 1, first: 0, rows: []});
});

test('markers: side, role and merged fills', () => {
  assert.deepEqual(R.markerOf([100, 1, 0, 10, 1], true),
                   {time: 100, position: 'belowBar', shape: 'arrowUp', color: '#1a7f37', text: 'Buy 10'});
  assert.deepEqual(R.markerOf([100, 0, 1, 30, 3], true),
                   {time: 100, position: 'aboveBar', shape: 'arrowDown', color: '#cf222e', text: '3 sells 30'});
  assert.equal(R.markerOf([100, 0, 1, 30, 3], false).text, '');
});
