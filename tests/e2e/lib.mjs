// Shared helpers of the end-to-end flows: the browser (Debian's chromium via
// playwright-core), phone-sized contexts, screenshots, a generated photo and
// the one-time codes the development SMS gateway keeps in the database.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
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
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
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

// A small real PNG (a green square), standing in for a phone camera photo.
export function photoPng(size = 96) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0); header.writeUInt32BE(size, 4);
  header[8] = 8; header[9] = 2; // 8-bit RGB
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) row.set([40 + x, 120 + (y % 100), 60], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
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
