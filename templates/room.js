// The live room view: draws the network with cytoscape (canvas, no WebGL) at the fixed positions
// the server gives, and follows the server's event stream: each change of state replaces the
// panel (HTML rendered and escaped by the server) and redraws the network.
(function () {
  'use strict';
  var box = document.getElementById('network');
  var config = JSON.parse(box.getAttribute('data-config'));
  var colours = { low: '#2e8b57', moderate: '#8a8a8a', high: '#e07b00', crisis: '#c62828' };
  var cy = cytoscape({
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
  function show(network) {
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
  show(config.network || {});
  var status = document.getElementById('connection');
  var stream = new EventSource(config.events);
  stream.addEventListener('state', function (message) {
    var state = JSON.parse(message.data);
    document.getElementById('panel').innerHTML = state.html;
    show(state.network || {});
    document.body.setAttribute('data-version', String(state.version));
    status.textContent = 'live';
    status.className = 'status';
  });
  stream.addEventListener('end', function () {
    status.textContent = 'session ended';
    status.className = 'status lost';
    stream.close();
  });
  stream.onerror = function () {
    status.textContent = 'reconnecting…';
    status.className = 'status lost';
  };
})();
