// The page's script: turns the report's data (core/report/report_data.hpp documents it) into
// Chart.js charts and an HTML trial table. Everything heavy (downsampling, best so far, the
// timeline's bars) was done when the file was written; this only draws.
(function () {
  'use strict';

  const scriptStartMs = performance.now();
  const data = JSON.parse(document.getElementById('tune-report-data').textContent);
  const experiment = data.experiment;
  const trials = data.trials;
  // What tests and users can inspect: each view's chart and how many series it drew.
  const report = { ready: false, views: {}, failed: [], draw_ms: {}, parse_ms: Math.round(performance.now() - scriptStartMs) };
  window.tuneReport = report;

  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;
  Chart.defaults.plugins.legend.display = false;

  // In legend order; the earlier are drawn on top.
  const CATEGORY_COLORS = {
    'completed': '#2b6cb0',
    'running': '#2f9e44',
    'error': '#d64545',
    'paused': '#9c6ade',
    'stopped early': '#e8903a',
    'pending': '#9aa3ad'
  };
  const VIRIDIS = ['#440154', '#482878', '#3e4a89', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];

  // ----- small helpers -----
  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === 'text') node.textContent = value;
      else if (key === 'html') node.innerHTML = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  }
  function formatNumber(value) {
    if (value === null || value === undefined) return '';
    if (typeof value !== 'number') return String(value);
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
    const magnitude = Math.abs(value);
    if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(2).replace(/\.?0+e/, 'e');
    return String(Number(value.toPrecision(4)));
  }
  function formatDuration(seconds) {
    if (seconds === null || seconds === undefined) return '';
    const s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return (h ? h + ' h ' : '') + (h || m ? m + ' min ' : '') + (s % 60) + ' s';
  }
  function withAlpha(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  function viridis(t, alpha) {
    const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(x));
    const a = parseInt(VIRIDIS[i].slice(1), 16), b = parseInt(VIRIDIS[i + 1].slice(1), 16), f = x - i;
    const mix = shift => Math.round(((a >> shift) & 255) * (1 - f) + ((b >> shift) & 255) * f);
    return `rgba(${mix(16)}, ${mix(8)}, ${mix(0)}, ${alpha})`;
  }
  function trialName(index) { return trials[index] ? trials[index].name : '?'; }
  function better(a, b) { return experiment.mode === 'max' ? a > b : a < b; }

  // A view: a titled panel with a one-line caption, added to the page in order.
  function addView(id, title, caption) {
    const body = el('div');
    const section = el('section', { class: 'view', id: 'view-' + id }, [
      el('h2', { text: title }), el('p', { class: 'caption', text: caption }), body]);
    document.getElementById('views').appendChild(section);
    return body;
  }
  function addCanvas(parent, id, short) {
    const canvas = el('canvas', { id: 'chart-' + id });
    parent.appendChild(el('div', { class: short ? 'chart short' : 'chart' }, [canvas]));
    return canvas;
  }
  function categoryLegend(parent, indices) {
    const counts = {};
    for (const i of indices) counts[trials[i].category] = (counts[trials[i].category] || 0) + 1;
    const legend = el('div', { class: 'legend' });
    for (const [name, color] of Object.entries(CATEGORY_COLORS))
      if (counts[name]) legend.appendChild(el('span', {}, [el('span', { class: 'swatch', style: 'background:' + color }),
                                                            document.createTextNode(`${name} (${counts[name]})`)]));
    parent.appendChild(legend);
    return legend;
  }
  function runView(id, draw) {
    const started = performance.now();
    try {
      report.views[id] = draw() || {};
      report.draw_ms[id] = Math.round(performance.now() - started);
    } catch (error) {
      report.failed.push(id);
      console.error(`tune report: the ${id} view failed: ${error && error.stack || error}`);
    }
  }

  // ----- the header -----
  function drawHeader() {
    document.title = `tune report: ${experiment.name}`;
    const header = document.getElementById('summary');
    const running = experiment.state === 'running', ended = experiment.state === 'ended';
    const counts = Object.entries(experiment.status_counts).map(([s, n]) => `${n} ${s}`).join(', ');
    header.appendChild(el('h1', { text: experiment.name }));
    header.appendChild(el('p', { class: 'facts', html:
      `<span class="badge ${experiment.state}">${experiment.state}</span>` +
      (experiment.end_reason && ended ? escapeHtml(experiment.end_reason) + ' · ' : '') +
      `<b>${experiment.trial_count}</b> trials (${escapeHtml(counts || 'none yet')}) · ` +
      `<b>${experiment.result_count.toLocaleString('en-US')}</b> results · ` +
      `${experiment.mode} <b>${escapeHtml(experiment.metric)}</b>` +
      (experiment.wall_time_s !== null ? ` · wall time <b>${formatDuration(experiment.wall_time_s)}</b>` : '') }));
    header.appendChild(el('p', { class: 'facts', html:
      `trainable <code>${escapeHtml(experiment.trainable)}</code> · searcher <code>${escapeHtml(experiment.searcher)}</code> · ` +
      `scheduler <code>${escapeHtml(experiment.scheduler)}</code> · folder <code>${escapeHtml(experiment.dir)}</code>` }));
    header.appendChild(el('p', { class: 'facts', text: `Report written ${experiment.generated_at}` +
      (experiment.started_at ? `; experiment started ${experiment.started_at}` : '') +
      (experiment.ended_at ? `, ended ${experiment.ended_at}` : '') +
      (running ? '. While the experiment runs, tune rewrites this file every 30 s: reload to see new results.'
       : ended ? '.' : `. It stopped before its end and no tune runs it: tune resume ${experiment.dir} continues it.`) }));
    if (data.notes.length) {
      const list = el('ul', { class: 'notes' });
      for (const note of data.notes) list.appendChild(el('li', { text: note }));
      header.appendChild(list);
    }
  }

  // ----- the best trial -----
  function drawBest() {
    const best = data.best;
    const body = addView('best', 'Best trial', best
      ? `The trial whose last result has the best ${experiment.metric} (${experiment.mode}), as tune results reports it.`
      : `No trial has reported a finite ${experiment.metric} yet.`);
    if (!best) return { series: 0 };
    const rows = [['trial', best.name],
                  [experiment.metric, formatNumber(best.value) + (best.iteration !== null ? ` at iteration ${best.iteration}` : '')]];
    if (best.evaluation) for (const [key, value] of Object.entries(best.evaluation)) rows.push([key + ' (evaluate)', formatNumber(value)]);
    rows.push(['config', JSON.stringify(best.config)]);
    rows.push(['checkpoint', best.checkpoint || '(none kept)']);
    const list = el('dl', { class: 'best' });
    for (const [key, value] of rows) {
      list.appendChild(el('dt', { text: key }));
      list.appendChild(el('dd', { class: key === 'config' || key === 'checkpoint' ? 'mono' : '', text: value }));
    }
    body.appendChild(list);
    return { series: 1 };
  }

  // ----- learning curves -----
  function drawCurves() {
    const curves = data.curves;
    const body = addView('curves', 'Learning curves',
      `${experiment.metric} against ${curves.x_label} for every trial, coloured by how it ended; a curve that stops ` +
      'early was stopped by the scheduler, and the black dashes are the cutoffs that stopped trials at each rung.');
    const toggle = el('button', { class: 'toggle', text: 'log scale' });
    body.appendChild(toggle);
    categoryLegend(body, curves.series.map(s => s[0]));
    // One dataset per colour, its trials' curves separated by a null point (a break in the
    // line): Chart.js's cost is per dataset, so 10,000 curves draw as fast as 6.
    const byCategory = {};
    for (const [index, xs, ys] of curves.series) {
      const category = trials[index].category;
      const points = byCategory[category] || (byCategory[category] = []);
      if (points.length) points.push({ x: xs[0], y: null });
      xs.forEach((x, k) => {
        if (k > 0 && x <= xs[k - 1]) points.push({ x: xs[k - 1], y: null }); // an exploit went back: break the line
        points.push({ x: x, y: ys[k], trial: index, lone: xs.length < 3 });
      });
    }
    const alpha = curves.series.length > 200 ? 0.45 : 0.8;
    const categories = Object.keys(CATEGORY_COLORS);
    const datasets = Object.entries(byCategory).map(([category, points]) => {
      const color = CATEGORY_COLORS[category] || '#777';
      return {
        label: category, data: points, borderColor: withAlpha(color, alpha), backgroundColor: color,
        order: categories.indexOf(category),
        borderWidth: 1.2, pointRadius: c => (c.raw && c.raw.lone ? 2 : 0), pointHoverRadius: 3, tension: 0, spanGaps: false
      };
    });
    if (curves.cutoffs.length)
      datasets.push({ type: 'scatter', label: 'rung cutoff', data: curves.cutoffs.map(([x, y]) => ({ x: x, y: y })),
                      pointStyle: 'line', pointRadius: 9, borderWidth: 2.5, borderColor: '#111', backgroundColor: '#111', order: -1 });
    const chart = new Chart(addCanvas(body, 'curves'), {
      type: 'line', data: { datasets: datasets },
      options: {
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: { x: { type: 'linear', title: { display: true, text: curves.x_label } },
                  y: { type: 'linear', title: { display: true, text: experiment.metric } } },
        plugins: { tooltip: { callbacks: { label: c => `${c.raw.trial === undefined ? c.dataset.label : trialName(c.raw.trial)}: ` +
                                                       `${formatNumber(c.parsed.y)} at ${formatNumber(c.parsed.x)}` } } }
      }
    });
    const positive = curves.series.every(s => s[2].every(y => y === null || y > 0));
    if (!positive) toggle.disabled = true;
    toggle.addEventListener('click', () => {
      const log = chart.options.scales.y.type === 'linear';
      chart.options.scales.y.type = log ? 'logarithmic' : 'linear';
      toggle.textContent = log ? 'linear scale' : 'log scale';
      chart.update();
    });
    return { chart: chart, series: curves.series.length, cutoffs: curves.cutoffs.length };
  }

  // ----- best so far -----
  function drawBestSoFar() {
    const best = data.best_so_far;
    const body = addView('best-so-far', 'Best so far',
      `The best ${experiment.metric} reported by any trial against wall time, and against the training iterations ` +
      'spent by all trials together: the second is what a scheduler saves.');
    const pair = el('div', { class: 'pair' });
    body.appendChild(pair);
    const draw = (id, points, xLabel) => {
      const holder = el('div');
      pair.appendChild(holder);
      return new Chart(addCanvas(holder, id, true), {
        type: 'line',
        data: { datasets: [{ label: 'best ' + experiment.metric, data: points.map(([x, y, t]) => ({ x: x, y: y, trial: t })),
                             stepped: 'after', borderColor: '#2b6cb0', backgroundColor: '#2b6cb0', borderWidth: 2,
                             pointRadius: 2.5 }] },
        options: {
          parsing: false,
          scales: { x: { type: 'linear', title: { display: true, text: xLabel } },
                    y: { type: 'linear', title: { display: true, text: 'best ' + experiment.metric } } },
          plugins: { tooltip: { callbacks: { label: c => `${formatNumber(c.parsed.y)} (${trialName(c.raw.trial)})` } } }
        }
      });
    };
    const wall = draw('best-wall', best.wall, 'wall time (s)');
    const iterations = draw('best-iterations', best.iterations, 'training iterations, all trials');
    return { chart: wall, charts: [wall, iterations], series: 2, points: best.wall.length + best.iterations.length };
  }

  // ----- parallel coordinates -----
  function drawParameters() {
    const params = data.params;
    const body = addView('params', 'Hyperparameters',
      `Parallel coordinates: one line per trial through its hyperparameters and its final ${experiment.metric}, ` +
      'coloured by that metric (yellow is best); grey lines have no metric yet.');
    const axes = params.axes;
    // One visible axis per parameter, placed at its x position, with its own units and nice
    // ticks; the lines are drawn on one hidden [0, 1] axis, each value placed at the height its
    // axis shows it (by place(), once the chart has laid the axes out).
    const scales = {
      x: { type: 'linear', min: 0, max: Math.max(1, axes.length - 1), grid: { display: false },
           ticks: { stepSize: 1, autoSkip: false, callback: v => (Number.isInteger(v) && axes[v] ? axes[v].name : '') } },
      unit: { axis: 'y', type: 'linear', min: 0, max: 1, display: false }
    };
    axes.forEach((axis, a) => {
      const common = { axis: 'y', position: { x: a }, grid: { display: false } };
      if (axis.kind === 'category') {
        const k = axis.labels.length;
        scales['axis' + a] = Object.assign(common, {
          type: 'linear', min: k > 1 ? 0 : -1, max: k > 1 ? k - 1 : 1,
          afterBuildTicks: scale => { scale.ticks = axis.labels.map((_, i) => ({ value: i })); },
          ticks: { autoSkip: false, callback: v => axis.labels[v] } });
      } else if (axis.kind === 'log') {
        scales['axis' + a] = Object.assign(common, {
          type: 'logarithmic', suggestedMin: axis.min, suggestedMax: axis.max > axis.min ? axis.max : axis.max * 10,
          ticks: { autoSkip: false, callback: v => {
            const mantissa = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
            return [1, 2, 5].some(m => Math.abs(mantissa - m) < 1e-6) ? formatNumber(v) : '';
          } } });
      } else {
        const pad = axis.max > axis.min ? 0 : Math.abs(axis.min) * 0.1 || 1;
        scales['axis' + a] = Object.assign(common, {
          type: 'linear', suggestedMin: axis.min - pad, suggestedMax: axis.max + pad,
          ticks: { callback: v => formatNumber(v) } });
      }
    });
    const place = chart => {
      const area = chart.chartArea;
      for (const dataset of chart.data.datasets)
        for (const point of dataset.data) {
          if (point.gap) continue;
          const axis = axes[point.x], scale = chart.scales['axis' + point.x];
          const valid = point.raw !== null && !(axis.kind === 'log' && point.raw <= 0);
          point.y = valid ? (area.bottom - scale.getPixelForValue(point.raw)) / (area.bottom - area.top) : null;
        }
    };
    // Colour by the rank of the final metric: best is yellow.
    const metricAxis = axes.length - 1;
    const withMetric = params.rows.filter(r => r[1][metricAxis] !== null)
      .sort((a, b) => (better(a[1][metricAxis], b[1][metricAxis]) ? 1 : -1));
    const alpha = params.rows.length > 300 ? 0.35 : 0.8;
    const colorOf = {}, rankOf = {};
    withMetric.forEach((row, rank) => {
      colorOf[row[0]] = viridis(withMetric.length > 1 ? rank / (withMetric.length - 1) : 1, alpha);
      rankOf[row[0]] = rank;
    });
    // One dataset, each trial's line ended by a null point, coloured segment by segment; the
    // trials without a metric first and the best last, so that the best are drawn on top.
    const lineColor = index => colorOf[index] || 'rgba(150, 150, 150, 0.35)';
    const ordered = params.rows.slice().sort((a, b) => (rankOf[a[0]] ?? -1) - (rankOf[b[0]] ?? -1));
    const points = [];
    for (const [index, values] of ordered) {
      values.forEach((v, a) => points.push({ x: a, y: null, raw: v, trial: index }));
      points.push({ x: values.length - 1, y: null, raw: null, trial: index, gap: true });
    }
    const datasets = [{
      label: 'trials', yAxisID: 'unit', data: points, borderColor: 'rgba(150, 150, 150, 0.35)',
      segment: { borderColor: c => lineColor(points[c.p0DataIndex].trial) },
      borderWidth: 1.3, pointRadius: 0, pointHoverRadius: 3, tension: 0, spanGaps: false
    }];
    const legend = el('div', { class: 'legend' });
    legend.innerHTML = `worst ${escapeHtml(experiment.metric)}<span class="gradient" style="background: linear-gradient(90deg, ${VIRIDIS.join(', ')})"></span>best`;
    body.appendChild(legend);
    const chart = new Chart(addCanvas(body, 'params'), {
      type: 'line', data: { datasets: datasets },
      // Once the axes are laid out and before the lines are: every (re)draw, one pass.
      plugins: [{ id: 'place-on-axes', afterLayout: place }],
      options: {
        parsing: false,
        layout: { padding: { left: 56, right: 12 } }, // the first axis's labels sit left of it
        interaction: { mode: 'nearest', intersect: false },
        scales: scales,
        plugins: { tooltip: { callbacks: { label: c => {
          const axis = axes[c.parsed.x], raw = c.raw.raw;
          const shown = axis.kind === 'category' ? axis.labels[raw] : formatNumber(raw);
          return `${trialName(c.raw.trial)}: ${axis.name} = ${shown}`;
        } } } }
      }
    });
    return { chart: chart, series: params.rows.length, axes: axes.length };
  }

  // ----- timeline -----
  function drawTimeline() {
    const timeline = data.timeline;
    const busy = timeline.busy_fraction === null ? '' : ` Workers were busy ${(100 * timeline.busy_fraction).toFixed(0)}% of the time.`;
    const body = addView('timeline', 'Timeline',
      'Each trial\'s training on the worker (node:pid) that ran it, coloured by how the trial ended; gaps are idle ' +
      'workers, or time spent starting, saving and restoring.' + busy);
    categoryLegend(body, [...new Set(timeline.bars.map(b => b[3]))]);
    const canvas = addCanvas(body, 'timeline', timeline.lanes.length <= 6);
    canvas.parentNode.style.height = Math.max(160, Math.min(900, 60 + 26 * timeline.lanes.length)) + 'px';
    const chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: timeline.lanes,
        datasets: [{
          label: 'trials', data: timeline.bars.map(([lane, start, end, trial]) => ({ x: [start, end], y: timeline.lanes[lane], trial: trial })),
          backgroundColor: timeline.bars.map(b => withAlpha(CATEGORY_COLORS[trials[b[3]].category] || '#777', 0.85)),
          borderColor: '#ffffff', borderWidth: 1, borderSkipped: false, barPercentage: 0.85, categoryPercentage: 0.95,
          minBarLength: 2, // a step of milliseconds in an hour-long run still shows
          grouped: false
        }]
      },
      options: {
        indexAxis: 'y',
        scales: { x: { type: 'linear', min: 0, title: { display: true, text: 'seconds since the first trial started' } },
                  y: { type: 'category', title: { display: true, text: 'worker' } } },
        plugins: { tooltip: { callbacks: { label: c => `${trialName(c.raw.trial)}: ${formatNumber(c.raw.x[0])} s to ${formatNumber(c.raw.x[1])} s` } } }
      }
    });
    return { chart: chart, series: timeline.bars.length, lanes: timeline.lanes.length };
  }

  // ----- the trial table -----
  function drawTable() {
    const table = data.table;
    const body = addView('table', 'Trials',
      (table.shown < table.total ? `The ${table.shown} best of ${table.total} trials` : 'Every trial') +
      ', with the columns tune results prints; click a column to sort by it. The best trial is highlighted.');
    const bestName = data.best ? data.best.name : null;
    const numeric = table.header.map((_, c) => table.rows.every(r => r[c] === '' || !isNaN(Number(r[c]))));
    const rows = table.rows.slice();
    const element = el('table', { id: 'trial-table' });
    const head = el('thead');
    const headRow = el('tr');
    const tbody = el('tbody');
    // The first ROWS_SHOWN rows in the current order: a page of 10,000 rows takes the browser
    // seconds to lay out. Sorting orders all of them; "show all" lifts the limit.
    const ROWS_SHOWN = 500;
    let showAll = rows.length <= ROWS_SHOWN;
    const more = el('button', { class: 'toggle', text: `show all ${rows.length} rows` });
    const render = () => {
      const shown = showAll ? rows : rows.slice(0, ROWS_SHOWN);
      tbody.innerHTML = shown.map(row => `<tr${row[0] === bestName ? ' class="best-row"' : ''}>` +
        row.map((cell, c) => `<td${numeric[c] ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('') + '</tr>').join('');
      more.style.display = showAll ? 'none' : '';
    };
    more.addEventListener('click', () => { showAll = true; render(); });
    body.appendChild(more);
    let sortColumn = -1, ascending = true;
    table.header.forEach((name, c) => {
      const th = el('th', { text: name, title: 'sort by ' + name });
      th.addEventListener('click', () => {
        ascending = sortColumn === c ? !ascending : true;
        sortColumn = c;
        const key = cell => (numeric[c] ? (cell === '' ? Infinity : Number(cell)) : cell);
        rows.sort((a, b) => { const x = key(a[c]), y = key(b[c]); return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1); });
        for (const other of headRow.children) other.className = '';
        th.className = ascending ? 'sorted-asc' : 'sorted-desc';
        render();
      });
      headRow.appendChild(th);
    });
    head.appendChild(headRow);
    element.appendChild(head);
    element.appendChild(tbody);
    render();
    body.appendChild(el('div', { class: 'table-wrap' }, [element]));
    return { series: rows.length, shown: showAll ? rows.length : ROWS_SHOWN };
  }

  // ----- PBT lineage -----
  function drawLineage() {
    const lineage = data.lineage;
    const body = addView('lineage', 'Lineage (PBT exploits)',
      `Each trial's ${experiment.time_attr} span (grey), and each exploit (orange): the trial at the right end ` +
      'continued from the donor\'s checkpoint at the left end, with a perturbed config.');
    const spans = [], edges = [];
    for (const [trial, first, last] of lineage.spans) spans.push({ x: first, y: trial }, { x: last, y: trial }, { x: null, y: null });
    for (const [trial, donor, iteration, donorIteration, changes] of lineage.exploits)
      edges.push({ x: donorIteration, y: donor, text: changes }, { x: iteration, y: trial, text: changes }, { x: null, y: null });
    const canvas = addCanvas(body, 'lineage');
    canvas.parentNode.style.height = Math.max(220, Math.min(900, 80 + 22 * trials.length)) + 'px';
    const chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [
        { label: 'trial', data: spans, borderColor: '#b8c0ca', borderWidth: 5, pointRadius: 0, spanGaps: false },
        { label: 'exploit', data: edges, borderColor: '#e8903a', backgroundColor: '#e8903a', borderWidth: 2,
          pointRadius: 3, spanGaps: false }
      ] },
      options: {
        parsing: false,
        scales: { x: { type: 'linear', title: { display: true, text: experiment.time_attr } },
                  y: { type: 'linear', reverse: true, min: -0.5, max: trials.length - 0.5,
                       afterBuildTicks: scale => { scale.ticks = trials.map((_, i) => ({ value: i })); },
                       ticks: { autoSkip: trials.length > 40, callback: v => trialName(v) } } },
        plugins: { tooltip: { callbacks: { label: c => (c.raw.text ? `${trialName(c.raw.y)} @ ${c.raw.x}: ${c.raw.text}` : trialName(c.raw.y)) } } }
      }
    });
    const list = el('ul');
    for (const [trial, donor, iteration, donorIteration, changes] of lineage.exploits.slice(0, 200))
      list.appendChild(el('li', { class: 'mono', text: `${trialName(trial)} at ${iteration}: from ${trialName(donor)} at ${donorIteration}; ${changes}` }));
    if (lineage.exploits.length > 200) list.appendChild(el('li', { text: `... and ${lineage.exploits.length - 200} more` }));
    body.appendChild(list);
    return { chart: chart, series: lineage.exploits.length };
  }

  drawHeader();
  runView('best', drawBest);
  runView('curves', drawCurves);
  runView('best-so-far', drawBestSoFar);
  runView('params', drawParameters);
  runView('timeline', drawTimeline);
  runView('table', drawTable);
  if (data.lineage) runView('lineage', drawLineage);
  report.ready_ms = Math.round(performance.now()); // since navigation began
  report.ready = true;
})();
