"""The demo shops' orders: the ones their customers write about, in the state the stories
tell, and a few more, so the sidebar and the order status page show every state.

Data, plus ``seed_orders`` that sends it through the shop app's own path
(``apply_records``), as a connected shop would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tiski.core.actors import Actor
from tiski.demo.schema import DemoProduct, DemoStore
from tiski.shop.actions import apply_records, connect_shop
from tiski.shop.models import Platform
from tiski.shop.records import (
    CustomerRecord,
    FulfillmentRecord,
    LineRecord,
    OrderRecord,
    ProductRecord,
    RefundRecord,
    VariantRecord,
)
from tiski.stores.models import Store


@dataclass(frozen=True)
class Parcel:
    carrier: str
    code: str
    status: str  # a ShipmentStatus value
    shipped_days_ago: float
    expected_in_days: int | None = None  # from now; None when delivered or unknown
    delivered_days_ago: float | None = None
    skus: tuple[str, ...] = ()  # which items; () = all of them


@dataclass(frozen=True)
class DemoOrder:
    number: str
    customer: str  # DemoCustomer.key
    days_ago: float
    items: tuple[tuple[str, int], ...]  # (sku, quantity)
    paid: bool = True
    parcels: tuple[Parcel, ...] = ()
    cancelled: bool = False
    refunded: tuple[str, ...] = ()  # skus refunded (one of each)
    note: str = ""


TRACKING = {
    "Posti": "https://www.posti.fi/fi/seuranta#/lahetys/{code}",
    "Matkahuolto": "https://www.matkahuolto.fi/seuranta?parcelNumber={code}",
    "DB Schenker": "https://www.dbschenker.com/app/tracking-public/?refNumber={code}",
    "InPost": "https://inpost.pl/sledzenie-przesylek?number={code}",
    "DPD": "https://tracktrace.dpd.com.pl/parcelDetails?p1={code}",
    "Poczta Polska": "https://emonitoring.poczta-polska.pl/?numer={code}",
}

ORDERS: dict[str, tuple[DemoOrder, ...]] = {
    "tunturikettu": (
        # Elina: stuck at Posti's sorting centre.
        DemoOrder(
            "10312",
            "elina",
            9,
            (("TK-PYH-39", 1), ("TK-MER-SU2", 1)),
            parcels=(Parcel("Posti", "JJFI64123500012345", "in_transit", 8, expected_in_days=1),),
        ),
        # Sanna: trousers a size too small, to be exchanged.
        DemoOrder(
            "10298",
            "sanna",
            12,
            (("TK-POL-SS", 1),),
            parcels=(Parcel("Posti", "JJFI64123500010298", "delivered", 11, delivered_days_ago=9),),
        ),
        # Jukka: the jacket from early September whose zip broke.
        DemoOrder(
            "10087",
            "jukka",
            95,
            (("TK-KAA-M", 1),),
            parcels=(
                Parcel("Matkahuolto", "MH4507610087", "delivered", 94, delivered_days_ago=92),
            ),
        ),
        # Aleksi: the tent came late with DB Schenker, in two parcels.
        DemoOrder(
            "10251",
            "aleksi",
            16,
            (("TK-LAA-2", 1), ("TK-TUN-5", 1)),
            parcels=(
                Parcel(
                    "DB Schenker",
                    "1806203251",
                    "delivered",
                    14,
                    delivered_days_ago=3,
                    skus=("TK-LAA-2",),
                ),
                Parcel(
                    "Posti",
                    "JJFI64123500010251",
                    "delivered",
                    13,
                    delivered_days_ago=11,
                    skus=("TK-TUN-5",),
                ),
            ),
        ),
        # Ebba: the fleece she returned, refunded.
        DemoOrder(
            "10220",
            "ebba",
            24,
            (("TK-NAS-FL", 1),),
            parcels=(
                Parcel("Posti", "JJFI64123500010220", "delivered", 23, delivered_days_ago=21),
            ),
            refunded=("TK-NAS-FL",),
        ),
        # Tiina: yesterday's order, pickup point to change, not shipped yet.
        DemoOrder("10347", "tiina", 1, (("TK-ERA-45", 1), ("TK-KIP-RK", 1))),
        # Riikka: cancelled right after ordering, MobilePay refunded.
        DemoOrder(
            "10156", "riikka", 40, (("TK-TUN-15", 1),), cancelled=True, refunded=("TK-TUN-15",)
        ),
        # Hanna: paid at the bank, but the shop still waits for the payment.
        DemoOrder("10358", "hanna", 0.4, (("TK-MER-AP", 2),), paid=False),
        # Matti: the sleeping bag swapped before shipping, then sent.
        DemoOrder(
            "10241",
            "matti",
            18,
            (("TK-TUN-15", 1),),
            parcels=(
                Parcel("Posti", "JJFI64123500010241", "delivered", 16, delivered_days_ago=14),
            ),
        ),
        # Matti again: to be picked up from the warehouse.
        DemoOrder(
            "10352",
            "matti",
            0.8,
            (("TK-KAA-M", 1), ("TK-MER-SU2", 2)),
            parcels=(Parcel("Nouto varastolta", "", "ready_for_pickup", 0.2),),
        ),
        # More of the shop's week, for the sidebar and the status page.
        DemoOrder(
            "10361",
            "james",
            3,
            (("TK-ERA-45", 1),),
            parcels=(
                Parcel("Posti", "JJFI64123500010361", "out_for_delivery", 2, expected_in_days=0),
            ),
        ),
        DemoOrder(
            "10366",
            "petri",
            2,
            (("TK-KAA-W", 2), ("TK-KAA-M", 3)),
            parcels=(
                Parcel(
                    "Matkahuolto",
                    "MH4507610366",
                    "in_transit",
                    1,
                    expected_in_days=2,
                    skus=("TK-KAA-W",),
                ),
            ),
        ),
        DemoOrder("10370", "kalle", 0.1, (("TK-NAS-FL", 1), ("TK-MER-AP", 1))),
        # Shipped from two warehouses: one parcel is home, the other still on its way.
        DemoOrder(
            "10364",
            "anders",
            4,
            (("TK-KAA-M", 1), ("TK-LAA-2", 1)),
            parcels=(
                Parcel(
                    "Posti",
                    "JJFI64123500010364",
                    "delivered",
                    3,
                    delivered_days_ago=1,
                    skus=("TK-KAA-M",),
                ),
                Parcel(
                    "DB Schenker",
                    "1806203364",
                    "in_transit",
                    2,
                    expected_in_days=2,
                    skus=("TK-LAA-2",),
                ),
            ),
        ),
    ),
    "ziarno-i-lisc": (
        # Anna: the parcel locker delivery stuck at InPost.
        DemoOrder(
            "20871",
            "anna",
            5,
            (("ZL-KET-250", 2), ("ZL-HSE-100", 1)),
            parcels=(
                Parcel("InPost", "520000014562048020871", "in_transit", 4, expected_in_days=1),
            ),
        ),
        # Piotr: one of two mugs arrived cracked.
        DemoOrder(
            "20854",
            "piotr",
            8,
            (("ZL-KUB-GL", 2),),
            parcels=(
                Parcel("InPost", "520000014562048020854", "delivered", 7, delivered_days_ago=2),
            ),
        ),
        # Marta: the kettle she returned, refunded.
        DemoOrder(
            "20790",
            "marta",
            30,
            (("ZL-CZJ-1L", 1),),
            parcels=(Parcel("DPD", "1000012345620790", "delivered", 29, delivered_days_ago=27),),
            refunded=("ZL-CZJ-1L",),
        ),
        # Agnieszka: paid with BLIK, the shop has not seen the payment yet.
        DemoOrder("20893", "agnieszka", 0.3, (("ZL-MLY-ZAR", 1),), paid=False),
        # Michał: DPD said "delivered", he has nothing.
        DemoOrder(
            "20832",
            "michal",
            11,
            (("ZL-FRP-600", 1), ("ZL-KET-250", 1)),
            parcels=(Parcel("DPD", "1000012345620832", "delivered", 10, delivered_days_ago=8),),
        ),
        # Ewa: the address to change before it ships.
        DemoOrder("20901", "ewa", 0.5, (("ZL-DZB-800", 1), ("ZL-PSZ-200", 2))),
        # Paweł: cancelled, 159,00 zł back.
        DemoOrder("20766", "pawel", 35, (("ZL-KAW-6", 1),), cancelled=True, refunded=("ZL-KAW-6",)),
        # Kamil: the 3-cup moka pot to swap for the 6-cup one.
        DemoOrder(
            "20866",
            "kamil",
            6,
            (("ZL-KAW-3", 1),),
            parcels=(
                Parcel("InPost", "520000014562048020866", "delivered", 5, delivered_days_ago=4),
            ),
        ),
        # Grzegorz: a notice instead of the parcel; waiting at the post office.
        DemoOrder(
            "20847",
            "grzegorz",
            9,
            (("ZL-DRP-02", 1), ("ZL-FLT-02", 2)),
            parcels=(
                Parcel(
                    "Poczta Polska",
                    "00359007738020847",
                    "attempted_delivery",
                    7,
                    expected_in_days=None,
                ),
            ),
        ),
        DemoOrder(
            "20905",
            "barbara",
            2,
            (("ZL-MLY-ZAR", 1), ("ZL-KET-250", 2)),
            parcels=(
                Parcel(
                    "InPost", "520000014562048020905", "ready_for_pickup", 1, expected_in_days=0
                ),
            ),
        ),
        DemoOrder(
            "20908",
            "sarah",
            1.5,
            (("ZL-KUB-GL", 4),),
            parcels=(Parcel("DPD", "1000012345620908", "in_transit", 1, expected_in_days=3),),
        ),
    ),
}

# Stock that makes the demo's "back in stock" and "sold out" stories possible.
_SOLD_OUT = {"TK-TUN-15", "ZL-MLY-ZAR"}


def seed_orders(store: Store, demo: DemoStore, now: datetime) -> int:
    """Connect the store to a demo shop and send it its products and orders."""
    system = Actor.system("demo")
    connect_shop(
        store,
        platform=Platform.GENERIC,
        actor=system,
        shop_url=demo.website,
        # A demo shop, not a secret: nothing outside this machine can reach it.
        webhook_secret=f"demo-{demo.slug}",
        admin_order_url=f"{demo.website.rstrip('/')}/admin/orders/{{number}}",
    )
    products = {product.sku: product for product in demo.products}
    customers = {customer.key: customer for customer in demo.customers}
    records: list[object] = [_product(product, now) for product in demo.products]
    for order in ORDERS.get(demo.slug, ()):
        customer = customers[order.customer]
        records.append(_order(demo, order, customer, products, now))
    outcomes = apply_records(store, records, actor=system)  # type: ignore[arg-type]
    return len(outcomes)


def _product(product: DemoProduct, now: datetime) -> ProductRecord:
    return ProductRecord(
        external_id=f"p-{product.sku}",
        title=product.title,
        variants=(
            VariantRecord(
                external_id=f"v-{product.sku}",
                sku=product.sku,
                price=_price(product),
                stock=0 if product.sku in _SOLD_OUT else 12,
            ),
        ),
        updated_at=now - timedelta(days=100),
    )


def _price(product: DemoProduct) -> Decimal:
    return Decimal(product.price_cents) / 100


def _order(
    demo: DemoStore,
    order: DemoOrder,
    customer: object,
    products: dict[str, DemoProduct],
    now: datetime,
) -> OrderRecord:
    placed = now - timedelta(days=order.days_ago)
    lines = tuple(
        LineRecord(
            external_id=f"{order.number}-{sku}",
            title=products[sku].title,
            quantity=quantity,
            sku=sku,
            unit_price=_price(products[sku]),
            total=_price(products[sku]) * quantity,
            product_external_id=f"p-{sku}",
            variant_external_id=f"v-{sku}",
        )
        for sku, quantity in order.items
    )
    subtotal = sum((line.total for line in lines), Decimal("0"))
    shipping = Decimal("0") if subtotal >= 100 else Decimal("5.90")
    currency = products[order.items[0][0]].currency
    parcels = tuple(
        FulfillmentRecord(
            external_id=f"{order.number}-f{index}",
            status=parcel.status,
            carrier=parcel.carrier,
            tracking_number=parcel.code,
            tracking_url=TRACKING[parcel.carrier].format(code=parcel.code)
            if parcel.carrier in TRACKING
            else "",
            shipped_at=now - timedelta(days=parcel.shipped_days_ago),
            estimated_delivery=(now + timedelta(days=parcel.expected_in_days)).date()
            if parcel.expected_in_days is not None
            else None,
            delivered_at=now - timedelta(days=parcel.delivered_days_ago)
            if parcel.delivered_days_ago is not None
            else None,
            lines=tuple(
                (f"{order.number}-{sku}", quantity)
                for sku, quantity in order.items
                if not parcel.skus or sku in parcel.skus
            ),
            updated_at=now - timedelta(days=min(parcel.shipped_days_ago, order.days_ago)),
        )
        for index, parcel in enumerate(order.parcels, start=1)
    )
    refunded = tuple(
        RefundRecord(
            external_id=f"{order.number}-r{index}",
            amount=_price(products[sku]),
            refunded_at=placed + timedelta(days=min(order.days_ago * 0.8, 12)),
            note="",
        )
        for index, sku in enumerate(order.refunded, start=1)
    )
    shipped = {sku for parcel in order.parcels for sku in (parcel.skus or dict(order.items))}
    every = {sku for sku, _quantity in order.items}
    whole = sum((_price(products[sku]) for sku in order.refunded), Decimal("0"))
    email = getattr(customer, "email", "")
    return OrderRecord(
        external_id=f"demo-{order.number}",
        number=order.number,
        placed_at=placed,
        updated_at=now - timedelta(hours=1),
        currency=currency,
        subtotal=subtotal,
        shipping_total=shipping,
        total=subtotal + shipping,
        financial_status=(
            "refunded"
            if order.refunded and whole >= subtotal
            else "partially_refunded"
            if order.refunded
            else "paid"
            if order.paid
            else "pending"
        ),
        fulfillment_status=(
            "fulfilled" if shipped >= every else "partial" if shipped else "unfulfilled"
        ),
        customer=CustomerRecord(
            external_id=getattr(customer, "shop_customer_id", ""),
            email=email,
            name=getattr(customer, "name", ""),
            language=getattr(customer, "language", ""),
        ),
        email=email,
        language=getattr(customer, "language", ""),
        paid_at=placed + timedelta(minutes=2) if order.paid else None,
        cancelled_at=placed + timedelta(hours=1) if order.cancelled else None,
        cancel_reason="customer" if order.cancelled else "",
        status_url=f"{demo.website.rstrip('/')}/account/orders/{order.number}",
        admin_url=f"{demo.website.rstrip('/')}/admin/orders/{order.number}",
        note=order.note,
        lines=lines,
        fulfillments=parcels,
        refunds=refunded,
    )
