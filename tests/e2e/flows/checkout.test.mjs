// Checkout on a phone with JavaScript turned off: a guest adds a demo product,
// is sent to sign in and comes back to the checkout; the province → commune
// step works (the browser no longer stops it over the empty address line);
// the shipping fee and the total are shown before "Đặt hàng", and the order
// is placed with the total that was shown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, register, shot } from '../lib.mjs';

const BUYER = { name: 'Đinh Thị Lan', phone: '0398000505', password: 'khong-co-js-2026' };

describe('checkout without JavaScript', () => {
  let browser;
  let buyer;

  before(async () => {
    browser = await launch();
    buyer = await phone(browser, { javaScriptEnabled: false });
  });

  after(async () => {
    await browser?.close();
  });

  it('adds a product as a guest and comes back to the checkout after registering', async () => {
    await buyer.goto('/');
    const card = buyer.locator('.card a').first();
    await Promise.all([buyer.waitForURL(/\/san-pham\//), card.click()]);
    await Promise.all([buyer.waitForURL(/da-them=1/), buyer.click('form[action="/gio-hang/them"] button')]);
    await buyer.goto('/thanh-toan');
    await buyer.waitForURL(/\/dang-nhap\?next=%2Fthanh-toan/);
    await register(buyer, { ...BUYER, next: '/thanh-toan' });
    await buyer.waitForURL(/\/thanh-toan$/);
    assert.equal(await buyer.inputValue('#full_name'), BUYER.name);
  });

  it('shows the communes, then the fee and total, then orders', async () => {
    // The address line is still empty: the step must not be blocked by it.
    await buyer.selectOption('#province', '19');
    await Promise.all([buyer.waitForLoadState('load'), buyer.click('button[name=step][value=province]')]);
    assert.ok(await buyer.locator('#commune_code option').count() > 10, 'the province\'s communes are listed');
    await buyer.selectOption('#commune_code', { index: 1 });
    await buyer.fill('#address_line', 'Xóm Đồng Tâm');
    assert.equal(await buyer.locator('#phi-giao-hang').count(), 0);
    await Promise.all([buyer.waitForLoadState('load'), buyer.click('form[action="/thanh-toan"] button.wide')]);
    const fees = buyer.locator('#phi-giao-hang');
    assert.equal(await fees.count(), 1, 'the fee is shown before ordering');
    assert.ok(await fees.locator('tbody tr').count() >= 1, 'a row per shop');
    const total = (await fees.locator('.price').textContent()).trim();
    assert.match(await buyer.textContent('form[action="/thanh-toan"] button.wide'), /Đặt hàng/);
    await shot(buyer, 'checkout-no-js-fee');
    await Promise.all([buyer.waitForURL(/\/dat-hang-thanh-cong\?ma=/), buyer.click('form[action="/thanh-toan"] button.wide')]);
    assert.match(await buyer.textContent('main'), new RegExp(total.replace(/\./g, '\\.')), 'the total shown is the total charged');
  });
});
