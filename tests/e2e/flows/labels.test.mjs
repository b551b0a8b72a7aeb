// Printing labels from a phone: a household lists a processed product with
// its label data (markup in a label field first: the message stands beside
// the field), the print page lists what the decree still asks for, and once
// it is filled in the page answers a PDF.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accessibilityViolations, launch, phone, register, shot } from '../lib.mjs';

const PRODUCT = 'Thịt trâu gác bếp E2E';
const SELLER = { name: 'Hà Thị Lan', phone: '0368000501', password: 'trau-gac-bep-2026' };

describe('printing labels from the seller centre', () => {
  let browser;
  let seller;
  let productId;

  before(async () => {
    browser = await launch();
    seller = await phone(browser);
  });

  after(async () => {
    await browser?.close();
  });

  it('keeps label data with the product, refusing markup beside the field', async () => {
    await register(seller, { ...SELLER, next: '/kenh-ban' });
    await seller.waitForURL(/\/kenh-ban\/mo-cua-hang/);
    await seller.fill('#name', 'Bếp Tày Định Hóa');
    await seller.selectOption('#commune_code', { index: 1 });
    await seller.fill('#address_line', 'Thôn Bản Cái');
    await Promise.all([seller.waitForURL(/\/kenh-ban\?shop=\d+/), seller.click('form[action="/kenh-ban/mo-cua-hang"] button[type=submit]:not([name])')]);
    await seller.goto('/kenh-ban/san-pham/moi');
    await seller.fill('#name', PRODUCT);
    await seller.selectOption('#category', 'proc-dried-meat');
    await seller.fill('#price_vnd', '950000');
    await seller.fill('#stock', '12');
    await seller.fill('#weight_grams', '500');
    await seller.fill('#brand', '<b>Bếp Tày</b>');
    await seller.fill('#net_quantity', '500 g');
    await Promise.all([seller.waitForLoadState('load'), seller.click('form[enctype] button[type=submit]')]);
    assert.match(await seller.textContent('#brand-err'), /Nhãn hiệu tối đa 100 ký tự/);
    assert.equal(await seller.inputValue('#net_quantity'), '500 g', 'what was typed is kept');
    await shot(seller, 'seller-label-field-error');
    await seller.fill('#brand', 'Bếp Tày');
    await Promise.all([seller.waitForURL(/\/kenh-ban\/san-pham\?da-luu=1/), seller.click('form[enctype] button[type=submit]')]);
    const edit = seller.locator('main a', { hasText: PRODUCT }).first();
    productId = /\/kenh-ban\/san-pham\/(\d+)/.exec(await edit.getAttribute('href'))[1];
  });

  it('lists what the label still lacks, then prints it', async () => {
    await seller.goto(`/kenh-ban/san-pham/${productId}`);
    await Promise.all([seller.waitForURL(/\/in-nhan$/), seller.click('a.labels')]);
    assert.deepEqual(await accessibilityViolations(seller), [], 'print page: axe-core WCAG A/AA violations');
    await seller.selectOption('#size', '70x50');
    await Promise.all([seller.waitForLoadState('load'), seller.click('form.card-form button[type=submit]')]);
    const missing = await seller.textContent('main');
    assert.match(missing, /Nghị định 43\/2017/);
    assert.match(missing, /Thành phần/);
    assert.match(missing, /Hướng dẫn bảo quản/);
    await shot(seller, 'seller-label-missing');

    await seller.goto(`/kenh-ban/san-pham/${productId}`);
    await seller.fill('#ingredients', 'Thịt trâu 95%, muối, mắc khén, gừng, ớt');
    await seller.fill('#storage_instructions', 'Nơi khô ráo, thoáng mát');
    await seller.fill('#shelf_life_days', '180');
    await Promise.all([seller.waitForURL(/da-luu=1/), seller.click('form[enctype] button[type=submit]')]);

    const pdf = await seller.request.get(`/kenh-ban/san-pham/${productId}/in-nhan?size=70x50&sheet=a4&copies=3&lot=`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  });
});
