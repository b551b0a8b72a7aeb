// The programme dashboard in the browser, on a phone and a desktop: the
// province admin opens a programme over the API, sets targets, and reads the
// dashboard (headline figures, every commune of the province with the
// laggards first, charts drawn on the server), sorts the table by a link and
// drills down to a commune; a commune officer sees their commune only; the
// public figures page needs no sign-in. Pages pass axe-core's WCAG A/AA rules.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PAGE_BUDGET_BYTES, accessibilityViolations, createOfficial, htmlBytes, launch, phone, shot, signIn } from '../lib.mjs';

const ADMIN = { name: 'Sở Công Thương E2E', phone: '0912000505', password: 'so-cong-thuong-2026' };
const OFFICER = { name: 'Cán bộ Đức Xuân E2E', phone: '0912000606', password: 'can-bo-duc-xuan-2026' };
const COMMUNE = '01840'; // Phường Đức Xuân, Thái Nguyên
const LAGGARD = '01849'; // Xã Phong Quang: a target and nothing done
const NAME = 'Đưa nông sản lên sàn E2E';

async function api(method, path, token, body) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function assertAccessible(page, what) {
  assert.deepEqual(await accessibilityViolations(page), [], `${what}: axe-core WCAG A/AA violations`);
  const bytes = await htmlBytes(page);
  console.log(`page size: ${what}: ${bytes} bytes`);
  assert.ok(bytes <= PAGE_BUDGET_BYTES, `${what}: ${bytes} bytes of HTML`);
}

describe('programme dashboard', () => {
  let browser;
  let programmeId;

  before(async () => {
    browser = await launch();
    createOfficial(ADMIN);
    createOfficial({ ...OFFICER, role: 'commune_officer', scope: COMMUNE });
    const login = await api('POST', '/api/v1/auth/login', null, { phone: ADMIN.phone, password: ADMIN.password });
    assert.equal(login.status, 200);
    const token = login.body.token;
    const created = await api('POST', '/api/v1/programmes', token,
      { name: NAME, province_code: '19', starts_on: '2026-01-01', ends_on: '2026-12-31' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    programmeId = created.body.id;
    const targets = await api('PUT', `/api/v1/programmes/${programmeId}/targets`, token, {
      targets: [
        { unit_code: '19', metric: 'orders', target: 1000 },
        { unit_code: COMMUNE, metric: 'orders', target: 20 },
        { unit_code: LAGGARD, metric: 'orders', target: 50 },
      ],
    });
    assert.equal(targets.status, 200, JSON.stringify(targets.body));
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the province admin every commune, laggards first, with charts, on a phone', async () => {
    const page = await phone(browser);
    await signIn(page, { ...ADMIN, next: '/chuong-trinh' });
    await page.waitForURL(/\/chuong-trinh/);
    assert.equal((await page.textContent('h1')).trim(), NAME);
    const rows = page.locator('table.programme-table tbody tr');
    assert.equal(await rows.count(), 30, 'the 30 laggards first');
    // The laggard (a target, nothing done) comes before communes without a target.
    const first = await rows.first().locator('th').textContent();
    assert.match(first, /Phong Quang|Đức Xuân/);
    assert.ok(await page.locator('svg.chart').count() >= 3, 'charts drawn on the server');
    assert.ok(await page.locator('.tile').count() >= 12, 'headline figures');
    await shot(page, 'programme-dashboard-phone');
    await assertAccessible(page, 'programme dashboard');
    assert.deepEqual(page.errors, []);
    // Sorting is a link: it works without JavaScript.
    await page.click('thead a:has-text("cao trước") >> nth=0');
    await page.waitForURL(/thu-tu=cao/);
    // Every commune of the province on request.
    await page.click('a:has-text("Xem tất cả các xã")');
    await page.waitForURL(/tat-ca=1/);
    assert.ok(await page.locator('table.programme-table tbody tr').count() >= 90, 'the province has 92 communes');
    // Drill down to a commune.
    await page.goto(`/chuong-trinh/xa/${COMMUNE}?ct=${programmeId}`);
    assert.match(await page.textContent('h1'), /Đức Xuân/);
    await shot(page, 'programme-commune-phone');
    await assertAccessible(page, 'programme commune');
    await page.context().close();
  });

  it('renders the dashboard on a desktop too', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', baseURL: BASE });
    const page = await context.newPage();
    await signIn(page, { ...ADMIN, next: '/chuong-trinh' });
    await page.waitForURL(/\/chuong-trinh/);
    assert.ok(await page.locator('table.programme-table').isVisible());
    await shot(page, 'programme-dashboard-desktop');
    await context.close();
  });

  it('shows a commune officer their commune only', async () => {
    const page = await phone(browser);
    await signIn(page, { ...OFFICER, next: '/chuong-trinh' });
    await page.waitForURL(/\/chuong-trinh/);
    const rows = page.locator('table.programme-table tbody tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().textContent(), /Đức Xuân/);
    const other = await page.goto(`/chuong-trinh/xa/${LAGGARD}?ct=${programmeId}`);
    assert.equal(other.status(), 403);
    await shot(page, 'programme-dashboard-officer');
    await page.context().close();
  });

  it('shows the public figures without signing in', async () => {
    const page = await phone(browser);
    const response = await page.goto('/so-lieu');
    assert.equal(response.status(), 200);
    assert.match(await page.textContent('main'), new RegExp(NAME));
    await assertAccessible(page, 'public figures');
    await page.context().close();
  });
});
