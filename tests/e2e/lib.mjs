// Shared helpers of the end-to-end flows: the browser (Debian's chromium via
// playwright-core), phone-sized contexts, screenshots, a generated photo and
// the one-time codes the development SMS gateway keeps in the database.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const BASE = process.env.NONGSAN_E2E_BASE ?? 'http://127.0.0.1:8080';
const DB = process.env.NONGSAN_E2E_DB;
const ARTIFACTS = process.env.NONGSAN_E2E_ARTIFACTS ?? 'artifacts';
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // playwright gives every launch a fresh temporary profile (user-data-dir).
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A phone: 390×844, touch, Vietnamese locale; cookies of its own.
export async function phone(browser, options = {}) {
  const context = await browser.newContext({
    viewport: PHONE, isMobile: true, hasTouch: true, locale: 'vi-VN', baseURL: BASE, ...options,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Script errors and CSP violations count; a 4xx answer the test asked for
  // (a form re-shown with 422, the 404 page) is logged by chromium too and does not.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      errors.push(m.text());
    }
  });
  page.errors = errors;
  return page;
}

let shotNumber = 0;
export async function shot(page, name) {
  shotNumber += 1;
  const file = path.join(ARTIFACTS, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

// The newest one-time code texted to a phone (development gateway outbox).
export function lastCode(phoneNumber) {
  const out = execFileSync('sqlite3', [DB,
    `SELECT message FROM sms_outbox WHERE to_phone = '${phoneNumber.replace(/[^0-9]/g, '')}' ORDER BY id DESC LIMIT 1`]);
  const match = /\b(\d{6})\b/.exec(out.toString());
  if (!match) throw new Error(`no code texted to ${phoneNumber}: ${out}`);
  return match[1];
}

// A real JPEG, as a phone camera makes: drawn on a canvas by the browser itself.
export async function cameraPhoto(page, width = 640, height = 480) {
  const base64 = await page.evaluate(([w, h]) => {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, h);
    sky.addColorStop(0, '#9fd3f0');
    sky.addColorStop(1, '#2f7d32');
    g.fillStyle = sky;
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#1b5e20';
    for (let i = 0; i < 40; i++) g.fillRect((i * 37) % w, h / 2 + ((i * 53) % (h / 2)), 24, 12);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  }, [width, height]);
  return { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') };
}

// Registers through the pages and confirms the texted code; ends on `next`.
export async function register(page, { name, phone: number, password, next = '/' }) {
  await page.goto(`/dang-ky?next=${encodeURIComponent(next)}`);
  await page.fill('#full_name', name);
  await page.fill('#phone', number);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/\/xac-minh/), page.click('form[action="/dang-ky"] button[type=submit]')]);
  await page.fill('#code', lastCode(number));
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/xac-minh')),
    page.click('form[action="/xac-minh"] button[type=submit]')]);
}

// An official's account, made as an operator does: `nongsan admin create-user`
// on the server's data directory, the password on stdin.
export function createOfficial({ phone: number, password, name, role = 'province_admin', scope = '19' }) {
  const flag = role === 'province_admin' ? '--province' : '--commune';
  execFileSync(process.env.NONGSAN_E2E_BIN, ['admin', 'create-user', '--phone', number, '--role', role, flag, scope,
    '--name', name, '--data-dir', process.env.NONGSAN_E2E_DATA], { input: `${password}\n` });
}

export async function signIn(page, { phone: number, password, next = '/' }) {
  await page.goto(`/dang-nhap?next=${encodeURIComponent(next)}`);
  await page.fill('#phone', number);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/dang-nhap')),
    page.click('form[action="/dang-nhap"] button[type=submit]')]);
}

// axe-core's WCAG 2.1 A/AA rules on the page as it is now; returns the
// violations (rule id, impact and the first offending element of each).
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export async function accessibilityViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes[0]?.html ?? ''}`);
}

// Bytes of the page's HTML as the server sends it now (a GET of the current
// address from inside the page), without photos, styles or scripts.
export const PAGE_BUDGET_BYTES = 60 * 1024;
export async function htmlBytes(page) {
  return page.evaluate(async () => (await (await fetch(location.href, { credentials: 'same-origin' })).arrayBuffer()).byteLength);
}
