// Renders sweep.html from its JSON block: a heatmap of the metric over two
// axes (the best value over the other axes), the best points, and the
// metric's distribution. Plain DOM, no library: the page works offline.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('qtrader-sweep-data').textContent);
  var root = document.documentElement;
  var byId = function (id) { return document.getElementById(id); };
  var fmt = function (v) { return v === null || v === undefined || isNaN(v) ? '-' : Number(v.toPrecision(4)).toString(); };
  var done = data.rows.filter(function (r) { return r.status === 'done'; });

  function metricOf(row, m) {
    var v = row.metrics[data.metrics.indexOf(m)];
    return v === null || v === undefined ? NaN : v;
  }
  function fill(select, names, chosen) {
    names.forEach(function (n) {
      var o = document.createElement('option');
      o.value = n; o.textContent = n; o.selected = n === chosen;
      select.appendChild(o);
    });
  }
  function cell(tag, text) { var c = document.createElement(tag); c.textContent = text; return c; }
  // Red (worst) to green (best), by rank within [lo, hi].
  function colour(v, lo, hi) {
    var t = hi > lo ? (v - lo) / (hi - lo) : 1;
    return 'hsl(' + Math.round(120 * t) + ', 60%, ' + Math.round(88 - 30 * t) + '%)';
  }

  function heatmap(m, xi, yi) {
    var table = byId('heatmap');
    table.textContent = '';
    var xs = data.axes[xi].values, ys = yi >= 0 ? data.axes[yi].values : [''];
    var best = {}, lo = Infinity, hi = -Infinity;
    done.forEach(function (r) {
      var v = metricOf(r, m);
      if (isNaN(v)) return;
      var key = r.values[xi] + '\u0000' + (yi >= 0 ? r.values[yi] : '');
      if (!(key in best) || v > best[key]) best[key] = v;
    });
    Object.keys(best).forEach(function (k) { lo = Math.min(lo, best[k]); hi = Math.max(hi, best[k]); });
    var head = document.createElement('tr');
    head.appendChild(cell('th', yi >= 0 ? data.axes[yi].name + ' \\ ' + data.axes[xi].name : data.axes[xi].name));
    xs.forEach(function (x) { head.appendChild(cell('th', x)); });
    table.appendChild(head);
    var cells = 0;
    ys.forEach(function (y) {
      var tr = document.createElement('tr');
      tr.appendChild(cell('th', y));
      xs.forEach(function (x) {
        var key = x + '\u0000' + y, td;
        if (key in best) {
          td = cell('td', fmt(best[key]));
          td.style.background = colour(best[key], lo, hi);
          td.setAttribute('data-value', String(best[key]));
          cells++;
        } else {
          td = cell('td', '-');
          td.className = 'none';
        }
        tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    root.setAttribute('data-heatmap-cells', String(cells));
  }

  function bestTable(m) {
    var table = byId('best');
    table.textContent = '';
    var rows = done.slice().sort(function (a, b) {
      var va = metricOf(a, m), vb = metricOf(b, m);
      if (isNaN(va) !== isNaN(vb)) return isNaN(va) ? 1 : -1;
      if (va !== vb && !isNaN(va)) return vb - va;
      return a.point - b.point;
    }).slice(0, data.top);
    var head = document.createElement('tr');
    head.appendChild(cell('th', 'point'));
    data.axes.forEach(function (a) { head.appendChild(cell('th', a.name)); });
    data.metrics.forEach(function (n) { head.appendChild(cell('th', n)); });
    table.appendChild(head);
    rows.forEach(function (r) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-point', String(r.point));
      tr.appendChild(cell('td', String(r.point)));
      r.values.forEach(function (v) { tr.appendChild(cell('td', v)); });
      r.metrics.forEach(function (v) { tr.appendChild(cell('td', fmt(v))); });
      table.appendChild(tr);
    });
    root.setAttribute('data-best-first', rows.length ? String(rows[0].point) : '');
  }

  function histogram(m) {
    var box = byId('histogram'), axis = byId('histogram-axis');
    box.textContent = ''; axis.textContent = '';
    var vs = done.map(function (r) { return metricOf(r, m); }).filter(function (v) { return !isNaN(v); });
    var bins = Math.max(1, Math.min(data.bins, vs.length));
    var lo = Math.min.apply(null, vs), hi = Math.max.apply(null, vs);
    var counts = new Array(bins).fill(0);
    vs.forEach(function (v) {
      var i = hi > lo ? Math.floor((v - lo) / (hi - lo) * bins) : 0;
      counts[Math.min(i, bins - 1)]++;
    });
    var most = Math.max.apply(null, counts.concat([1]));
    counts.forEach(function (c) {
      var bar = document.createElement('div');
      bar.style.height = (100 * c / most) + '%';
      bar.setAttribute('data-count', String(c));
      bar.title = c + ' points';
      box.appendChild(bar);
    });
    axis.appendChild(cell('span', vs.length ? fmt(lo) : ''));
    axis.appendChild(cell('span', vs.length ? fmt(hi) : ''));
    root.setAttribute('data-histogram-points', String(vs.length));
  }

  var metric = byId('metric'), x = byId('x-axis'), y = byId('y-axis');
  var names = data.axes.map(function (a) { return a.name; });
  fill(metric, data.metrics, data.metric);
  fill(x, names, names[0]);
  fill(y, ['(none)'].concat(names), names.length > 1 ? names[1] : '(none)');
  function render() {
    var m = metric.value, xi = names.indexOf(x.value), yi = names.indexOf(y.value);
    heatmap(m, xi, yi === xi ? -1 : yi);
    bestTable(m);
    histogram(m);
    root.setAttribute('data-rendered', m);
  }
  [metric, x, y].forEach(function (s) { s.addEventListener('change', render); });
  render();
})();
