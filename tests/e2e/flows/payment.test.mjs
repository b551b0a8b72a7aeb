// Paying by VietQR on a phone with JavaScript turned off: a demo shop has a
// payout account and takes VietQR (set in its database as an operator would
// have it after the shop's owner saved them); a buyer orders, chooses VietQR
// and lands on the payment page with the QR code, the amount, the reference
// to type and the deadline; the bank-account notification service then
// reports the transfer — signed with the shared secret, the description
// mangled as banks do — and the page shows the order paid.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { BASE, launch, phone, register, shot } from '../lib.mjs';

const BUYER = { name: 'Lò Thị Mai', phone: '0398000616', password: 'vietqr-thanh-toan-2026' };
const ACCOUNT = '0011002233445';
const DB = process.env.NONGSAN_E2E_DB;

function sql(statement) {
  return execFileSync('sqlite3', [DB, statement]).toString().trim();
}

describe('paying by VietQR', () => {
  let browser;
  let buyer;
  let productId;

  before(async () => {
    browser = await launch();
    buyer = await phone(browser, { javaScriptEnabled: false });
    const [product, seller] = sql(
      "SELECT id, seller_id FROM catalog_products WHERE status = 'active' AND stock > 5 ORDER BY id LIMIT 1").split('|');
    productId = product;
    sql(`INSERT INTO payments_payout_accounts (seller_id, bank_bin, account_number, account_name, updated_at, updated_by)
         VALUES (${seller}, '970436', '${ACCOUNT}', 'HTX CHE TAN CUONG', 0, 0)`);
    sql(`INSERT INTO payments_shop_methods (seller_id, method, updated_at, updated_by) VALUES (${seller}, 'vietqr', 0, 0)`);
  });

  after(async () => {
    await browser?.close();
  });

  it('orders with VietQR and sees the code, the amount and the reference', async () => {
    await register(buyer, { ...BUYER, next: '/' });
    await buyer.goto(`/san-pham/${productId}`);
    await Promise.all([buyer.waitForURL(/da-them=1/), buyer.click('form[action="/gio-hang/them"] button')]);
    await buyer.goto('/thanh-toan');
    await buyer.selectOption('#province', '19');
    await Promise.all([buyer.waitForLoadState('load'), buyer.click('button[name=step][value=province]')]);
    await buyer.selectOption('#commune_code', { index: 1 });
    await buyer.fill('#address_line', 'Xóm Đồng Tâm');
    await Promise.all([buyer.waitForLoadState('load'), buyer.click('form[action="/thanh-toan"] button.wide')]);
    await buyer.check('input[name=payment_method][value=vietqr]');
    await Promise.all([buyer.waitForURL(/\/thanh-toan\/\d+$/), buyer.click('form[action="/thanh-toan"] button.wide')]);
    const qr = buyer.locator('p.qr img');
    assert.equal(await qr.count(), 1, 'the QR code is shown');
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code loaded');
    const text = await buyer.textContent('main');
    assert.match(text, /Nội dung chuyển khoản/);
    assert.match(text, /Hạn thanh toán/);
    assert.match(text, new RegExp(ACCOUNT));
    await shot(buyer, 'vietqr-payment');
  });

  it('shows the order paid once the signed notification arrives', async () => {
    const reference = (await buyer.textContent('dl.pay dd strong.mono')).trim();
    const amountText = (await buyer.textContent('dl.pay strong.price')).trim();
    const amount = Number(amountText.replace(/[^0-9]/g, ''));
    // The bank dropped the space and upper-cased the description, and added its own text.
    const body = JSON.stringify({
      id: `FT${Date.now()}`, account_number: ACCOUNT, amount_vnd: amount,
      description: `MBVCB.8841.LO THI MAI CHUYEN TIEN.${reference.slice(0, 5)} ${reference.slice(5)}.CT`,
      transferred_at: new Date().toISOString(),
    });
    const signature = createHmac('sha256', process.env.NONGSAN_E2E_WEBHOOK_SECRET).update(body).digest('hex');
    const answer = await fetch(`${BASE}/api/v1/payments/bank-transfers`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Signature': signature }, body,
    });
    assert.equal(answer.status, 200);
    assert.equal((await answer.json()).outcome, 'applied');
    await buyer.reload();
    assert.match(await buyer.textContent('main'), /Đã nhận đủ tiền/);
    await shot(buyer, 'vietqr-paid');
  });
});
