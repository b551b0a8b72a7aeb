// Checks VNPay signatures with npm `vnpay` (an implementation we did not
// write): for each line of FILE — a payment URL or a callback query string —
// prints "true" or "false" for `verifyReturnUrl(...).isVerified`.
//   node tests/support/vnpay_verify.mjs TMN_CODE SECRET FILE
// The package is installed with the e2e tooling (tests/e2e/package.json).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../e2e/package.json'));
const { VNPay } = require('vnpay');

const [tmnCode, secureSecret, file] = process.argv.slice(2);
const vnpay = new VNPay({ tmnCode, secureSecret, hashAlgorithm: 'SHA512', enableLog: false });
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line) continue;
  const query = line.includes('?') ? line.slice(line.indexOf('?') + 1) : line;
  const params = Object.fromEntries(new URLSearchParams(query));
  let verified = false;
  try {
    verified = vnpay.verifyReturnUrl(params).isVerified === true;
  } catch {
    verified = false;
  }
  console.log(verified ? 'true' : 'false');
}
