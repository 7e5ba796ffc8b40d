'use strict';

// Polls /dashboard once a second and keeps one row per node up to date; the buttons generate traffic through the app's
// services, cause faults on the embedded cluster and change a node's administrative state through the library.
const rows = document.querySelector('#nodes tbody');
const SVG = 'http://www.w3.org/2000/svg';
const CHART_WIDTH = 180;
const CHART_HEIGHT = 30;

// Buttons per row: [label, URL part, who may use it]. Pausing replication needs a source, which the primary has not.
const FAULTS = [
  ['freeze', 'freeze'], ['thaw', 'thaw'], ['kill', 'kill'], ['start', 'start'],
  ['pause replication', 'pause-replication', 'replica'], ['resume replication', 'resume-replication', 'replica'],
];
const OPERATIONS = [['drain', 'drain'], ['maintenance', 'maintenance'], ['activate', 'activate']];

function cell(className) {
  const td = document.createElement('td');
  td.className = className;
  return td;
}

function buttons(node, kind, actions) {
  const td = cell('actions ' + kind);
  for (const [label, action, role] of actions) {
    if (role && role !== node.role) {
      continue;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.dataset.action = action;
    // Faults go to the embedded cluster, which names a discovered replica its own way; operations go to the router.
    const target = kind === 'faults' ? (node.clusterNode || node.name) : node.name;
    button.addEventListener('click', () => act(`/${kind}/${encodeURIComponent(target)}/${action}`, button));
    td.appendChild(button);
  }
  if (kind === 'faults' && node.name.startsWith('discovered-') && node.clusterNode) {
    // Replicas added from this page can leave again: detached from the primary, discovery removes them.
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'remove';
    remove.dataset.action = 'remove';
    remove.addEventListener('click', () => act(`/replicas/${encodeURIComponent(node.clusterNode)}/remove`, remove));
    td.appendChild(remove);
  }
  return td;
}

// Rows are made once and then updated in place, so that a button is never replaced while someone clicks it.
function rowOf(node) {
  let tr = rows.querySelector(`tr[data-node="${CSS.escape(node.name)}"]`);
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.node = node.name;
    for (const name of ['name', 'role', 'state-cell', 'admin', 'lag', 'number reads', 'number writes', 'minute']) {
      tr.appendChild(cell(name));
    }
    const badge = document.createElement('span');
    tr.querySelector('.state-cell').appendChild(badge);
    tr.querySelector('.minute').appendChild(chart());
    tr.appendChild(buttons(node, 'faults', FAULTS));
    tr.appendChild(buttons(node, 'operations', OPERATIONS));
    rows.appendChild(tr);
  }
  return tr;
}

function chart() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('width', CHART_WIDTH);
  svg.setAttribute('height', CHART_HEIGHT);
  return svg;
}

