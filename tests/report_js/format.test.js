// The pure helpers of report.js (engine/src/report/assets), loaded as a Node
// module. Strings are asserted exactly: they are what a reader of report.html sees.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const R = require(path.join(__dirname, '../../engine/src/report/assets/report.js'));
const DASH = '\u2013';

test('loading in Node renders nothing and exports the helpers', () => {
  assert.equal(typeof document, 'undefined');
  assert.deepEqual(Object.keys(R).sort(), [
    'F', 'axisPercent', 'barTime', 'histPercent', 'histogramBars', 'isIntraday', 'isNum', 'markerOf', 'monthsByYear',
    'pageOf', 'shadeColor', 'signClass', 'summaryValue', 'tradeOrder', 'tradeRows', 'tradeTime']);
});

test('only finite numbers are numbers', () => {
  assert.equal(R.isNum(0), true);
  assert.equal(R.isNum(-1.5), true);
  for (const v of [NaN, Infinity, -Infinity, null, undefined, '1', true, {}])
    assert.equal(R.isNum(v), false, String(v));
});

test('every formatter shows a dash for a missing or non-finite value', () => {
  for (const name of ['pct', 'ratio', 'money', 'num', 'int', 'days'])
    for (const v of [null, undefined, NaN, Infinity, '12'])
      assert.equal(R.F[name](v), DASH, name + '(' + String(v) + ')');
});

test('percent: two decimals and a spaced sign', () => {
  assert.equal(R.F.pct(0.1234), '12.34 %');
  assert.equal(R.F.pct(-0.05), '-5.00 %');
  assert.equal(R.F.pct(0), '0.00 %');
  assert.equal(R.F.pct(1.5), '150.00 %');
});

test('ratio and days: fixed decimals', () => {
  assert.equal(R.F.ratio(1.234), '1.23');
  assert.equal(R.F.ratio(-0.5), '-0.50');
  assert.equal(R.F.days(12.34), '12.3');
  assert.equal(R.F.days(0), '0.0');
});

test('money: US grouping, always two decimals', () => {
  assert.equal(R.F.money(1234567.891), '1,234,567.89');
  assert.equal(R.F.money(-909.8), '-909.80');
  assert.equal(R.F.money(0), '0.00');
});

test('num: US grouping, up to six decimals, no trailing zeros', () => {
  assert.equal(R.F.num(0.1234567), '0.123457');
  assert.equal(R.F.num(1234.5), '1,234.5');
  assert.equal(R.F.num(100), '100');
});

test('int and text', () => {
  assert.equal(R.F.int(97), '97');
  assert.equal(R.F.int(0), '0');
  assert.equal(R.F.text('AAPL'), 'AAPL');
  assert.equal(R.F.text(0), '0');
  assert.equal(R.F.text(false), 'false');
  for (const v of [null, undefined, '']) assert.equal(R.F.text(v), DASH);
});

test('sign classes colour gains and losses, not zero', () => {
  assert.equal(R.signClass(0.01), 'pos');
  assert.equal(R.signClass(-3), 'neg');
  assert.equal(R.signClass(0), '');
  assert.equal(R.signClass(null), '');
  assert.equal(R.signClass(NaN), '');
});

test('summary values: fractions rounded, whole numbers and strings as they are', () => {
  assert.equal(R.summaryValue(1 / 3), '0.333333');
  assert.equal(R.summaryValue(1234.56789), '1,234.56789');
  assert.equal(R.summaryValue(12036), '12036');
  assert.equal(R.summaryValue('2bd849ac5d037566'), '2bd849ac5d037566');
  assert.equal(R.summaryValue(null), DASH);
});

test('the drawdown axis shows percent with one decimal', () => {
  assert.equal(R.axisPercent(-7.26), '-7.3 %');
  assert.equal(R.axisPercent(0), '0.0 %');
});

test('bars off midnight UTC make the price charts intraday', () => {
  const day = 86400 * 16000;
  const daily = (t) => ({time_origin: t, time_unit: 86400, bars: [[0], [1]]});
  const seconds = (t) => ({time_origin: t, time_unit: 1, bars: [[0], [3600]]});
  assert.equal(R.isIntraday([daily(day)]), false);
  assert.equal(R.isIntraday([daily(day), seconds(day)]), true);
  assert.equal(R.isIntraday([{time_origin: day, time_unit: 1, bars: [[0], [86400]]}]), false);
  assert.equal(R.barTime(daily(day), [2]), day + 2 * 86400);
  assert.equal(R.isIntraday([]), false);
  assert.equal(R.isIntraday(undefined), false);
});

test('monthly returns are grouped by year and month number', () => {
  assert.deepEqual(R.monthsByYear([
    {period: '2020-01', return: 0.01},
    {period: '2020-12', return: -0.02},
    {period: '2021-03', return: 0},
  ]), {2020: {1: 0.01, 12: -0.02}, 2021: {3: 0}});
  assert.deepEqual(R.monthsByYear(undefined), {});
});

test('return cells deepen with the return, fully from 10 %', () => {
  assert.equal(R.shadeColor(0), 'rgba(26,127,55,0.05)');
  assert.equal(R.shadeColor(0.05), 'rgba(26,127,55,0.275)');
  assert.equal(R.shadeColor(0.1), 'rgba(26,127,55,0.5)');
  assert.equal(R.shadeColor(-0.2), 'rgba(207,34,46,0.5)');
  assert.equal(R.shadeColor(NaN), null);
  assert.equal(R.shadeColor(undefined), null);
});

test('trades sort by a column; missing values last, ties in trade order', () => {
  const trades = [
    {index: 1, symbol: 'MSFT', net_pnl: 5},
    {index: 2, symbol: 'AAPL', net_pnl: null},
    {index: 3, symbol: 'ORCL', net_pnl: -2},
    {index: 4, symbol: 'AAPL', net_pnl: 5},
  ];
  const order = (key, dir) => trades.slice().sort(R.tradeOrder(key, dir)).map((t) => t.index);
  assert.deepEqual(order('net_pnl', 1), [3, 1, 4, 2]);
  assert.deepEqual(order('net_pnl', -1), [1, 4, 3, 2]);
  assert.deepEqual(order('symbol', 1), [2, 4, 1, 3]);
  assert.deepEqual(order('symbol', -1), [3, 1, 2, 4]);
  assert.deepEqual(order('index', -1), [4, 3, 2, 1]);
});

test('histogram bars fill the box, the fullest bin to its top', () => {
  assert.deepEqual(R.histogramBars({lo: 0, width: 1, counts: [1, 4, 2, 0]}, 100, 40),
                   [[0, 30, 24, 10], [25, 0, 24, 40], [50, 20, 24, 20], [75, 40, 24, 0]]);
  assert.deepEqual(R.histogramBars(null, 100, 40), []);
});

test('histogram percent axis: three significant digits', () => {
  assert.equal(R.histPercent(-0.0000123), '-0.00123 %');
  assert.equal(R.histPercent(0.05), '5 %');
  assert.equal(R.histPercent(null), DASH);
});
