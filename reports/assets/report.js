// skilltrend report pages. Draws each chart from the JSON option embedded in
// the page (parsed with JSON.parse, never evaluated) and, for filtered
// blocks, switches the chart data, sentence, table and CSV link when a
// selector changes. Text only ever reaches the page through textContent or
// the canvas.
(function () {
  'use strict';

  var statics = [];
  var filtered = [];

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function selectedKey() {
    var parts = [];
    var selects = document.querySelectorAll('select[data-filter]');
    for (var i = 0; i < selects.length; i++) {
      parts.push(selects[i].getAttribute('data-filter') + '=' + selects[i].value);
    }
    return parts.join(';');
  }

  function csvField(s) {
    s = String(s);
    if (/^[=+@\t\r]/.test(s) || (/^-/.test(s) && isNaN(Number(s)))) {
      s = "'" + s;
    }
    if (/[",\r\n]/.test(s)) {
      s = '"' + s.replace(/"/g, '""') + '"';
    }
    return s;
  }

  function fillTable(table, header, rows) {
    var thead = table.tHead;
    var tbody = table.tBodies[0];
    thead.textContent = '';
    tbody.textContent = '';
    var tr = document.createElement('tr');
    for (var i = 0; i < header.length; i++) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.textContent = header[i];
      tr.appendChild(th);
    }
    thead.appendChild(tr);
    for (var r = 0; r < rows.length; r++) {
      var row = document.createElement('tr');
      for (var c = 0; c < rows[r].length; c++) {
        var td = document.createElement('td');
        td.textContent = rows[r][c];
        row.appendChild(td);
      }
      tbody.appendChild(row);
    }
  }

  function csvHref(header, rows) {
    var lines = [header.map(csvField).join(',')];
    for (var r = 0; r < rows.length; r++) {
      lines.push(rows[r].map(csvField).join(','));
    }
    return 'data:text/csv;charset=utf-8,' + encodeURIComponent(lines.join('\r\n') + '\r\n');
  }

  // tableRows lays a variant out as table rows: the x label, each series
  // (percentages) and each extra column (counts).
  function tableRows(x, v) {
    var rows = [];
    for (var i = 0; i < x.length; i++) {
      var row = [x[i]];
      for (var s = 0; s < v.series.length; s++) {
        var n = v.series[s][i];
        row.push(n === null || n === undefined ? '' : n.toFixed(1) + '%');
      }
      var extra = v.extra || [];
      for (var e = 0; e < extra.length; e++) {
        var c = extra[e][i];
        row.push(c === null || c === undefined ? '' : String(c));
      }
      rows.push(row);
    }
    return rows;
  }

  function byData(attr, id) {
    return document.querySelector('[' + attr + '="' + id + '"]');
  }

  function showFiltered(f, key) {
    var v = Object.prototype.hasOwnProperty.call(f.data.variants, key) ? f.data.variants[key] : null;
    var sentence = byData('data-sentence', f.id);
    var nodata = byData('data-nodata', f.id);
    var table = byData('data-table', f.id);
    var csv = byData('data-csv', f.id);
    nodata.hidden = !!v;
    csv.hidden = !v;
    table.closest('details').hidden = !v;
    if (!v) {
      sentence.textContent = '';
      f.el.classList.add('empty');
      f.chart.clear();
      return;
    }
    var rows = tableRows(f.data.x, v);
    sentence.textContent = v.sentence;
    fillTable(table, f.data.header, rows);
    csv.href = csvHref(f.data.header, rows);
    csv.setAttribute('download', f.id + '-' + key.replace(/[^a-z0-9]+/gi, '-') + '.csv');
    var opt = JSON.parse(f.frame);
    if (opt.xAxis && opt.xAxis.length) {
      opt.xAxis[0].data = f.data.x;
    }
    for (var i = 0; i < opt.series.length; i++) {
      opt.series[i].data = v.series[i] || [];
    }
    f.el.classList.remove('empty');
    f.chart.setOption(opt, true);
  }

  function show() {
    var key = selectedKey();
    for (var i = 0; i < filtered.length; i++) {
      showFiltered(filtered[i], key);
    }
  }

  function init() {
    var els = document.querySelectorAll('div.chart[data-options]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      el.style.height = (parseInt(el.getAttribute('data-height'), 10) || 320) + 'px';
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      var optID = el.getAttribute('data-options');
      var varID = el.getAttribute('data-variants');
      if (varID) {
        filtered.push({
          id: el.closest('section').id,
          el: el,
          chart: chart,
          frame: document.getElementById(optID).textContent,
          data: readJSON(varID)
        });
      } else {
        chart.setOption(readJSON(optID));
        statics.push(chart);
      }
    }
    var selects = document.querySelectorAll('select[data-filter]');
    for (var k = 0; k < selects.length; k++) {
      selects[k].addEventListener('change', show);
    }
    show();
    window.addEventListener('resize', function () {
      for (var m = 0; m < statics.length; m++) {
        statics[m].resize();
      }
      for (var n = 0; n < filtered.length; n++) {
        filtered[n].chart.resize();
      }
    });
  }

  init();
}());
