// Quality work in the browser, on phones: a household submits a certificate
// with a photo of the paper (a file that is not one is refused by the field
// first); the province's quality officer sees it in the queue with the photo
// inline, verifies it, and verifies the shop waiting for them; the badge
// reaches the product page. An unknown page is HTML in the site's layout.
// Every page the officials and the shop use passes axe-core's WCAG A/AA rules.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PAGE_BUDGET_BYTES, accessibilityViolations, cameraPhoto, createOfficial, htmlBytes, launch, phone, register, shot,
  signIn,
} from '../lib.mjs';

const SELLER = { name: 'Lò Thị Mai', phone: '0368000303', password: 'mien-dong-mai-2026' };
const OFFICIAL = { name: 'Hoàng Văn Tâm', phone: '0912000404', password: 'so-nong-nghiep-2026' };
const SHOP = 'Miến dong Mai E2E';
const PRODUCT = 'Miến dong Bình Liêu E2E';
const NUMBER = 'VietGAP-TN-E2E-0001';

// axe-core's WCAG A/AA rules pass, and the HTML stays within the page budget.
async function assertAccessible(page, what) {
  assert.deepEqual(await accessibilityViolations(page), [], `${what}: axe-core WCAG A/AA violations`);
  const bytes = await htmlBytes(page);
  console.log(`page size: ${what}: ${bytes} bytes`);
  assert.ok(bytes <= PAGE_BUDGET_BYTES, `${what}: ${bytes} bytes of HTML`);
}

