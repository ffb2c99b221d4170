// The partner's product page: a demo sign-in for end users, then the signed-in user's analytics as Qlik shows them
// to that user (who Qlik says they are, their groups, the app they may open, the numbers they may see). The page
// gets an OAuth impersonation token from the broker (what qlik-embed's data-get-access-token returns); "legacy
// JWT" uses the JWT session path.
import { page } from './style.js';

const SCRIPT = String.raw`
const select = document.querySelector('#user');
const card = document.querySelector('#analytics');
const users = await (await fetch('/partner/users')).json();
for (const u of users) {
  const option = document.createElement('option');
  option.value = u.id;
  option.textContent = u.name + ' (' + u.customerName + ')';
  select.append(option);
}
const field = (name, value) => { card.querySelector('[data-field="' + name + '"]').textContent = value; };

document.querySelector('#sign-in').addEventListener('click', async () => {
  const user = users.find((u) => u.id === select.value);
  card.hidden = true;
  // Nothing of the previous user stays on the card.
  delete card.dataset.summary;
  document.querySelector('#summary tbody').replaceChildren();
  for (const name of ['app', 'total']) field(name, '');
  const { customerName: _name, ...demoUser } = user;
  const auth = document.querySelector('#legacy-jwt').checked ? 'jwt' : 'oauth-impersonation';
  const endpoint = auth === 'jwt' ? '/embed-session' : '/impersonation-token';
  const response = await fetch('/customers/' + encodeURIComponent(user.customerId) + endpoint + '?check=true', {
    method: 'POST',
    headers: { 'x-demo-user': JSON.stringify(demoUser) },
  });
  const body = await response.json();
  card.hidden = false;
  card.dataset.user = user.id;
  card.dataset.auth = auth;
  if (!response.ok) {
    card.dataset.state = 'error';
    field('welcome', 'Sign-in failed');
    field('detail', body.error?.message ?? 'HTTP ' + response.status);
    return;
  }
  card.dataset.state = 'signed-in';
  field('welcome', 'Welcome, ' + user.name);
  field('detail', 'Qlik knows you as ' + body.check.subject + ' in ' + body.tenantHost + ' (groups: ' + body.check.groups.join(', ') + ')');
  field('app', body.check.app ? body.check.app.name : 'no app you may open');
  await showSummary(user, demoUser);
});

// The numbers the engine computed as this user: section access decides which regions they see.
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
async function showSummary(user, demoUser) {
  const rows = document.querySelector('#summary tbody');
  const summaryUrl = '/customers/' + encodeURIComponent(user.customerId) + '/users/' + encodeURIComponent(user.id) + '/summary';
  const response = await fetch(summaryUrl, { headers: { 'x-demo-user': JSON.stringify(demoUser) } });
  const body = await response.json();
  if (!response.ok) {
    card.dataset.summary = 'error';
    field('total', body.error?.message ?? 'HTTP ' + response.status);
    return;
  }
  for (const r of body.regions) {
    const tr = document.createElement('tr');
    tr.dataset.region = r.region;
    for (const text of [r.region, String(r.orders), money.format(r.amount)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    rows.append(tr);
  }
  card.dataset.summary = 'ready';
  field('total', body.total.orders + ' orders, ' + money.format(body.total.amount));
}
`;

export function productPage(): string {
  return page(
    'Partner product',
    `<h1>Partner product</h1><p><label>Sign in as <select id="user"></select></label> <button id="sign-in">Sign in</button> <label><input type="checkbox" id="legacy-jwt"> legacy JWT</label></p>` +
      `<section id="analytics" class="card" hidden><h2 data-field="welcome"></h2><p data-field="detail" class="muted"></p>` +
      `<p>Your dashboard: <strong data-field="app"></strong></p>` +
      `<table id="summary"><thead><tr><th>Region</th><th>Orders</th><th>Amount</th></tr></thead><tbody></tbody></table>` +
      `<p>Your total: <strong data-field="total"></strong></p></section>`,
    SCRIPT,
  );
}
