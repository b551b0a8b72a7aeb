// Decodes a VietQR payload with npm vietnam-qr-pay (an implementation we did
// not write, ../shared/TESTING.md) and prints what it read as one JSON line:
// {isValid, initMethod, bankBin, bankNumber, amount, purpose, crc}.
// Usage: node tests/support/vietqr_decode.cjs PAYLOAD  (run from anywhere;
// the package is resolved from tests/e2e/node_modules).
const path = require("path");
const { QRPay } = require(path.join(__dirname, "..", "e2e", "node_modules", "vietnam-qr-pay"));

const qr = new QRPay(process.argv[2] || "");
process.stdout.write(
  JSON.stringify({
    isValid: qr.isValid,
    initMethod: qr.initMethod ?? null,
    bankBin: qr.consumer?.bankBin ?? null,
    bankNumber: qr.consumer?.bankNumber ?? null,
    amount: qr.amount ?? null,
    purpose: qr.additionalData?.purpose ?? null,
    crc: qr.crc ?? null,
  }) + "\n",
);
