// A recall end to end, on phones: a household lists a product and records a
// production lot from the seller centre (a bad lot code first: the message
// stands beside the field); a buyer orders it; the shop packs (the lot is
// taken) and ships; the shop recalls the lot from its page (a confirmation
// box first); the buyer sees the recall on
// the order page and on the page the pack's QR code opens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lastCode, launch, phone, register, shot } from '../lib.mjs';

const PRODUCT = 'Chè móc câu lô E2E';
const SELLER = { name: 'Lê Thị Thu', phone: '0368000301', password: 'che-moc-cau-2026' };
const BUYER = { name: 'Phạm Văn Bình', phone: '0398000402', password: 'mua-che-lo-2026' };

describe('a lot recalled after it shipped', () => {
  let browser;
  let seller;
  let buyer;
  let productId;
  let lotId;
  let orderUrl;

  before(async () => {
    browser = await launch();
    seller = await phone(browser);
    buyer = await phone(browser);
  });

  after(async () => {
    await browser?.close();
  });

  it('lets a household list a product and record its lot from a phone', async () => {
    await register(seller, { ...SELLER, next: '/kenh-ban' });
    await seller.waitForURL(/\/kenh-ban\/mo-cua-hang/);
    await seller.fill('#name', 'Chè Thu Tân Cương');
    await seller.selectOption('#commune_code', { index: 1 });
    await seller.fill('#address_line', 'Xóm Đồng');
    await Promise.all([seller.waitForURL(/\/kenh-ban\?shop=\d+/), seller.click('form[action="/kenh-ban/mo-cua-hang"] button[type=submit]:not([name])')]);
    await seller.goto('/kenh-ban/san-pham/moi');
    await seller.fill('#name', PRODUCT);
    await seller.selectOption('#category', 'tea-bud');
    await seller.fill('#price_vnd', '180000');
    await seller.fill('#stock', '30');
    await seller.fill('#weight_grams', '500');
    await Promise.all([seller.waitForURL(/\/kenh-ban\/san-pham\?da-luu=1/), seller.click('form[enctype] button[type=submit]')]);
    const edit = seller.locator('main a', { hasText: PRODUCT }).first();
    productId = /\/kenh-ban\/san-pham\/(\d+)/.exec(await edit.getAttribute('href'))[1];
    await seller.goto(`/kenh-ban/san-pham/${productId}`);
    await Promise.all([seller.waitForURL(/\/lo$/), seller.click('a.lots')]);

    await seller.fill('#code', 'LÔ#1');
    await seller.fill('#produced_on', '2026-11-20');
    await seller.fill('#expires_on', '2027-05-20');
    await seller.fill('#quantity', '20');
    await Promise.all([seller.waitForLoadState('load'), seller.click('form.card-form button[type=submit]')]);
    assert.match(await seller.textContent('#code-err'), /Số lô tối đa 20 ký tự/);
    assert.equal(await seller.inputValue('#quantity'), '20', 'what was typed is kept');
    await shot(seller, 'seller-lot-error');

    await seller.fill('#code', 'TC-2611');
    await seller.fill('#log_date', '2026-11-18');
    await seller.fill('#log_activity', 'Thu hái');
    await Promise.all([seller.waitForURL(/da-luu=1/), seller.click('form.card-form button[type=submit]')]);
    assert.match(await seller.textContent('main .list'), /TC-2611/);
    const qr = await seller.locator('main .list a', { hasText: 'Mã QR' }).first().getAttribute('href');
    lotId = /\/api\/v1\/lots\/(\d+)\/qr/.exec(qr)[1];
    await shot(seller, 'seller-lots');
  });

  it('lets a buyer order it', async () => {
    await buyer.goto(`/san-pham/${productId}`);
    await buyer.fill('#quantity', '2');
    await Promise.all([buyer.waitForURL(/da-them=1/), buyer.click('form[action="/gio-hang/them"] button')]);
    await buyer.goto('/thanh-toan');
    await buyer.waitForURL(/\/dang-nhap/);
    await buyer.click('main a[href^="/dang-ky"]');
    await buyer.fill('#full_name', BUYER.name);
    await buyer.fill('#phone', BUYER.phone);
    await buyer.fill('#password', BUYER.password);
    await Promise.all([buyer.waitForURL(/\/xac-minh/), buyer.click('form[action="/dang-ky"] button[type=submit]')]);
    await buyer.fill('#code', lastCode(BUYER.phone));
    await Promise.all([buyer.waitForURL(/\/thanh-toan$/), buyer.click('form[action="/xac-minh"] button[type=submit]')]);
    await buyer.fill('#address_line', 'Số 9, tổ 3');
    await buyer.selectOption('#province', '19');
    await buyer.waitForFunction(() => document.querySelectorAll('#commune_code option').length > 10);
    await buyer.selectOption('#commune_code', { index: 1 });
    // The first tap shows the shipping fee and the total; the second orders.
    await Promise.all([buyer.waitForLoadState('load'), buyer.click('form[action="/thanh-toan"] button.wide')]);
    await buyer.waitForSelector('#phi-giao-hang');
    await Promise.all([buyer.waitForURL(/\/dat-hang-thanh-cong\?ma=/), buyer.click('form[action="/thanh-toan"] button.wide')]);
    await buyer.click('main a[href="/don-hang"]');
    orderUrl = await buyer.locator('main .list li a').first().getAttribute('href');
  });

  it('packs from the lot, ships, then recalls the lot', async () => {
    for (const [tab, action] of [['placed', 'Xác nhận đơn'], ['confirmed', 'Đã đóng gói'], ['packed', 'Giao cho vận chuyển']]) {
      await seller.goto(`/kenh-ban/don-hang?trang-thai=${tab}`);
      const button = seller.locator('main .list li button', { hasText: action });
      assert.equal(await button.count(), 1, `${action} is offered`);
      await Promise.all([seller.waitForURL(/xong=1/), button.click()]);
    }
    await seller.goto(`/kenh-ban/san-pham/${productId}/lo`);
    assert.match(await seller.textContent('main .list'), /còn 18\/20/, 'the packed 2 came off the lot');
    // The lot's page lists the order that took it and offers the recall.
    await Promise.all([seller.waitForURL(/\/kenh-ban\/lo\/\d+$/), seller.click('main .list a.lot')]);
    assert.match(await seller.textContent('main .list.lines'), /2 đơn vị/);
    await seller.fill('#recall-reason', 'Dư lượng thuốc bảo vệ thực vật vượt mức cho phép');
    // Without the box ticked nothing is recalled: the message stands beside it.
    await Promise.all([seller.waitForLoadState('load'), seller.click('form.recall button[type=submit]')]);
    assert.match(await seller.textContent('#xac_nhan-err'), /Đánh dấu ô xác nhận/);
    assert.match(await seller.textContent('#lot-status'), /Đang bán|Đã bán hết/);
    assert.equal(await seller.inputValue('#recall-reason'), 'Dư lượng thuốc bảo vệ thực vật vượt mức cho phép');
    await shot(seller, 'seller-recall-confirm');
    await seller.check('#xac_nhan');
    await Promise.all([seller.waitForURL(/\?xong=1$/), seller.click('form.recall button[type=submit]')]);
    assert.match(await seller.textContent('#lot-status'), /Đã thu hồi/);
    assert.equal(await seller.locator('form.recall').count(), 0, 'a recall is offered once');
    await shot(seller, 'seller-lot-recalled');
  });

  it('shows the buyer the recall on the order and on the pack\'s trace page', async () => {
    await buyer.goto(orderUrl);
    const banner = buyer.locator('main .alert[role=alert]');
    assert.match(await banner.textContent(), /THU HỒI SẢN PHẨM/);
    assert.match(await banner.textContent(), /TC-2611/);
    await shot(buyer, 'buyer-order-recalled');
    const lot = await seller.evaluate(async (id) => (await fetch(`/api/v1/lots/${id}`)).json(), lotId);
    await buyer.goto(new URL(lot.trace_url).pathname);
    assert.match(await buyer.textContent('main .alert'), /THU HỒI SẢN PHẨM/);
    assert.match(await buyer.textContent('main'), new RegExp(PRODUCT));
    // The decision and its reason, last on the lot's timeline.
    assert.match(await buyer.textContent('ol.timeline li:last-child'),
      /Thu hồi — Dư lượng thuốc bảo vệ thực vật vượt mức cho phép/);
    await shot(buyer, 'trace-page-recalled');
    assert.deepEqual(buyer.errors, []);
  });
});
