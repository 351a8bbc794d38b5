// The live room view: draws the network with cytoscape (canvas, no WebGL) at the fixed positions
// the server gives, and follows the server's event stream: each change of state replaces the
// panel (HTML rendered and escaped by the server) and redraws the network. On the charts page
// (/charts) it draws the indicators chart with vega-embed from the server's spec instead, and on a
// team's view its own chart below the network; each in two sizes, the screen's and the paper's.
(function () {
  'use strict';
  var box = document.getElementById('network');
  var chartBox = document.getElementById('charts');
  var printBox = document.getElementById('charts-print');
  var config = JSON.parse((box || chartBox).getAttribute('data-config'));
  var colours = { low: '#2e8b57', moderate: '#8a8a8a', high: '#e07b00', crisis: '#c62828' };
  var cy = box && cytoscape({
    container: box, layout: { name: 'preset' }, elements: [],
    userZoomingEnabled: false, userPanningEnabled: false, boxSelectionEnabled: false, autoungrabify: true,
    style: [
      { selector: 'node', style: { 'label': 'data(id)', 'font-size': 'data(fs)', 'width': 'data(size)', 'height': 'data(size)', 'font-weight': 'bold', 'text-valign': 'center',
        'text-halign': 'center', 'background-color': '#f4f4f4', 'border-width': 3,
        'border-color': '#333', 'color': '#111' } },
      { selector: 'node[?team]', style: { 'background-color': '#fff3b0', 'border-width': 6 } },
      { selector: 'edge', style: { 'width': 'data(width)', 'line-color': 'data(colour)', 'curve-style': 'bezier',
        'target-arrow-shape': 'none', 'opacity': 0.95 } },
      { selector: 'edge[?directed]', style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': 'data(colour)',
        'arrow-scale': 0.8 } },
      { selector: 'edge[?changed]', style: { 'line-style': 'dashed', 'label': 'data(label)', 'font-size': 'data(fs)',
        'text-background-color': '#fff', 'text-background-opacity': 1, 'text-background-padding': 2 } },
      { selector: 'edge[?faded]', style: { 'opacity': 0.12 } }
    ]
  });
  var shown = {};
  function show(network) {
    if (!cy) return;
    shown = network;
    cy.resize();
    var elements = [];
    (network.nodes || []).forEach(function (n) {
      elements.push({ group: 'nodes', data: { id: n.id, name: n.name, team: n.team, fs: 22, size: 64 },
                      position: { x: n.x, y: n.y } });
    });
    (network.edges || []).forEach(function (e) {
      var d = Object.assign({}, e);
      d.colour = colours[e.level] || '#888';
      d.fs = 22;
      elements.push({ group: 'edges', data: d });
    });
    cy.batch(function () { cy.elements().remove(); cy.add(elements); });
    cy.fit(undefined, 50);
    // Labels at least 22 px on the screen whatever the zoom (the projector's 5 m rule).
    var zoom = cy.zoom() || 1, px = 22;
    cy.batch(function () {
      cy.elements().data('fs', px / zoom);
      cy.nodes().data('size', 64 / zoom);
    });
    box.setAttribute('data-label-px', String(px));
    box.setAttribute('data-edge-ids', JSON.stringify(cy.edges().map(function (e) { return e.id(); })));
  }
  // The last turn's items that fit on the screen; the rest counted in "… and N more". On paper,
  // all of them (but those the server left out, counted).
  function fit() {
    var list = document.querySelector('#panel .turn ul');
    if (!list || !document.body.classList.contains('view-room')) return;  // a team's laptop scrolls
    var items = list.querySelectorAll('li');
    var more = document.querySelector('#panel .turn .more');
    var extra = parseInt((more && more.getAttribute('data-more')) || '0', 10);
    for (var i = 0; i < items.length; ++i) items[i].hidden = false;
    if (more) more.textContent = '… and ' + extra + ' more (log at the prompt lists them all)';
    if (more && extra === 0) { more.remove(); more = null; }
    list.setAttribute('data-hidden', '0');
    if (window.matchMedia && window.matchMedia('print').matches) return;
    var bottom = window.innerHeight - 8;
    var hidden = 0;
    for (var k = items.length - 1; k > 0; --k) {
      var last = more || items[k];
      if (last.getBoundingClientRect().bottom <= bottom) break;
      items[k].hidden = true;
      hidden += 1;
      if (!more) {
        more = document.createElement('p');
        more.className = 'more';
        more.setAttribute('data-more', '0');
        list.parentNode.appendChild(more);
      }
      more.textContent = '… and ' + (extra + hidden) + ' more (log at the prompt lists them all)';
    }
    list.setAttribute('data-hidden', String(hidden));
  }
  // One drawing at a time: a state that comes while one is drawn waits, and only the latest is
  // drawn. `charts`: {screen: spec, print: [specs]} (room_chart_spec), the paper's each in a box
  // of its own (kept whole on a page).
  var chartViews = [], drawn = 0, drawing = false, waiting = null;
  function embed(where, spec) {
    return vegaEmbed(where, spec, { mode: 'vega-lite', actions: false, renderer: 'svg' });
  }
  function draw(charts, step) {
    if (!chartBox || !charts) return;
    if (typeof vegaEmbed !== 'function') {
      chartBox.textContent = 'The chart libraries did not load.';
      return;
    }
    if (drawing) { waiting = { charts: charts, step: step }; return; }
    drawing = true;
    var pages = [];
    if (printBox) {
      printBox.textContent = '';
      (charts.print || []).forEach(function (spec) {
        var page = document.createElement('div');
        page.className = 'chart-page';
        printBox.appendChild(page);
        pages.push(embed(page, spec));
      });
    }
    Promise.all([embed(chartBox, charts.screen)].concat(pages)).then(function (results) {
      chartViews.forEach(function (view) { view.finalize(); });
      chartViews = results.map(function (result) { return result.view; });
      drawn += 1;
      chartBox.setAttribute('data-step', String(step));
      chartBox.setAttribute('data-drawn', String(drawn));
    }, function (error) {
      chartBox.textContent = 'The charts could not be drawn: ' + (error && error.message ? error.message : error);
    }).then(function () {
      drawing = false;
      if (waiting) { var next = waiting; waiting = null; draw(next.charts, next.step); }
    });
  }
  show(config.network || {});
  fit();
  // A new size (a window resized, the page printed): the network fitted to its box again.
  function refit() { show(shown); fit(); }
  window.addEventListener('resize', refit);
  if (window.matchMedia) window.matchMedia('print').addEventListener('change', refit);
  window.addEventListener('beforeprint', refit);
  draw(config.chart, (document.getElementById('step') || {}).textContent);
  var status = document.getElementById('connection');
  function apply(state) {
    if (box) {
      document.getElementById('panel').innerHTML = state.html;
      show(state.network || {});
      fit();
    }
    if (chartBox) {
      if (!box) document.getElementById('step').textContent = String(state.step);
      draw(state.chart, state.step);
    }
    document.body.setAttribute('data-version', String(state.version));
  }
  function live(text) {
    status.textContent = text;
    status.className = 'status';
  }
  function lost(text) {
    status.textContent = text;
    status.className = 'status lost';
  }
  // The event stream. One the server turned away (too many pages open at once) is closed for
  // good: the page then asks for the same payload every three seconds, and tries the stream again
  // every fourth time (a page that left may have freed one); once it opens, the asking stops.
  var stream = null, polling = null, polls = 0, shownVersion = null, ended = false;
  function end() {
    ended = true;
    lost('session ended');
    if (stream) stream.close();
    if (polling) clearInterval(polling);
    polling = null;
  }
  function connect() {
    var source = new EventSource(config.events);
    stream = source;
    source.addEventListener('open', function () {
      if (polling) clearInterval(polling);
      polling = null;
    });
    source.addEventListener('state', function (message) {
      var state = JSON.parse(message.data);
      shownVersion = state.version;
      apply(state);
      live('live');
    });
    source.addEventListener('end', end);
    source.onerror = function () {
      if (ended) return;
      if (!polling) lost('reconnecting…');
      if (source.readyState !== 2 || polling || !config.poll) return;
      polling = setInterval(ask, 3000);
    };
  }
  function ask() {
    if (++polls % 4 === 0 && stream.readyState === 2) connect();
    fetch(config.poll, {cache: 'no-store'}).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (state) {
      if (ended || !polling) return;
      if (!state) return lost('reconnecting…');
      if (state.ended) return end();  // the server says so while it closes
      if (state.version !== shownVersion) { shownVersion = state.version; apply(state); }
      live('live (every 3 s)');
    }).catch(function () {
      if (!ended && polling) lost('no answer: the session may have ended (asking every 3 s)');
    });
  }
  connect();
})();
