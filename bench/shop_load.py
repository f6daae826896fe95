"""The load generator of bench/shop.py: signed order webhooks over keep-alive HTTP/1.1.

    python bench/shop_load.py --port P --slug S --secret X --orders N --connections C \
        --first F --customers K

Each of C connections sends its share of N order webhooks (Tiski's own format, signed as
a shop would sign them, with the timestamp of the moment of sending) one after another
and reads each answer. Prints one JSON line: the seconds it took, the answers by status
and the per-request latencies' percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import time
from collections import Counter
from typing import Any


def order(number: int, customers: int) -> dict[str, Any]:
    customer = number % customers
    return {
        "id": f"bench-{number}",
        "number": str(100_000 + number),
        "placed_at": "2026-12-01T10:00:00+02:00",
        "updated_at": "2026-12-01T10:05:00+02:00",
        "currency": "EUR",
        "total": "134.80",
        "subtotal": "129.80",
        "shipping_total": "5.00",
        "financial_status": "paid",
        "customer": {
            "id": f"cus-{customer}",
            "email": f"asiakas{customer}@example.fi",
            "name": f"Asiakas {customer}",
        },
        "email": f"asiakas{customer}@example.fi",
        "lines": [
            {
                "id": f"bench-{number}-1",
                "title": "Kuoritakki Tunturi",
                "variant_title": "M / sininen",
                "sku": "KT-M-BL",
                "quantity": 1,
                "unit_price": "104.80",
                "total": "104.80",
            },
            {
                "id": f"bench-{number}-2",
                "title": "Villasukat",
                "sku": "VS-42",
                "quantity": 2,
                "unit_price": "12.50",
                "total": "25.00",
            },
        ],
    }


def request(args: argparse.Namespace, number: int) -> bytes:
    body = json.dumps(order(number, args.customers)).encode()
    stamp = str(int(time.time()))
    signature = hmac.new(args.secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    head = (
        f"POST /webhooks/generic/{args.slug}/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{args.port}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Tiski-Topic: orders/upsert\r\n"
        f"X-Tiski-Delivery: bench-{number}\r\n"
        f"X-Tiski-Timestamp: {stamp}\r\n"
        f"X-Tiski-Signature: sha256={signature.hexdigest()}\r\n"
        "\r\n"
    )
    return head.encode() + body


async def answer(reader: asyncio.StreamReader) -> int:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        if name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status
    while True:
        size = int((await reader.readline()).strip(), 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return status


async def connection(
    args: argparse.Namespace, numbers: list[int], statuses: Counter[int], latencies: list[float]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    try:
        for number in numbers:
            started = time.perf_counter()
            writer.write(request(args, number))
            await writer.drain()
            statuses[await answer(reader)] += 1
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        writer.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    numbers = list(range(args.first, args.first + args.orders))
    shares = [numbers[i :: args.connections] for i in range(args.connections)]
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(connection(args, share, statuses, latencies) for share in shares))
    seconds = time.perf_counter() - started
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0.0

    return {
        "seconds": seconds,
        "statuses": {str(k): v for k, v in statuses.items()},
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--slug", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--customers", type=int, default=1500)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))), flush=True)


if __name__ == "__main__":
    main()
