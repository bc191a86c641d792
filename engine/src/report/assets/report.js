// Renders report.html from the JSON embedded in it (write_report.cpp).
// The helpers above render() touch no DOM, so that Node can load this file and
// test them (tests/report_js); where there is no document nothing is drawn.
(function () {
  'use strict';

  // ---- formatting and ordering, without the DOM
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  var F = {
    pct: function (v) { return isNum(v) ? (v * 100).toFixed(2) + ' %' : '\u2013'; },
    ratio: function (v) { return isNum(v) ? v.toFixed(2) : '\u2013'; },
    money: function (v) { return isNum(v) ? v.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2}) : '\u2013'; },
    num: function (v) { return isNum(v) ? v.toLocaleString('en-US', {maximumFractionDigits: 6}) : '\u2013'; },
    int: function (v) { return isNum(v) ? String(v) : '\u2013'; },
    days: function (v) { return isNum(v) ? v.toFixed(1) : '\u2013'; },
    text: function (v) { return (v === null || v === undefined || v === '') ? '\u2013' : String(v); }
  };
  function signClass(v) { return isNum(v) ? (v > 0 ? 'pos' : (v < 0 ? 'neg' : '')) : ''; }
  // Summary values: fractions are rounded like other numbers, whole numbers and
  // strings (hashes, dates) are shown as they are.
  function summaryValue(v) { return F.text(isNum(v) && !Number.isInteger(v) ? F.num(v) : v); }
  // The drawdown chart's axis; its values are already percent.
  function axisPercent(v) { return v.toFixed(1) + ' %'; }

  // A symbol's bars are [offset, open, high, low, close] with times
  // time_origin + offset * time_unit (epoch seconds); daily bars (time_unit
  // 86400) sit on midnight UTC.
  function barTime(s, b) { return s.time_origin + b[0] * s.time_unit; }
  function isIntraday(symbols) {
    return (symbols || []).some(function (s) {
      return s.time_unit !== 86400 && s.bars.some(function (b) { return barTime(s, b) % 86400 !== 0; });
    });
  }
  // {"2020": {1: r, 2: r, ...}} from [{period: "2020-01", return: r}, ...].
  function monthsByYear(monthly) {
    var byYear = {};
    (monthly || []).forEach(function (m) {
      var y = m.period.slice(0, 4), mo = parseInt(m.period.slice(5, 7), 10);
      (byYear[y] = byYear[y] || {})[mo] = m['return'];
    });
    return byYear;
  }
  // A return cell's background: deeper with the size of the return, full from 10 %.
  function shadeColor(v) {
    if (!isNum(v)) return null;
    var a = Math.min(Math.abs(v) / 0.1, 1) * 0.45 + 0.05;
    return v >= 0 ? 'rgba(26,127,55,' + a + ')' : 'rgba(207,34,46,' + a + ')';
  }
  // Trades in the order of one column (dir 1 or -1). Missing values go last
  // either way, and equal values keep the trades' own order (their index).
  function tradeOrder(key, dir) {
    return function (a, b) {
      var x = a[key], y = b[key];
      if (x === y) return a.index - b.index;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
      return String(x).localeCompare(String(y)) * dir;
    };
  }

  // A trade time: seconds since the epoch, UTC; a whole day shows as its date.
  function tradeTime(seconds, unit) {
    var iso = new Date(seconds * 1000).toISOString();
    return unit === 86400 ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  // Row objects from the trades' column arrays (report/trade_table.hpp).
  function tradeRows(t) {
    var rows = [];
    if (!t || !t.number) return rows;
    var unit = t.time_unit || 1;
    for (var i = 0; i < t.number.length; ++i) {
      var entry = t.time_origin + t.entry[i] * unit, exit = entry + t.held[i] * unit;
      var cost = t.entry_price[i] * t.quantity[i];
      rows.push({
        index: t.number[i], strategy: t.strategies[t.strategy[i]], symbol: t.symbols[t.symbol[i]],
        direction: t['long'][i] ? 'long' : 'short',
        entry_time: tradeTime(entry, unit), entry_price: t.entry_price[i],
        exit_time: tradeTime(exit, unit), exit_price: t.exit_price[i], quantity: t.quantity[i],
        gross_pnl: t.gross_pnl[i], commission: t.commission[i], net_pnl: t.net_pnl[i],
        'return': isNum(cost) && cost !== 0 && isNum(t.net_pnl[i]) ? t.net_pnl[i] / cost : null,
        holding_days: (exit - entry) / 86400
      });
    }
    return rows;
  }
  // The rows of page `page` (from 0) of `size` rows, and the page clamped to those that exist.
  function pageOf(rows, page, size) {
    var pages = Math.max(1, Math.ceil(rows.length / size));
    var p = Math.min(Math.max(0, page), pages - 1);
    return {page: p, pages: pages, first: p * size, rows: rows.slice(p * size, (p + 1) * size)};
  }
  // A chart marker from [time, buy, exit, quantity, fills]; merged fills say how many.
  function markerOf(m, withText) {
    var buy = m[1] === 1, n = m[4] || 1;
    return {
      time: m[0],
      position: buy ? 'belowBar' : 'aboveBar',
      shape: buy ? 'arrowUp' : 'arrowDown',
      color: m[2] ? '#cf222e' : '#1a7f37',
      text: !withText ? '' : n > 1 ? n + (buy ? ' buys ' : ' sells ') + m[3] : (buy ? 'Buy ' : 'Sell ') + m[3]
    };
  }

  // A histogram axis of small returns: percent to 3 significant digits.
  function histPercent(v) { return isNum(v) ? parseFloat((v * 100).toPrecision(3)) + ' %' : '\u2013'; }
  // Bars of a histogram ({lo, width, counts}) in a w x h box: [x, y, width,
  // height] per bin, heights scaled to the fullest bin.
  function histogramBars(h, w, hgt) {
    var counts = (h && h.counts) || [], top = Math.max.apply(null, counts.concat([1]));
    var bw = counts.length ? w / counts.length : 0;
    return counts.map(function (c, i) {
      var bh = c / top * hgt;
      return [i * bw, hgt - bh, Math.max(bw - 1, 1), bh];
    });
  }

  function render() {
    var data = JSON.parse(document.getElementById('qtrader-data').textContent);
    var metrics = data.metrics || {};
    var P = metrics.portfolio || {};

    // ---- small helpers (text only: values never become HTML)
    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined && text !== null) e.textContent = text;
      return e;
    }
    function section(title) {
      var s = el('section');
      s.appendChild(el('h2', null, title));
      document.getElementById('content').appendChild(s);
      return s;
    }
    function notice(parent, text) { parent.appendChild(el('div', 'notice', text)); }
    function keyValueTable(rows) {
      var t = el('table');
      rows.forEach(function (r) {
        var tr = el('tr');
        tr.appendChild(el('th', 'l', r[0]));
        var td = el('td', (r[2] || '') + (r[3] ? ' l mono' : ''), r[1]);
        tr.appendChild(td);
        t.appendChild(tr);
      });
      return t;
    }

    // A table from header texts and rows of [text, class] cells.
    function table(heads, rows, id) {
      var t = el('table');
      if (id) t.id = id;
      var h = el('tr');
      heads.forEach(function (x) { h.appendChild(el('th', null, x)); });
      t.appendChild(h);
      rows.forEach(function (r) {
        var tr = el('tr');
        r.forEach(function (c) { tr.appendChild(el('td', c[1] || null, c[0])); });
        t.appendChild(tr);
      });
      return t;
    }

    // ---- header
    var header = document.getElementById('header');
    header.appendChild(el('h1', null, 'Backtest report'));
    header.appendChild(el('div', 'sub', data.results_dir + '  \u00b7  ' + F.text(P.start) + ' \u2192 ' + F.text(P.end)));
    var cards = el('div', 'cards');
    [['Total return', F.pct(P.total_return), signClass(P.total_return)],
     ['CAGR', F.pct(P.cagr), signClass(P.cagr)],
     ['Sharpe', F.ratio(P.sharpe), ''],
     ['Max drawdown', F.pct(P.max_drawdown ? P.max_drawdown.depth : null), 'neg'],
     ['Trades', F.int(P.trades), ''],
     ['Final equity', F.money(P.final_equity), '']].forEach(function (c) {
      var card = el('div', 'card');
      card.appendChild(el('div', 'k', c[0]));
      card.appendChild(el('div', 'v ' + c[2], c[1]));
      cards.appendChild(card);
    });
    header.appendChild(cards);
    var notices = document.getElementById('notices');
    (data.notices || []).forEach(function (n) { notice(notices, n); });

    // ---- charts
    var charts = [];      // {chart, container}
    var benchmarkShown = false;
    var expected = 0;
    var hasLib = typeof LightweightCharts !== 'undefined';
    var eq = data.equity || {time: [], equity: [], drawdown: []};
    var intraday = isIntraday(data.symbols);

    function chartIn(container) {
      var chart = LightweightCharts.createChart(container, {
        autoSize: true,
        layout: {background: {type: 'solid', color: '#ffffff'}, textColor: '#1f2328', fontSize: 11},
        grid: {vertLines: {color: '#f0f0f0'}, horzLines: {color: '#f0f0f0'}},
        // One fixed scale width keeps the stacked charts' time axes aligned.
        rightPriceScale: {borderColor: '#d0d7de', minimumWidth: 90},
        // A small minimum bar spacing lets fitContent show decades of daily bars at once.
        timeScale: {borderColor: '#d0d7de', timeVisible: intraday, secondsVisible: false, minBarSpacing: 0.01},
        crosshair: {mode: 0}
      });
      charts.push({chart: chart, container: container});
      return chart;
    }
    function series(values) {
      var out = [];
      for (var i = 0; i < eq.time.length; ++i)
        if (isNum(values[i])) out.push({time: eq.time[i], value: values[i]});
      return out;
    }

    var perf = section('Equity and drawdown');
    var logBox = el('label', 'toggle');
    var logToggle = el('input');
    logToggle.type = 'checkbox';
    logToggle.id = 'log-scale';
    logBox.appendChild(logToggle);
    logBox.appendChild(document.createTextNode(' log scale'));
    perf.appendChild(logBox);
    var eqBox = el('div', 'chart equity'); eqBox.id = 'chart-equity';
    var ddBox = el('div', 'chart drawdown'); ddBox.id = 'chart-drawdown';
    perf.appendChild(eqBox);
    perf.appendChild(ddBox);
    perf.appendChild(el('div', 'legend', 'Equity at the end of each day (top' +
      (eq.benchmark ? '; grey: the benchmark, grown from the same initial equity' : '') +
      '); drawdown below the running peak, in percent (bottom).'));
    expected += 2;
    var sharpeBox = null;
    if (eq.rolling_sharpe && eq.rolling_sharpe.some(isNum)) {
      perf.appendChild(el('h3', null, 'Rolling Sharpe ratio (12 months)'));
      sharpeBox = el('div', 'chart rolling'); sharpeBox.id = 'chart-rolling-sharpe';
      perf.appendChild(sharpeBox);
      expected += 1;
    }

    var exposureBox = null;
    if (eq.exposure && eq.exposure.some(isNum)) {
      perf.appendChild(el('h3', null, 'Net exposure'));
      exposureBox = el('div', 'chart exposure'); exposureBox.id = 'chart-exposure';
      perf.appendChild(exposureBox);
      perf.appendChild(el('div', 'legend', 'Market value of the open positions (shorts negative) over equity, at the end of each day, in percent.'));
      expected += 1;
    }

    var prices = section('Prices and trades');
    if ((data.symbols || []).length === 0) notice(prices, 'No price data to chart.');
    (data.symbols || []).forEach(function (s) {
      prices.appendChild(el('h3', null, s.symbol + (s.bars.length < s.source_bars
        ? '  (' + s.source_bars + ' bars shown as ' + s.bars.length + ' buckets)' : '')));
      var box = el('div', 'chart price');
      box.id = 'chart-price-' + s.symbol;
      prices.appendChild(box);
      s.container = box;
      expected += 1;
    });
    prices.appendChild(el('div', 'legend', 'Markers: \u25b2 buy, \u25bc sell, at the bar of the fill; green opens or adds to a position, red reduces or closes it. A chart with many fills merges those of one kind over spans of bars ("12 buys 120": 12 fills, 120 shares).'));

    if (!hasLib) {
      notice(perf, 'Charts are unavailable: the charting library (lightweight-charts) was not installed when this report was written. Run `npm ci` in the qtrader folder, then `qtrader report ' + data.results_dir + '`.');
    } else {
      var eqChart = chartIn(eqBox);
      eqChart.addSeries(LightweightCharts.AreaSeries, {
        lineColor: '#2962ff', topColor: 'rgba(41,98,255,0.28)', bottomColor: 'rgba(41,98,255,0.02)', lineWidth: 2,
        priceFormat: {type: 'price', precision: 2, minMove: 0.01}
      }).setData(series(eq.equity));
      if (eq.benchmark) {
        benchmarkShown = true;
        eqChart.addSeries(LightweightCharts.LineSeries, {
          color: '#8c959f', lineWidth: 1, priceLineVisible: false, lastValueVisible: false,
          priceFormat: {type: 'price', precision: 2, minMove: 0.01}
        }).setData(series(eq.benchmark));
      }
      // Mode 1 is the library's logarithmic price scale.
      logToggle.addEventListener('change', function () {
        eqChart.priceScale('right').applyOptions({mode: logToggle.checked ? 1 : 0});
      });
      if (sharpeBox) {
        var shChart = chartIn(sharpeBox);
        shChart.addSeries(LightweightCharts.LineSeries, {
          color: '#8250df', lineWidth: 1, priceFormat: {type: 'price', precision: 2, minMove: 0.01}
        }).setData(series(eq.rolling_sharpe));
        shChart.timeScale().fitContent();
      }
      if (exposureBox) {
        var exChart = chartIn(exposureBox);
        exChart.addSeries(LightweightCharts.AreaSeries, {
          lineColor: '#bf8700', topColor: 'rgba(191,135,0,0.25)', bottomColor: 'rgba(191,135,0,0.02)', lineWidth: 1,
          priceFormat: {type: 'custom', formatter: axisPercent, minMove: 0.01}
        }).setData(series(eq.exposure.map(function (v) { return isNum(v) ? v * 100 : v; })));
        exChart.timeScale().fitContent();
      }
      var ddChart = chartIn(ddBox);
      ddChart.addSeries(LightweightCharts.AreaSeries, {
        lineColor: '#cf222e', topColor: 'rgba(207,34,46,0.05)', bottomColor: 'rgba(207,34,46,0.35)', lineWidth: 1,
        invertFilledArea: true,
        priceFormat: {type: 'custom', formatter: axisPercent, minMove: 0.01}
      }).setData(series(eq.drawdown.map(function (v) { return isNum(v) ? v * 100 : v; })));
      eqChart.timeScale().fitContent();
      ddChart.timeScale().fitContent();
      // One time axis for both: scrolling or zooming one moves the other.
      var syncing = false;
      function follow(from, to) {
        from.timeScale().subscribeVisibleLogicalRangeChange(function (range) {
          if (syncing || !range) return;
          syncing = true;
          to.timeScale().setVisibleLogicalRange(range);
          syncing = false;
        });
      }
      follow(eqChart, ddChart);
      follow(ddChart, eqChart);

      (data.symbols || []).forEach(function (s) {
        var chart = chartIn(s.container);
        var candles = chart.addSeries(LightweightCharts.CandlestickSeries, {
          upColor: '#26a69a', downColor: '#ef5350', borderVisible: false,
          wickUpColor: '#26a69a', wickDownColor: '#ef5350'
        });
        candles.setData(s.bars.map(function (b) {
          return {time: barTime(s, b), open: b[1], high: b[2], low: b[3], close: b[4]};
        }));
        var withText = s.markers.length <= 60;
        var marks = s.markers.map(function (m) { return markerOf(m, withText); })
          .sort(function (a, b) { return a.time - b.time; });
        LightweightCharts.createSeriesMarkers(candles, marks);
        chart.timeScale().fitContent();
      });
    }

    // ---- metrics
    var ms = section('Metrics');
    var dd = P.max_drawdown || {};
    var grid = el('div', 'grid2');
    grid.appendChild(keyValueTable([
      ['Period', F.text(P.start) + ' \u2192 ' + F.text(P.end)],
      ['Initial equity', F.money(P.initial_equity)],
      ['Final equity', F.money(P.final_equity)],
      ['Total return', F.pct(P.total_return), signClass(P.total_return)],
      ['CAGR', F.pct(P.cagr), signClass(P.cagr)],
      ['Annual volatility', F.pct(P.annual_volatility)],
      ['Sharpe', F.ratio(P.sharpe)],
      ['Sortino', F.ratio(P.sortino)],
      ['Calmar', F.ratio(P.calmar)],
      ['Risk-free rate', F.pct((metrics.options || {}).risk_free_rate)]
    ]));
    grid.appendChild(keyValueTable([
      ['Max drawdown', F.pct(dd.depth), 'neg'],
      ['Drawdown start', F.text(dd.start)],
      ['Trough', F.text(dd.trough)],
      ['Recovery', dd.recovery ? dd.recovery : (isNum(dd.depth) && dd.depth < 0 ? 'not recovered' : '\u2013')],
      ['Drawdown duration (days)', F.days(dd.duration_days)],
      ['Exposure', F.pct(P.exposure)],
      ['Turnover (per year)', F.ratio(P.annual_turnover)]
    ]));
    ms.appendChild(grid);

    var statRows = [
      ['Trades', 'trades', F.int], ['Win rate', 'win_rate', F.pct], ['Profit factor', 'profit_factor', F.ratio],
      ['Average win', 'average_win', F.money], ['Average loss', 'average_loss', F.money],
      ['Expectancy', 'expectancy', F.money], ['Avg holding (days)', 'average_holding_days', F.days],
      ['Net P&L', 'net_pnl', F.money], ['Commission', 'commission', F.money],
      ['Exposure', 'exposure', F.pct], ['Turnover', 'turnover', F.ratio], ['Turnover per year', 'annual_turnover', F.ratio]
    ];
    function groupTable(title, groups) {
      var names = Object.keys(groups || {});
      ms.appendChild(el('h3', null, title));
      var t = el('table');
      var head = el('tr');
      head.appendChild(el('th', 'l', ''));
      names.forEach(function (n) { head.appendChild(el('th', null, n)); });
      t.appendChild(head);
      statRows.forEach(function (r) {
        var tr = el('tr');
        tr.appendChild(el('th', 'l', r[0]));
        names.forEach(function (n) {
          var v = groups[n][r[1]];
          tr.appendChild(el('td', r[1] === 'net_pnl' || r[1] === 'expectancy' ? signClass(v) : '', r[2](v)));
        });
        t.appendChild(tr);
      });
      ms.appendChild(t);
    }
    // One row per group: a thousand symbols as columns would run off the page.
    function groupRows(title, groups) {
      var names = Object.keys(groups || {});
      ms.appendChild(el('h3', null, title + ' (' + names.length + ')'));
      var box = el('div', 'scroll short');
      var t = el('table');
      t.id = title === 'By symbol' ? 'by-symbol' : 'by-strategy';
      var head = el('tr');
      head.appendChild(el('th', 'l', 'Symbol'));
      statRows.forEach(function (r) { head.appendChild(el('th', null, r[0])); });
      t.appendChild(head);
      names.forEach(function (n) {
        var tr = el('tr');
        tr.appendChild(el('th', 'l', n));
        statRows.forEach(function (r) {
          var v = groups[n][r[1]];
          tr.appendChild(el('td', r[1] === 'net_pnl' || r[1] === 'expectancy' ? signClass(v) : '', r[2](v)));
        });
        t.appendChild(tr);
      });
      box.appendChild(t);
      ms.appendChild(box);
    }
    var strategies = metrics.by_strategy || {};
    groupTable('Portfolio', {portfolio: P});
    if (Object.keys(strategies).length <= 6) groupTable('By strategy', strategies);
    else groupRows('By strategy', strategies);
    groupRows('By symbol', metrics.by_symbol);

    // ---- worst drawdowns
    var wd = metrics.worst_drawdowns || [];
    if (wd.length) {
      ms.appendChild(el('h3', null, 'Worst drawdowns'));
      ms.appendChild(table(['#', 'Depth', 'Peak', 'Trough', 'Recovery', 'Days', 'Days under water'],
        wd.map(function (d, i) {
          return [[F.int(i + 1)], [F.pct(d.depth), 'neg'], [F.text(d.start), 'l'], [F.text(d.trough), 'l'],
                  [d.recovery ? d.recovery : 'not recovered', 'l'], [F.days(d.duration_days)], [F.int(d.days_underwater)]];
        }), 'worst-drawdowns'));
    }

    // ---- monthly returns
    var mr = section('Monthly returns');
    var byYear = monthsByYear(metrics.monthly_returns);
    var yearly = {};
    (metrics.yearly_returns || []).forEach(function (y) { yearly[y.period] = y['return']; });
    var mt = el('table');
    mt.id = 'monthly-returns';
    var mh = el('tr');
    ['Year', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Year']
      .forEach(function (h, i) { mh.appendChild(el('th', i === 0 ? 'l' : null, h)); });
    mt.appendChild(mh);
    function shade(td, v) {
      var color = shadeColor(v);
      if (color) td.style.background = color;
    }
    Object.keys(byYear).sort().forEach(function (y) {
      var tr = el('tr');
      tr.appendChild(el('th', 'l', y));
      for (var m = 1; m <= 12; ++m) {
        var v = byYear[y][m];
        var td = el('td', null, v === undefined ? '' : F.pct(v));
        shade(td, v);
        tr.appendChild(td);
      }
      var yt = el('td', null, F.pct(yearly[y]));
      yt.style.fontWeight = '600';
      shade(yt, yearly[y]);
      tr.appendChild(yt);
      mt.appendChild(tr);
    });
    mr.appendChild(mt);
    mr.appendChild(el('div', 'legend', 'Month-end equity over the previous month-end; the first month over the initial equity.'));

    // ---- annual returns as bars (plain boxes: no chart library needed)
    var years = metrics.yearly_returns || [];
    if (years.length) {
      mr.appendChild(el('h3', null, 'Annual returns'));
      var bars = el('div', 'bars');
      bars.id = 'annual-returns';
      var widest = Math.max.apply(null, years.map(function (y) { return isNum(y['return']) ? Math.abs(y['return']) : 0; })) || 1;
      years.forEach(function (y) {
        var v = y['return'], row = el('div', 'bar-row');
        row.appendChild(el('span', 'bar-label', y.period));
        var track = el('span', 'bar-track');
        var bar = el('span', 'bar ' + (isNum(v) && v < 0 ? 'neg-bar' : 'pos-bar'));
        var w = isNum(v) ? Math.abs(v) / widest * 50 : 0;
        bar.style.width = w + '%';
        bar.style.left = (isNum(v) && v < 0 ? 50 - w : 50) + '%';
        track.appendChild(bar);
        row.appendChild(track);
        row.appendChild(el('span', 'bar-value ' + signClass(v), F.pct(v)));
        bars.appendChild(row);
      });
      mr.appendChild(bars);
    }

    // ---- distributions: histograms drawn on a plain canvas (no time axis)
    var dist = data.distributions || {};
    if (dist.daily_returns || dist.trade_pnl) {
      var ds = section('Distributions');
      var dg = el('div', 'hist-grid');
      ds.appendChild(dg);
      var drawLater = [];
      [['daily_returns', 'Daily returns', histPercent, '#2962ff', 'chart-return-histogram'],
       ['trade_pnl', 'Trade net P&L', F.money, '#8250df', 'chart-trade-pnl-histogram']].forEach(function (d) {
        var h = dist[d[0]];
        if (!h) return;
        var cell = el('div', 'hist');
        cell.appendChild(el('h3', null, d[1] + ' (' + h.n + ')'));
        var box = el('div', 'chart histogram'); box.id = d[4];
        cell.appendChild(box);
        var hi = h.lo + h.width * h.counts.length;
        cell.appendChild(el('div', 'legend', h.counts.length + ' bins from ' + d[2](h.lo) + ' to ' + d[2](hi) +
          (h.clipped_low || h.clipped_high ? '; ' + h.clipped_low + ' below and ' + h.clipped_high +
           ' above (beyond the 1st and 99th percentile) are counted in the end bins' : '') + '.'));
        dg.appendChild(cell);
        charts.push({chart: null, container: box});
        expected += 1;
        drawLater.push([box, h, d[2], d[3]]);
      });
      // Drawn once both boxes are laid out side by side: a canvas sized
      // before its neighbour existed would be twice too wide.
      drawLater.forEach(function (a) { drawHistogram(a[0], a[1], a[2], a[3]); });
    }
    function drawHistogram(box, h, fmt, color) {
      var canvas = document.createElement('canvas');
      var w = box.clientWidth || 500, hgt = box.clientHeight || 200, ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(w * ratio); canvas.height = Math.round(hgt * ratio);
      canvas.style.width = w + 'px'; canvas.style.height = hgt + 'px';
      box.appendChild(canvas);
      var g = canvas.getContext('2d');
      g.scale(ratio, ratio);
      var pad = 22, plotH = hgt - pad - 6;
      g.fillStyle = color;
      histogramBars(h, w - 8, plotH).forEach(function (b) { g.fillRect(4 + b[0], 6 + b[1], b[2], b[3]); });
      g.fillStyle = '#d0d7de';
      g.fillRect(4, 6 + plotH, w - 8, 1);
      var zero = -h.lo / h.width;  // the bin boundary at 0, when in range
      if (zero > 0 && zero < h.counts.length) {
        g.fillStyle = '#1f2328';
        g.fillRect(4 + zero * (w - 8) / h.counts.length, 6, 1, plotH);
      }
      g.fillStyle = '#656d76';
      g.font = '11px system-ui, sans-serif';
      g.textBaseline = 'top';
      g.textAlign = 'left'; g.fillText(fmt(h.lo), 4, hgt - pad + 6);
      g.textAlign = 'right'; g.fillText(fmt(h.lo + h.width * h.counts.length), w - 4, hgt - pad + 6);
      g.textAlign = 'center'; g.fillText(fmt(h.lo + h.width * h.counts.length / 2), w / 2, hgt - pad + 6);
    }

    // ---- trades (sortable, paged: only one page is ever in the DOM)
    var trades = tradeRows(data.trades);
    var total = data.trades && isNum(data.trades.total) ? data.trades.total : trades.length;
    var ts = section('Trades (' + total + ')');
    var cols = [
      ['#', 'index', F.int], ['Strategy', 'strategy', F.text, 'l'], ['Symbol', 'symbol', F.text, 'l'],
      ['Side', 'direction', F.text, 'l'], ['Entry', 'entry_time', F.text, 'l'], ['Entry price', 'entry_price', F.num],
      ['Exit', 'exit_time', F.text, 'l'], ['Exit price', 'exit_price', F.num], ['Quantity', 'quantity', F.num],
      ['Gross P&L', 'gross_pnl', F.money], ['Commission', 'commission', F.money], ['Net P&L', 'net_pnl', F.money],
      ['Return', 'return', F.pct], ['Days', 'holding_days', F.days]
    ];
    if (total === 0) notice(ts, 'No closed trades.');
    var wrap = el('div', 'scroll');
    var tt = el('table');
    tt.id = 'trades';
    var thead = el('thead'), tbody = el('tbody'), hr = el('tr');
    var sortKey = 'index', sortDir = 1, page = 0, pageSize = 100, sorted = trades;
    cols.forEach(function (c) {
      var th = el('th', 'sortable ' + (c[3] || ''), c[0]);
      th.setAttribute('data-key', c[1]);
      th.addEventListener('click', function () {
        if (sortKey === c[1]) sortDir = -sortDir; else { sortKey = c[1]; sortDir = 1; }
        sorted = trades.slice().sort(tradeOrder(sortKey, sortDir));
        page = 0;
        renderTrades();
      });
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    tt.appendChild(thead);
    tt.appendChild(tbody);
    wrap.appendChild(tt);
    var pager = el('div', 'pager');
    var prev = el('button', null, '\u2190 Previous'), next = el('button', null, 'Next \u2192');
    var where = el('span', 'legend');
    prev.addEventListener('click', function () { --page; renderTrades(); });
    next.addEventListener('click', function () { ++page; renderTrades(); });
    pager.appendChild(prev); pager.appendChild(where); pager.appendChild(next);
    if (trades.length) { ts.appendChild(pager); ts.appendChild(wrap); }
    function renderTrades() {
      var p = pageOf(sorted, page, pageSize);
      page = p.page;
      var body = el('tbody');
      p.rows.forEach(function (t) {
        var tr = el('tr');
        cols.forEach(function (c) {
          var cls = (c[3] || '') + (c[1] === 'net_pnl' || c[1] === 'gross_pnl' || c[1] === 'return' ? ' ' + signClass(t[c[1]]) : '');
          tr.appendChild(el('td', cls, c[2](t[c[1]])));
        });
        body.appendChild(tr);
      });
      tt.replaceChild(body, tbody);
      tbody = body;
      where.textContent = ' ' + (p.rows.length ? (p.first + 1) + '\u2013' + (p.first + p.rows.length) : '0') +
        ' of ' + sorted.length + (sorted.length < total ? ' shown (of ' + total + ' trades)' : '') + ' ';
      prev.disabled = p.page === 0;
      next.disabled = p.page >= p.pages - 1;
      Array.prototype.forEach.call(hr.children, function (th) {
        th.classList.remove('sorted-asc', 'sorted-desc');
        if (th.getAttribute('data-key') === sortKey) th.classList.add(sortDir > 0 ? 'sorted-asc' : 'sorted-desc');
      });
    }
    renderTrades();

    // ---- configuration and scripts
    var cs = section('Run configuration');
    var summary = data.summary;
    if (!summary) notice(cs, 'No summary.json in the results folder (the run may have failed before its end).');
    else {
      var rows = [];
      Object.keys(summary).forEach(function (k) {
        var v = summary[k];
        if (v === null || typeof v !== 'object') rows.push([k, summaryValue(v), '', typeof v === 'string']);
      });
      cs.appendChild(el('h3', null, 'Summary'));
      cs.appendChild(keyValueTable(rows));
      if (summary.config && typeof summary.config === 'object') {
        cs.appendChild(el('h3', null, 'Configuration'));
        cs.appendChild(el('pre', 'mono', JSON.stringify(summary.config, null, 2)));
      }
      cs.appendChild(el('h3', null, 'Scripts'));
      if (Array.isArray(summary.scripts) && summary.scripts.length) {
        var st = el('table');
        var sh = el('tr');
        ['Name', 'Path', 'Hash'].forEach(function (h) { sh.appendChild(el('th', 'l', h)); });
        st.appendChild(sh);
        summary.scripts.forEach(function (s) {
          var tr = el('tr');
          tr.appendChild(el('td', 'l', F.text(s.name)));
          tr.appendChild(el('td', 'l mono', F.text(s.path)));
          tr.appendChild(el('td', 'l mono', F.text(s.hash)));
          st.appendChild(tr);
        });
        cs.appendChild(st);
      } else {
        cs.appendChild(el('div', 'legend', 'This run recorded no script hashes.'));
      }
      if (Array.isArray(summary.libraries) && summary.libraries.length) {
        cs.appendChild(el('h3', null, 'Libraries'));
        var lt = el('table');
        var lh = el('tr');
        ['Name', 'Version', 'Hash', 'Path', 'Source'].forEach(function (h) { lh.appendChild(el('th', 'l', h)); });
        lt.appendChild(lh);
        summary.libraries.forEach(function (l) {
          var tr = el('tr');
          tr.appendChild(el('td', 'l', F.text(l.name)));
          tr.appendChild(el('td', 'l', F.text(l.version)));
          tr.appendChild(el('td', 'l mono', F.text(l.hash)));
          tr.appendChild(el('td', 'l mono', F.text(l.path)));
          tr.appendChild(el('td', 'l mono', F.text(l.source)));
          lt.appendChild(tr);
        });
        cs.appendChild(lt);
      }
      if (Array.isArray(summary.open_positions) && summary.open_positions.length) {
        cs.appendChild(el('h3', null, 'Open positions at the end'));
        var pt = el('table');
        var ph = el('tr');
        ['Symbol', 'Quantity', 'Average price', 'Last price'].forEach(function (h, i) { ph.appendChild(el('th', i ? null : 'l', h)); });
        pt.appendChild(ph);
        summary.open_positions.forEach(function (p) {
          var tr = el('tr');
          tr.appendChild(el('td', 'l', F.text(p.symbol)));
          tr.appendChild(el('td', null, F.num(p.quantity)));
          tr.appendChild(el('td', null, F.num(p.avg_price)));
          tr.appendChild(el('td', null, F.num(p.last_price)));
          pt.appendChild(tr);
        });
        cs.appendChild(pt);
      }
    }
    (data.runs || []).forEach(function (r) {
      cs.appendChild(el('h3', null, 'Run record (events.sqlite, table runs)'));
      cs.appendChild(keyValueTable(Object.keys(r).map(function (k) { return [k, F.text(r[k]), '', true]; })));
    });

    // ---- tell tests (and curious readers) that the charts drew
    // Pixels of the container's widest canvas that pass `test` (r, g, b), every
    // fourth pixel counted.
    function ink(container, test) {
      var best = null;
      Array.prototype.forEach.call(container.querySelectorAll('canvas'), function (c) {
        if (!best || c.width * c.height > best.width * best.height) best = c;
      });
      if (!best || !best.width || !best.height) return 0;
      var px = best.getContext('2d').getImageData(0, 0, best.width, best.height).data, n = 0;
      for (var i = 0; i < px.length; i += 16)
        if (px[i + 3] > 0 && test(px[i], px[i + 1], px[i + 2])) ++n;
      return n;
    }
    // The pane canvas is the widest one; count pixels darker than the grid.
    function inked(container) {
      return ink(container, function (r, g, b) { return Math.min(r, g, b) < 200; }) > 50;
    }
    // The benchmark's grey line (#8c959f) on the equity chart.
    function benchmarkInked() {
      return ink(eqBox, function (r, g, b) {
        return Math.abs(r - 140) < 12 && Math.abs(g - 149) < 12 && Math.abs(b - 159) < 12;
      }) > 20;
    }
    document.body.setAttribute('data-charts-expected', String(hasLib ? expected : 0));
    function report() {
      var drawn = 0, ids = [];
      charts.forEach(function (c) { if (inked(c.container)) { ++drawn; ids.push(c.container.id); } });
      document.body.setAttribute('data-charts-drawn', String(drawn));
      // Which charts drew, by container id, so a test names the one that did not.
      document.body.setAttribute('data-charts-drawn-ids', ids.sort().join(' '));
      if (benchmarkShown) document.body.setAttribute('data-benchmark-drawn', benchmarkInked() ? '1' : '0');
      document.body.setAttribute('data-charts-ready', String(charts.length));
      // Tests check that nothing runs off a 1280 px window.
      document.body.setAttribute('data-page-width', String(document.documentElement.scrollWidth));
    }
    // Charts paint on animation frames, which a busy headless browser may
    // deliver late: look again every 200 ms (a few seconds at most) until all drew.
    var looks = 0;
    function look() {
      report();
      if (++looks < 25 && document.body.getAttribute('data-charts-drawn') !== String(charts.length))
        setTimeout(look, 200);
    }
    requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(look, 100); }); });
    setTimeout(look, 300);
  }

  if (typeof module === 'object' && module && module.exports) {
    module.exports = {isNum: isNum, F: F, signClass: signClass, summaryValue: summaryValue,
                      axisPercent: axisPercent, isIntraday: isIntraday, monthsByYear: monthsByYear,
                      shadeColor: shadeColor, tradeOrder: tradeOrder, tradeTime: tradeTime,
                      tradeRows: tradeRows, pageOf: pageOf, markerOf: markerOf,
                      histogramBars: histogramBars, barTime: barTime, histPercent: histPercent};
  }
  if (typeof document !== 'undefined') render();
})();
