'use strict';

// Polls /dashboard once a second and draws one row per node; the buttons generate traffic through the app's services.
const rows = document.querySelector('#nodes tbody');

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

function bars(node, most) {
  const td = document.createElement('td');
  for (const kind of ['reads', 'writes']) {
    const bar = document.createElement('span');
    bar.className = 'bar ' + kind;
    bar.style.width = (most > 0 ? Math.round(200 * node[kind] / most) : 0) + 'px';
    td.appendChild(bar);
  }
  return td;
}

function draw(view) {
  document.querySelector('#writer').textContent = view.writer || 'no node (writes fail)';
  document.querySelector('#load-balancing').textContent = view.loadBalancing;
  document.querySelector('#updated').textContent = new Date().toLocaleTimeString();
  const most = Math.max(1, ...view.nodes.map((node) => node.reads + node.writes));
  rows.replaceChildren(...view.nodes.map((node) => {
    const tr = document.createElement('tr');
    tr.dataset.node = node.name;
    tr.appendChild(cell(node.name + (node.writer ? ' (writes)' : ''), 'name'));
    tr.appendChild(cell(node.role, 'role'));
    const state = cell('', 'state-cell');
    const badge = document.createElement('span');
    badge.className = 'state state-' + node.state;
    badge.textContent = node.state;
    state.appendChild(badge);
    tr.appendChild(state);
    tr.appendChild(cell(node.lag || '', 'lag'));
    tr.appendChild(cell(String(node.reads), 'number reads'));
    tr.appendChild(cell(String(node.writes), 'number writes'));
    tr.appendChild(bars(node, most));
    return tr;
  }));
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

document.querySelector('#browse').addEventListener('click', () => run('/load/browse?count=20'));
document.querySelector('#buy').addEventListener('click', () => run('/load/buy?count=5'));
document.querySelector('#load').addEventListener('click', () => run('/load?seconds=5'));
refresh();
setInterval(refresh, 1000);
