#!/usr/bin/env python3
"""Fixture and signer for bench/gateway_ipn.sh.

  gateway_ipn.py BASE OWNER_TOKEN BUYER_TOKENS_FILE ORDERS TMN_CODE SECRET OUT_FILE

Through the public API: a shop that takes VNPay with a well-stocked product,
then ORDERS checkouts paid by vnpay (8 client threads, the buyers taking
turns), then each order's payment object (whose pay_url names the
vnp_TxnRef and amount). Writes one IPN request path per order to OUT_FILE,
signed as VNPay signs (HMAC-SHA512 over the sorted, form-encoded vnp_*
fields) with Python's own hmac and urllib — not our code.
"""
import hashlib
import hmac
import http.client
import json
import sys
import threading
import urllib.parse

base, owner_token, buyers_file, orders, tmn, secret, out_file = sys.argv[1:8]
orders = int(orders)
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
buyers = [line.strip() for line in open(buyers_file) if line.strip()]
THREADS = 8


def call(conn, method, path, token=None, body=None, key=None):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
    return json.loads(data) if data else None


conn = http.client.HTTPConnection(host, port)
run = str(abs(hash(secret + str(orders))) % 100000)
shop = call(conn, "POST", "/api/v1/sellers", owner_token,
            {"name": "Bench VNPay " + run, "type": "household", "commune_code": "01840", "address_line": "Bench"})["id"]
product = call(conn, "POST", f"/api/v1/sellers/{shop}/products", owner_token,
               {"sku": "IPN-" + run, "name": "Bench chè " + run, "category": "tea-green", "unit": "kg",
                "price_vnd": 50000, "stock": 10000000, "weight_grams": 500, "status": "active"})["id"]
call(conn, "PUT", f"/api/v1/sellers/{shop}/payment-methods", owner_token, {"methods": ["vnpay"]})

order_ids = []
lock = threading.Lock()


def checkout(worker):
    c = http.client.HTTPConnection(host, port)
    for i in range(worker, orders, THREADS):
        placed = call(c, "POST", "/api/v1/orders", buyers[i % len(buyers)], {
            "items": [{"product_id": product, "quantity": 1}],
            "shipping_address": {"full_name": "Nguyễn Thị Hoa", "phone": "0912345678",
                                 "address_line": "Số 5", "commune_code": "01843"},
            "payment_method": "vnpay"}, key=f"ipn-bench-{run}-{i}")
        with lock:
            for order in placed["orders"]:
                order_ids.append((order["id"], buyers[i % len(buyers)]))


def sign(fields):
    data = "&".join(urllib.parse.quote_plus(k, safe="-._*") + "=" + urllib.parse.quote_plus(v, safe="-._*")
                    for k, v in sorted(fields.items()) if v != "")
    return data + "&vnp_SecureHash=" + hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


paths = []


def ipn(worker):
    c = http.client.HTTPConnection(host, port)
    for n, (order_id, token) in enumerate(order_ids):
        if n % THREADS != worker:
            continue
        payment = call(c, "GET", f"/api/v1/orders/{order_id}/payment", token)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(payment["pay_url"]).query))
        fields = {"vnp_Amount": query["vnp_Amount"], "vnp_BankCode": "NCB", "vnp_BankTranNo": f"VNP{order_id}",
                  "vnp_CardType": "ATM", "vnp_OrderInfo": query["vnp_OrderInfo"], "vnp_PayDate": "20261129103000",
                  "vnp_ResponseCode": "00", "vnp_TmnCode": tmn, "vnp_TransactionNo": str(90000000 + order_id),
                  "vnp_TransactionStatus": "00", "vnp_TxnRef": query["vnp_TxnRef"]}
        with lock:
            paths.append("/api/v1/payments/vnpay/ipn?" + sign(fields))


for stage in (checkout, ipn):
    workers = [threading.Thread(target=stage, args=(w,)) for w in range(THREADS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
with open(out_file, "w") as out:
    out.write("\n".join(paths) + "\n")
print(f"   {len(order_ids)} vnpay orders, {len(paths)} signed IPNs")
