/*
 * Draws a job report's charts from its JSON block and checks that the page is complete: every
 * image loaded with a size and every chart drawn. The outcome is attribute data-report-status of
 * <html>: "ok", or "error" with data-report-error saying what failed (also shown in the footer).
 */
(function () {
  'use strict';
  var root = document.documentElement;
  var charts = [];

  function fail(message) {
    if (root.getAttribute('data-report-status') === 'error') {
      return;
    }
    root.setAttribute('data-report-status', 'error');
    root.setAttribute('data-report-error', String(message));
    var status = document.getElementById('report-status');
    if (status) {
      status.textContent = 'Report incomplete: ' + message;
    }
  }

  // why capture: load errors of images and scripts do not bubble
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t !== window && (t.src || t.href)) {
      fail('cannot load ' + (t.src || t.href));
    } else {
      fail(e.message || 'script error');
    }
  }, true);
  window.addEventListener('unhandledrejection', function (e) { fail('unhandled: ' + e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) {
    fail('blocked by the content security policy: ' + e.blockedURI + ' (' + e.violatedDirective + ')');
  });

  var PLANES = [
    { key: 'fused', name: 'fused' },
    { key: 'axial', name: 'axial', colour: '#4d4d4d' },
    { key: 'coronal', name: 'coronal', colour: '#8c8c8c' },
    { key: 'sagittal', name: 'sagittal', colour: '#c4c4c4' },
    { key: 'atlas', name: 'atlas method', colour: '#e0c080' }
  ];

  function barChart(id, data, metric, axisTitle, suggestedMax) {
    var canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    var regions = data.evaluation.classes.filter(function (c) { return c.label >= 1; });
    var datasets = PLANES.map(function (p) {
      return {
        label: p.name,
        data: regions.map(function (c) { return c[p.key] ? c[p.key][metric] : null; }),
        // why: fused bars carry the label colours of the overlays and the legend
        backgroundColor: p.colour ? p.colour : regions.map(function (c) { return data.labels[c.label].colour; }),
        borderColor: '#333',
        borderWidth: p.colour ? 0 : 1
      };
    });
    charts.push(new Chart(canvas, {
      type: 'bar',
      data: { labels: regions.map(function (c) { return c.label + ' ' + data.labels[c.label].name; }), datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, suggestedMax: suggestedMax, title: { display: true, text: axisTitle } } },
        plugins: { legend: { position: 'top' } }
      }
    }));
  }

  function heatMap(data) {
    var canvas = document.getElementById('chart-confusion');
    var matrix = data.evaluation.confusion;
    if (!canvas || !matrix) {
      return;
    }
    var names = data.labels.map(function (l) { return String(l.label); });
    var cells = [];
    matrix.forEach(function (row, r) {
      var total = row.reduce(function (a, b) { return a + b; }, 0);
      row.forEach(function (count, c) {
        cells.push({ x: names[c], y: names[r], v: count, f: total > 0 ? count / total : 0 });
      });
    });
    charts.push(new Chart(canvas, {
      type: 'matrix',
      data: {
        datasets: [{
          label: 'share of the reference label',
          data: cells,
          backgroundColor: function (ctx) {
            var f = ctx.raw ? ctx.raw.f : 0;
            return 'rgba(31, 82, 160, ' + (f === 0 ? 0.03 : 0.12 + 0.88 * f).toFixed(3) + ')';
          },
          borderColor: 'rgba(0, 0, 0, 0.08)',
          borderWidth: 1,
          width: function (ctx) { var a = ctx.chart.chartArea; return a ? a.width / names.length - 1 : 10; },
          height: function (ctx) { var a = ctx.chart.chartArea; return a ? a.height / names.length - 1 : 10; }
        }]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function () { return ''; },
              label: function (ctx) {
                var v = ctx.raw;
                return 'reference ' + v.y + ' → predicted ' + v.x + ': ' + v.v + ' voxels (' + (100 * v.f).toFixed(1) + ' %)';
              }
            }
          }
        },
        scales: {
          x: { type: 'category', labels: names, offset: true, title: { display: true, text: 'predicted label' },
               grid: { display: false } },
          y: { type: 'category', labels: names, offset: true, title: { display: true, text: 'reference label' },
               grid: { display: false } }
        }
      }
    }));
  }

  // why: a style sheet that did not load (or that the page's policy blocked before this script listened)
  // leaves the label swatches without their colour
  function coloured() {
    var swatch = document.querySelector('.swatch');
    return !swatch || window.getComputedStyle(swatch).backgroundColor !== 'rgba(0, 0, 0, 0)';
  }

  function check(expectedCharts) {
    if (!coloured()) {
      fail('the label colours did not apply: a style sheet did not load');
      return;
    }
    var images = Array.prototype.slice.call(document.images);
    var broken = images.filter(function (img) { return !img.complete || img.naturalWidth === 0; });
    if (broken.length > 0) {
      fail(broken.length + ' of ' + images.length + ' image(s) did not load, first ' + broken[0].src);
      return;
    }
    var drawn = charts.filter(function (c) { return c.canvas && c.canvas.width > 0 && c.canvas.height > 0; });
    if (drawn.length !== expectedCharts) {
      fail(drawn.length + ' chart(s) drawn, ' + expectedCharts + ' expected');
      return;
    }
    if (root.getAttribute('data-report-status') === 'loading') {
      root.setAttribute('data-report-status', 'ok');
      document.getElementById('report-status').textContent =
          'Complete: ' + images.length + ' image(s) and ' + drawn.length + ' chart(s).';
    }
  }

  var data;
  try {
    data = JSON.parse(document.getElementById('report-data').textContent);
    if (data.evaluation) {
      if (typeof Chart === 'undefined') {
        throw new Error('the chart library did not load');
      }
      barChart('chart-iou', data, 'iou', 'IoU', 1);
      barChart('chart-dice', data, 'dice', 'Dice', 1);
      barChart('chart-fpfn', data, 'fpFnRatio', 'FP / FN', undefined);
      heatMap(data);
    }
  } catch (e) {
    fail(e && e.message ? e.message : String(e));
  }
  if (document.readyState === 'complete') {
    check(data ? data.expectedCharts : -1);
  } else {
    window.addEventListener('load', function () { check(data ? data.expectedCharts : -1); });
  }
}());
