// The marketplace end to end, on phones: a household opens a shop and lists a
// product with a photo from the camera; a buyer finds it by typing without
// tone marks, adds it to the cart, checks out with cash on delivery and sees
// the order; the shop confirms, packs and ships it; the buyer sees the new
// status. Steps share the two phones and run in order.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, accessibilityViolations, cameraPhoto, lastCode, launch, phone, register, shot,
} from '../lib.mjs';

const PRODUCT = 'Chè búp Tân Cương đặc biệt E2E';
const SELLER = { name: 'Nguyễn Thị Hoa', phone: '0368000101', password: 'che-tan-cuong-2026' };
const BUYER = { name: 'Trần Văn Nam', phone: '0398000202', password: 'mua-che-ngon-2026' };

describe('marketplace on a phone', () => {
  let browser;
  let seller;
  let buyer;
  let orderUrl;

  before(async () => {
    browser = await launch();
    seller = await phone(browser);
    buyer = await phone(browser);
  });

  after(async () => {
    await browser?.close();
  });

  it('shows the home page in Vietnamese with categories and a working language switch', async () => {
    await buyer.goto('/');
    assert.equal(await buyer.getAttribute('html', 'lang'), 'vi');
    assert.match(await buyer.textContent('h1'), /Nông sản/);
    assert.ok(await buyer.locator('.chips a').count() >= 5, 'top-level categories are listed');
    await shot(buyer, 'home');
    await buyer.click('a[hreflang="en"]');
    assert.equal(await buyer.getAttribute('html', 'lang'), 'en');
    await buyer.goto('/');
    assert.equal(await buyer.getAttribute('html', 'lang'), 'en', 'the choice is remembered in a cookie');
    await buyer.click('a[hreflang="vi"]');
    assert.equal(await buyer.getAttribute('html', 'lang'), 'vi');
  });

  it('lets a household register, open a shop and list a product with a camera photo', async () => {
    await register(seller, { ...SELLER, next: '/kenh-ban' });
    await seller.waitForURL(/\/kenh-ban\/mo-cua-hang/);
    await shot(seller, 'seller-open-shop');
    await seller.fill('#name', 'Chè Hoa Tân Cương');
    await seller.selectOption('#commune_code', { index: 1 });
    await seller.fill('#address_line', 'Xóm Nam Thái');
    await Promise.all([seller.waitForURL(/\/kenh-ban\?shop=\d+/), seller.click('form[action="/kenh-ban/mo-cua-hang"] button[type=submit]:not([name])')]);
    await shot(seller, 'seller-dashboard');

    await seller.click('a.tile[href="/kenh-ban/san-pham/moi"]');
    const input = seller.locator('#photo');
    assert.equal(await input.getAttribute('capture'), 'environment');
    assert.equal(await input.getAttribute('accept'), 'image/*');
    await input.setInputFiles(await cameraPhoto(seller));
    // Bad input first: the form comes back with the values kept and the error by the field.
    await seller.fill('#name', PRODUCT);
    await seller.fill('#price_vnd', '3.00.0');
    await seller.fill('#weight_grams', '1 tấn rưỡi');
    await seller.selectOption('#category', 'tea-bud');
    await Promise.all([seller.waitForLoadState('load'), seller.click('form[enctype] button[type=submit]')]);
    assert.equal(await seller.inputValue('#name'), PRODUCT);
    assert.match(await seller.textContent('#price_vnd-err'), /Giá phải là số nguyên dương/);
    assert.match(await seller.textContent('#weight_grams-err'), /Khối lượng ghi bằng số và đơn vị/);
    assert.equal(await seller.inputValue('#price_vnd'), '3.00.0', 'what was typed is kept');
    assert.equal(await seller.inputValue('#weight_grams'), '1 tấn rưỡi');
    await shot(seller, 'seller-product-form-error');

    // The photo chosen before the error is still attached: shown, and carried by the form.
    assert.equal(await seller.locator('#photo-preview img.staged').count(), 1, 'the chosen photo is shown again');
    assert.match(await seller.getAttribute('input[name=photo_token]', 'value'), /^[A-Za-z0-9_-]+$/);
    assert.match(await seller.textContent('#photo-kept'), /vẫn được giữ/);
    // As people type them: grouped thousands, a weight with its unit.
    await seller.fill('#price_vnd', '250.000');
    await seller.fill('#stock', '20');
    await seller.fill('#weight_grams', '1 kg');
    await seller.fill('#description', 'Chè búp hái tay, sao suốt, vùng Tân Cương.');
    await Promise.all([seller.waitForURL(/\/kenh-ban\/san-pham\?da-luu=1/), seller.click('form[enctype] button[type=submit]')]);
    assert.match(await seller.textContent('main'), new RegExp(PRODUCT));
    await shot(seller, 'seller-products');
  });

  it('finds the product without tone marks and shows its page with price, stock and structured data', async () => {
    await buyer.goto('/');
    await buyer.fill('#q', 'che bup tan cuong dac biet e2e');
    await Promise.all([buyer.waitForURL(/\/tim-kiem\?q=/), buyer.press('#q', 'Enter')]);
    await shot(buyer, 'search');
    const link = buyer.locator('.card a', { hasText: PRODUCT });
    assert.equal(await link.count(), 1, 'the new product is found');
    await Promise.all([buyer.waitForURL(/\/san-pham\/che-bup-tan-cuong-dac-biet-e2e-\d+$/), link.click()]);
    assert.equal(await buyer.textContent('h1'), PRODUCT);
    assert.match(await buyer.textContent('.price'), /250\.000\s₫/);
    assert.match(await buyer.textContent('main'), /Còn 20 kg/);
    const img = buyer.locator('.gallery img').first();
    assert.ok(Number(await img.getAttribute('width')) > 0 && Number(await img.getAttribute('height')) > 0);
    assert.match(await img.getAttribute('src'), /^\/photos\//, 'the photo chosen before the bad price was saved');
    const ld = JSON.parse(await buyer.textContent('script[type="application/ld+json"]'));
    assert.equal(ld['@type'], 'Product');
    assert.equal(ld.offers.price, 250000);
    assert.equal(ld.offers.priceCurrency, 'VND');
    assert.equal(await buyer.getAttribute('meta[property="og:title"]', 'content'), PRODUCT);
    await shot(buyer, 'product');
  });

  it('adds to the cart and checks out with cash on delivery after registering', async () => {
    await buyer.fill('#quantity', '2');
    await Promise.all([buyer.waitForURL(/da-them=1/), buyer.click('form[action="/gio-hang/them"] button')]);
    await buyer.goto('/gio-hang');
    assert.match(await buyer.textContent('main'), /500\.000\s₫/);
    await shot(buyer, 'cart');
    await buyer.click('a[href="/thanh-toan"]');
    await buyer.waitForURL(/\/dang-nhap\?next=%2Fthanh-toan/);
    assert.match(await buyer.textContent('main'), /đăng nhập hoặc đăng ký để đặt hàng/, 'the guest is told why');
    await shot(buyer, 'signin');
    await buyer.click('main a[href^="/dang-ky"]');
    await buyer.fill('#full_name', BUYER.name);
    await buyer.fill('#phone', BUYER.phone);
    await buyer.fill('#password', BUYER.password);
    await Promise.all([buyer.waitForURL(/\/xac-minh/), buyer.click('form[action="/dang-ky"] button[type=submit]')]);
    await shot(buyer, 'otp');
    await buyer.fill('#code', lastCode(BUYER.phone));
    await Promise.all([buyer.waitForURL(/\/thanh-toan$/), buyer.click('form[action="/xac-minh"] button[type=submit]')]);
    assert.equal(await buyer.inputValue('#full_name'), BUYER.name, 'the guest cart and the name carried over');
    assert.match(await buyer.textContent('main'), new RegExp(PRODUCT));

    // Bad input: no commune chosen; the form keeps what was typed.
    await buyer.fill('#address_line', 'Số 5, tổ 12');
    await Promise.all([buyer.waitForLoadState('load'), buyer.click('form[action="/thanh-toan"] button.wide')]);
    assert.match(await buyer.textContent('#commune_code-err'), /Vui lòng chọn xã, phường/);
    assert.equal(await buyer.inputValue('#address_line'), 'Số 5, tổ 12');

    // The province → commune picker fills from the real units.
    await buyer.selectOption('#province', '19');
    await buyer.waitForFunction(() => document.querySelectorAll('#commune_code option').length > 10);
    await buyer.selectOption('#commune_code', { index: 1 });
    // The first tap shows each shop's shipping fee and the total; the second orders.
    await Promise.all([buyer.waitForLoadState('load'), buyer.click('form[action="/thanh-toan"] button.wide')]);
    assert.match(await buyer.textContent('#phi-giao-hang'), /Phí giao/);
    const grandTotal = (await buyer.textContent('#phi-giao-hang .price')).trim();
    assert.match(grandTotal, /^\d{1,3}(\.\d{3})+\s₫$/);
    assert.equal(await buyer.inputValue('#address_line'), 'Số 5, tổ 12');
    assert.deepEqual(await accessibilityViolations(buyer), [], 'checkout: axe-core WCAG A/AA violations');
    await shot(buyer, 'checkout');
    await Promise.all([buyer.waitForURL(/\/dat-hang-thanh-cong\?ma=/), buyer.click('form[action="/thanh-toan"] button.wide')]);
    assert.match(await buyer.textContent('main'), new RegExp(grandTotal.replace(/\./g, '\\.')), 'the total shown is the total charged');
    assert.match(await buyer.textContent('h1'), /Đặt hàng thành công/);
    await shot(buyer, 'confirmation');
    await buyer.click('main a[href="/don-hang"]');
    const orders = buyer.locator('main .list li');
    assert.equal(await orders.count(), 1);
    assert.match(await orders.first().textContent(), /Đã đặt/);
    await shot(buyer, 'my-orders');
    orderUrl = await orders.first().locator('a').first().getAttribute('href');
  });

  it('lets the shop confirm, pack and ship with one tap each', async () => {
    await seller.goto('/kenh-ban/don-hang');
    await shot(seller, 'seller-order-queue');
    for (const [tab, action] of [['placed', 'Xác nhận đơn'], ['confirmed', 'Đã đóng gói'], ['packed', 'Giao cho vận chuyển']]) {
      await seller.goto(`/kenh-ban/don-hang?trang-thai=${tab}`);
      const button = seller.locator('main .list li button', { hasText: action });
      assert.equal(await button.count(), 1, `${action} is offered`);
      await Promise.all([seller.waitForURL(/xong=1/), button.click()]);
    }
    await seller.goto('/kenh-ban/don-hang?trang-thai=shipped');
    assert.equal(await seller.locator('main .list li').count(), 1);
    await shot(seller, 'seller-shipped');
  });

  it('shows the buyer the new status on the timeline', async () => {
    await buyer.goto(orderUrl);
    assert.match(await buyer.textContent('.status'), /Đang giao/);
    const done = buyer.locator('.timeline li.done');
    assert.equal(await done.count(), 4, 'placed, confirmed, packed and shipped are done');
    await shot(buyer, 'order-timeline');
  });

  it('invites the buyer to review once delivered, shows the review under #danh-gia and the shop\'s reply', async () => {
    await seller.goto('/kenh-ban/don-hang?trang-thai=shipped');
    const delivered = seller.locator('main .list li button', { hasText: 'Đã giao tới khách' });
    await Promise.all([seller.waitForURL(/xong=1/), delivered.click()]);
    await buyer.goto(orderUrl);
    await Promise.all([buyer.waitForURL(/\/danh-gia\?san-pham=\d+$/), buyer.click('main a:has-text("Viết đánh giá")')]);
    assert.deepEqual(await accessibilityViolations(buyer), [], 'review form: axe-core WCAG A/AA violations');
    await buyer.check('input[name=rating][value="4"]');
    await buyer.fill('#text', 'Chè thơm, nước xanh, đóng gói cẩn thận.');
    await buyer.locator('#photos').setInputFiles(await cameraPhoto(buyer, 480, 480));
    await shot(buyer, 'review-form');
    await Promise.all([buyer.waitForURL(/da-danh-gia=1#danh-gia$/), buyer.click('form[enctype] button[type=submit]')]);
    assert.match(await buyer.textContent('#danh-gia [role=status]'), /Cảm ơn bạn đã đánh giá/);
    const review = buyer.locator('#danh-gia .reviews li').first();
    assert.match(await review.textContent(), /Chè thơm, nước xanh/);
    const photo = review.locator('img');
    await photo.scrollIntoViewIfNeeded();
    await buyer.waitForFunction((img) => img.complete && img.naturalWidth === 480, await photo.elementHandle());
    assert.equal(await buyer.getAttribute('.rating a', 'href'), '#danh-gia', 'the rating links to the reviews');
    await shot(buyer, 'product-reviews');

    await seller.click('nav a[href="/kenh-ban/danh-gia"]');
    await seller.fill('main textarea[name=reply]', 'Cảm ơn anh đã ủng hộ vườn chè!');
    await Promise.all([seller.waitForURL(/da-tra-loi=1/), seller.click('form[action$="/tra-loi"] button')]);
    await buyer.reload();
    assert.match(await buyer.textContent('#danh-gia'), /Cảm ơn anh đã ủng hộ vườn chè!/);
  });

  it('returns a signed-out buyer to the page they wanted after signing in', async () => {
    await buyer.context().clearCookies();
    await buyer.goto(orderUrl);
    await buyer.waitForURL(/\/dang-nhap\?next=/);
    await buyer.fill('#phone', BUYER.phone);
    await buyer.fill('#password', BUYER.password);
    await Promise.all([buyer.waitForURL(new RegExp(`${orderUrl}$`)), buyer.click('form[action="/dang-nhap"] button')]);
    assert.match(await buyer.textContent('h1'), /Đơn/);
  });

  it('answers an unknown product with the Vietnamese 404 page', async () => {
    const response = await buyer.goto('/san-pham/khong-co-999999');
    assert.equal(response.status(), 404);
    assert.match(await buyer.textContent('h1'), /Không tìm thấy trang/);
    await shot(buyer, 'not-found');
  });

  it('ran without script errors on any page', () => {
    assert.deepEqual([...seller.errors, ...buyer.errors], []);
  });
});

// The base URL is printed so a failed run can be reproduced by hand.
console.log(`e2e against ${BASE}`);
