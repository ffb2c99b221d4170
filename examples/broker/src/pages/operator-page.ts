// The partner's operator page: its customers from the master data, and a button that provisions the selected
// ones while each row shows the step in progress (read from the broker's NDJSON stream).
import { page } from './style.js';

const SCRIPT = String.raw`
const rows = document.querySelector('#customers tbody');
const button = document.querySelector('#provision');
const text = (el, value) => { el.textContent = value; };

async function load() {
  const customers = await (await fetch('/partner/customers')).json();
  rows.replaceChildren(...customers.map((c) => {
    const tr = document.createElement('tr');
    tr.dataset.customer = c.customerId;
    tr.innerHTML = '<td><input type="checkbox"></td><td class="name"></td><td class="host"></td><td class="state"></td><td class="step muted"></td>';
    text(tr.querySelector('.name'), c.name);
    text(tr.querySelector('.host'), c.tenantHost ?? '-');
    setState(tr, c.state);
    tr.querySelector('input').value = JSON.stringify({ customerId: c.customerId, name: c.name, alias: c.alias, allowContributors: c.allowContributors });
    return tr;
  }));
}

function setState(tr, state) {
  const cell = tr.querySelector('.state');
  cell.className = 'state state-' + state.replace(/\s+/g, '-');
  text(cell, state);
}

async function provision(tr, customer) {
  setState(tr, 'running');
  const response = await fetch('/customers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(customer) });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    setState(tr, 'failed');
    text(tr.querySelector('.step'), body.error?.message ?? 'HTTP ' + response.status);
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let writes = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (line.type === 'step:start') text(tr.querySelector('.step'), line.step + '...');
      if (line.type === 'step:done') writes += 1;
      if (line.type === 'result') {
        setState(tr, line.status);
        text(tr.querySelector('.host'), line.tenantHost ?? '-');
        text(tr.querySelector('.step'), line.error ? line.error.message : writes + ' writes');
      }
    }
  }
}

button.addEventListener('click', async () => {
  const selected = [...rows.querySelectorAll('tr')].filter((tr) => tr.querySelector('input').checked);
  button.disabled = true;
  await Promise.all(selected.map((tr) => provision(tr, JSON.parse(tr.querySelector('input').value))));
  button.disabled = false;
});

load();
`;

export function operatorPage(): string {
  return page(
    'Customers - partner operations',
    `<h1>Customers</h1><p class="muted">Select customers and provision their Qlik Cloud tenants. Each row shows the step in progress.</p>` +
      `<table id="customers"><thead><tr><th></th><th>Customer</th><th>Tenant</th><th>State</th><th>Progress</th></tr></thead><tbody></tbody></table>` +
      `<p><button id="provision">Provision selected</button> <a href="/app">Product page</a></p>`,
    SCRIPT,
  );
}