describe('certificates and verification by an official', () => {
  let browser;
  let seller;
  let official;

  before(async () => {
    browser = await launch();
    seller = await phone(browser);
    official = await phone(browser);
    createOfficial(OFFICIAL);
  });

  after(async () => {
    await browser?.close();
  });

  it('answers an unknown page with the HTML 404 page in the layout, in both languages', async () => {
    const response = await seller.goto('/trang-nay-khong-co');
    assert.equal(response.status(), 404);
    assert.match(response.headers()['content-type'], /^text\/html/);
    assert.match(await seller.textContent('h1'), /Không tìm thấy trang/);
    assert.equal(await seller.locator('main a[href="/"]').count(), 1, 'a way back home');
    await assertAccessible(seller, '404');
    await seller.goto('/trang-nay-khong-co?lang=en');
    assert.match(await seller.textContent('h1'), /Page not found|not found/i);
    await seller.goto('/?lang=vi');
  });

  it('lets a household submit a certificate with a photo of it', async () => {
    await register(seller, { ...SELLER, next: '/kenh-ban' });
    await seller.waitForURL(/\/kenh-ban\/mo-cua-hang/);
    await seller.fill('#name', SHOP);
    await seller.selectOption('#commune_code', { index: 1 });
    await seller.fill('#address_line', 'Bản Nà Mạ');
    await Promise.all([seller.waitForURL(/\/kenh-ban\?shop=\d+/),
      seller.click('form[action="/kenh-ban/mo-cua-hang"] button[type=submit]:not([name])')]);
    await seller.goto('/kenh-ban/san-pham/moi');
    await seller.locator('#photo').setInputFiles(await cameraPhoto(seller));
    await seller.fill('#name', PRODUCT);
    await seller.fill('#price_vnd', '120000');
    await seller.fill('#stock', '30');
    await seller.fill('#weight_grams', '500');
    await seller.selectOption('#category', 'tea-bud');
    await Promise.all([seller.waitForURL(/\/kenh-ban\/san-pham\?da-luu=1/), seller.click('form[enctype] button[type=submit]')]);

    await seller.click('nav a[href="/kenh-ban/chung-nhan"]');
    await seller.waitForURL(/\/kenh-ban\/chung-nhan$/);
    await assertAccessible(seller, 'seller certificates');
    await seller.selectOption('#kind', 'vietgap');
    await seller.fill('#number', NUMBER);
    await seller.fill('#issuer', 'Trung tâm Kiểm nghiệm Thái Nguyên');
    const today = new Date();
    const iso = (d) => d.toISOString().slice(0, 10);
    await seller.fill('#issued_on', iso(new Date(today.getTime() - 30 * 864e5)));
    await seller.fill('#expires_on', iso(new Date(today.getTime() + 300 * 864e5)));
    await seller.check(`label.check:has-text("${PRODUCT}") input`);
    // Bad input first: a text file is not a certificate photo or PDF.
    await seller.locator('#evidence').setInputFiles({ name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('không phải ảnh') });
    await Promise.all([seller.waitForLoadState('load'), seller.click('form[action="/kenh-ban/chung-nhan"] button.wide')]);
    assert.match(await seller.textContent('#evidence-err'), /Vui lòng chọn ảnh .* hoặc tệp PDF/);
    assert.equal(await seller.inputValue('#number'), NUMBER, 'what was typed is kept');
    assert.ok(await seller.isChecked(`label.check:has-text("${PRODUCT}") input`));
    await shot(seller, 'seller-certificate-error');
    await assertAccessible(seller, 'seller certificate form with an error');

    // A good photo with an expiry before the issue date: the photo is kept
    // (named, with a thumbnail), and the corrected form sends it without
    // choosing it again (issue #12).
    await seller.locator('#evidence').setInputFiles(await cameraPhoto(seller, 800, 600));
    await seller.fill('#expires_on', iso(new Date(today.getTime() - 60 * 864e5)));
    await Promise.all([seller.waitForLoadState('load'), seller.click('form[action="/kenh-ban/chung-nhan"] button.wide')]);
    assert.ok(await seller.isVisible('#expires_on-err'), 'the date is refused');
    assert.match(await seller.textContent('#evidence-kept'), /Đã đính kèm:/);
    assert.ok(await seller.isVisible('#evidence-kept ~ img.staged'), 'a thumbnail of the kept photo');
    await assertAccessible(seller, 'seller certificate form keeping its photo');
    await seller.fill('#expires_on', iso(new Date(today.getTime() + 300 * 864e5)));
    await Promise.all([seller.waitForURL(/\/kenh-ban\/chung-nhan\?da-gui=/),
      seller.click('form[action="/kenh-ban/chung-nhan"] button.wide')]);
    const item = seller.locator('main .list li', { hasText: NUMBER });
    assert.match(await item.textContent(), /Chờ duyệt/);
    await shot(seller, 'seller-certificate-sent');
  });

  it('lets the province official verify the certificate with its photo, and the shop', async () => {
    await signIn(official, { ...OFFICIAL, next: '/can-bo/chung-nhan' });
    await official.waitForURL(/\/can-bo\/chung-nhan$/);
    const entry = official.locator('main .list li', { hasText: NUMBER });
    assert.equal(await entry.count(), 1, 'the certificate is in the queue');
    assert.match(await entry.textContent(), new RegExp(PRODUCT));
    const photo = entry.locator('.evidence img');
    await photo.scrollIntoViewIfNeeded();
    await official.waitForFunction((img) => img.complete && img.naturalWidth === 800, await photo.elementHandle());
    await shot(official, 'official-certificate-queue');
    await assertAccessible(official, 'official certificate queue');

    // Rejecting needs a reason: the message comes back by the field.
    await Promise.all([official.waitForLoadState('load'), entry.locator('form[action$="/tu-choi"] button').click()]);
    assert.match(await official.textContent('main .list li .err'), /Vui lòng nhập lý do/);
    await Promise.all([official.waitForURL(/xong=verified/),
      official.locator('main .list li', { hasText: NUMBER }).locator('form[action$="/xac-nhan"] button').click()]);
    assert.match(await official.textContent('[role=status]'), new RegExp(`Đã xác nhận chứng nhận ${NUMBER}`));

    await official.click('nav a[href="/can-bo/cua-hang"]');
    const shop = official.locator('main .list li', { hasText: SHOP });
    assert.equal(await shop.count(), 1, 'the new shop waits for verification');
    await assertAccessible(official, 'official shops');
    await Promise.all([official.waitForURL(/xong=shop_verified/), shop.locator('form[action$="/xac-minh"] button').click()]);
    assert.match(await official.textContent('[role=status]'), new RegExp(`Đã xác minh cửa hàng ${SHOP}`));
    await shot(official, 'official-shop-verified');

    await official.click('nav a[href="/can-bo/bao-cao"]');
    assert.match(await official.textContent('h1'), /Báo cáo và khiếu nại/);
    await assertAccessible(official, 'official reports');

    await official.click('footer a[href="/tai-khoan"]');
    assert.match(await official.textContent('h1'), /Tài khoản của tôi/);
    assert.equal(await official.inputValue('#full_name'), OFFICIAL.name);
    await assertAccessible(official, 'account page');
  });

  it('shows the verified certificate on the shop\'s page', async () => {
    await seller.goto('/kenh-ban/chung-nhan');
    const item = seller.locator('main .list li', { hasText: NUMBER });
    assert.match(await item.textContent(), /Đã xác nhận/);
    const link = item.locator('a', { hasText: 'Trang kiểm tra công khai' });
    assert.equal(await link.count(), 1);
    // The public check page behind the QR code, styled within the CSP: a green verdict.
    const code = new URL(await link.getAttribute('href')).pathname;
    await seller.goto(code);
    const verdict = seller.locator('.verdict');
    assert.equal(await verdict.evaluate((el) => getComputedStyle(el).borderTopColor), 'rgb(46, 125, 50)');
    await shot(seller, 'certificate-public-check');
  });

  it('ran without script errors or CSP violations on any page', () => {
    assert.deepEqual([...seller.errors, ...official.errors], []);
  });
});