// One bucket per second: reads at the bottom, writes stacked on them, on the scale given (the busiest second of all).
function drawChart(svg, node, most) {
  const width = CHART_WIDTH / node.readsPerSecond.length;
  svg.replaceChildren(...node.readsPerSecond.map((reads, i) => {
    const writes = node.writesPerSecond[i];
    const bucket = document.createElementNS(SVG, 'g');
    bucket.setAttribute('class', 'bucket');
    bucket.dataset.reads = reads;
    bucket.dataset.writes = writes;
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${node.readsPerSecond.length - i} s ago: ${reads} reads, ${writes} writes`;
    bucket.appendChild(title);
    let top = CHART_HEIGHT;
    for (const [kind, value] of [['reads', reads], ['writes', writes]]) {
      const height = CHART_HEIGHT * value / most;
      top -= height;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('class', kind);
      rect.setAttribute('x', i * width);
      rect.setAttribute('width', Math.max(1, width - 0.5));
      rect.setAttribute('y', top);
      rect.setAttribute('height', height);
      bucket.appendChild(rect);
    }
    return bucket;
  }));
}

function draw(view) {
  document.querySelector('#writer').textContent = view.writer || 'no node (writes fail)';
  document.querySelector('#load-balancing').textContent = view.loadBalancing;
  document.querySelector('#updated').textContent = new Date().toLocaleTimeString();
  const most = Math.max(1, ...view.nodes.flatMap((node) => node.readsPerSecond.map((reads, i) =>
    reads + node.writesPerSecond[i])));
  // A replica removed from the router (discovery, or the endpoint) leaves the table.
  const shown = new Set(view.nodes.map((node) => node.name));
  for (const tr of rows.querySelectorAll('tr')) {
    if (!shown.has(tr.dataset.node)) {
      tr.remove();
    }
  }
  for (const node of view.nodes) {
    const tr = rowOf(node);
    tr.querySelector('.name').textContent = node.name + (node.writer ? ' (writes)' : '');
    tr.querySelector('.role').textContent = node.role;
    const badge = tr.querySelector('.state-cell span');
    badge.className = 'state state-' + node.state;
    badge.textContent = node.state;
    const admin = tr.querySelector('.admin');
    admin.textContent = node.administrativeState;
    admin.className = 'admin admin-' + node.administrativeState;
    const lag = tr.querySelector('.lag');
    lag.textContent = node.lag || '';
    lag.dataset.lagMillis = node.lagMillis ?? '';
    tr.querySelector('.reads').textContent = String(node.reads);
    tr.querySelector('.writes').textContent = String(node.writes);
    drawChart(tr.querySelector('.minute svg'), node, most);
  }
}

async function refresh() {
  try {
    const response = await fetch('/dashboard', { cache: 'no-store' });
    if (response.ok) {
      draw(await response.json());
    }
  }
  catch (error) {
    document.querySelector('#updated').textContent = 'failed: ' + error;
  }
}

function describe(summary) {
  const perNode = Object.entries(summary.perNode)
    .map(([node, count]) => `  ${node}: ${count.reads} reads, ${count.writes} writes`)
    .join('\n');
  return `${summary.kind}: ${summary.pageViews} page views, ${summary.ticketsBought} tickets bought, `
    + `${summary.soldOut} sold out, in ${summary.millis} ms\n${perNode}`;
}

async function run(url) {
  const busy = document.querySelector('#busy');
  busy.hidden = false;
  // Cleared first, so that a summary on the page is always the last click's, never the one before.
  document.querySelector('#summary').textContent = 'Running\u2026';
  try {
    const response = await fetch(url, { method: 'POST' });
    if (response.status === 404) {
      document.querySelector('#summary').textContent =
        'The traffic buttons are demo-only: they run on the embedded cluster, not on your own databases.';
      return;
    }
    const body = await response.json();
    document.querySelector('#summary').textContent = response.ok ? describe(body) : JSON.stringify(body);
  }
  finally {
    busy.hidden = true;
    refresh();
  }
}

// A fault or an operation: the answer (what changed, or why nothing did) goes under the table, then the table refreshes.
async function act(url, button) {
  const message = document.querySelector('#panel-message');
  button.disabled = true;
  message.className = '';
  const row = button.closest('tr');
  message.textContent = `${button.dataset.action}${row ? ' ' + row.dataset.node : ''}\u2026`;
  try {
    const response = await fetch(url, { method: 'POST' });
    const body = await response.json().catch(() => ({}));
    if (response.ok) {
      message.textContent = body.result;
    }
    else {
      message.className = 'error';
      // A 404 that is not about the node means the endpoint is absent: the app is not on its embedded cluster.
      const absent = response.status === 404 && !String(body.detail).startsWith('No node named');
      message.textContent = absent
        ? 'The panel is demo-only: it works on the embedded cluster, not on your own databases.'
        : (body.detail || `${response.status} ${response.statusText}`);
    }
  }
  catch (error) {
    message.className = 'error';
    message.textContent = String(error);
  }
  finally {
    button.disabled = false;
    refresh();
  }
}

document.querySelector('#browse').addEventListener('click', () => run('/load/browse?count=20'));
document.querySelector('#buy').addEventListener('click', () => run('/load/buy?count=5'));
document.querySelector('#load').addEventListener('click', () => run('/load?seconds=5'));
document.querySelector('#add-replica').addEventListener('click', (event) => act('/replicas', event.target));
refresh();
setInterval(refresh, 1000);
