"""The demo coffee and tea shop's help center, in Polish and English. Invented shop,
real rules: the 14-day withdrawal right, complaints under the Polish statutory warranty
answered within 14 days, InPost lockers and couriers."""

from __future__ import annotations

from tiski.demo.schema import DemoArticle, DemoHelpCenter

CATEGORIES = {
    "orders": {
        "pl": ("Zamówienia i dostawa", "Czas dostawy, śledzenie przesyłki i płatności."),
        "en": ("Orders and delivery", "Delivery times, tracking and payment."),
    },
    "returns": {
        "pl": ("Zwroty i reklamacje", "Odstąpienie od umowy, zwroty i wadliwe produkty."),
        "en": ("Returns and complaints", "Withdrawal, returns and faulty products."),
    },
    "coffee": {
        "pl": ("Kawa i herbata", "Parzenie, przechowywanie i subskrypcja."),
        "en": ("Coffee and tea", "Brewing, storing and the subscription."),
    },
}

DELIVERY = DemoArticle(
    "orders",
    {
        "pl": (
            "Czas i koszt dostawy",
            "Kawę palimy w Krakowie od poniedziałku do czwartku i wysyłamy ją w ciągu "
            "jednego dnia roboczego od palenia.\n\n"
            "| Sposób dostawy | Czas | Cena |\n|---|---|---|\n"
            "| Paczkomat InPost | 1–2 dni robocze | 12,99 zł |\n"
            "| Kurier DPD | 1–2 dni robocze | 16,99 zł |\n"
            "| Odbiór osobisty w Krakowie | od ręki | 0 zł |\n\n"
            "Przy zamówieniu powyżej 150 zł dostawa do paczkomatu jest bezpłatna. Numer "
            "przesyłki wyślemy e-mailem i SMS-em.",
        ),
        "en": (
            "Delivery times and costs",
            "We roast in Kraków Monday to Thursday and ship within one working day of "
            "roasting.\n\n"
            "| Option | Time | Price |\n|---|---|---|\n"
            "| InPost parcel locker | 1–2 working days | 12.99 zł |\n"
            "| DPD courier | 1–2 working days | 16.99 zł |\n"
            "| Pick-up in Kraków | same day | free |\n\n"
            "Orders over 150 zł ship free to a parcel locker.",
        ),
    },
)

RETURNS = DemoArticle(
    "returns",
    {
        "pl": (
            "Jak zwrócić towar",
            "Możesz odstąpić od umowy bez podania przyczyny w ciągu **14 dni** od dnia, "
            "w którym otrzymałeś paczkę.\n\n"
            "1. Napisz do nas na czacie lub e-mailem, że chcesz zwrócić zamówienie.\n"
            "2. Odeślij towar w ciągu 14 dni od złożenia oświadczenia.\n"
            "3. Zwrot pieniędzy otrzymasz tą samą metodą płatności, najpóźniej w ciągu "
            "14 dni od otrzymania oświadczenia.\n\n"
            "Ze względów higienicznych nie przyjmujemy zwrotów otwartej kawy i herbaty. "
            "Zwroty akcesoriów (drippery, młynki) przyjmujemy bez problemu.",
        ),
        "en": (
            "How to return an item",
            "You can withdraw from the purchase without giving a reason within **14 "
            "days** of receiving the parcel.\n\n"
            "1. Tell us in the chat or by email that you want to return your order.\n"
            "2. Send the items back within 14 days of telling us.\n"
            "3. We refund you to the same payment method within 14 days of your notice.\n\n"
            "For hygiene reasons we cannot take back opened coffee or tea. Accessories "
            "(drippers, grinders) are no problem.",
        ),
    },
)

COMPLAINT = DemoArticle(
    "returns",
    {
        "pl": (
            "Reklamacja wadliwego produktu",
            "Jeśli produkt jest wadliwy, masz prawo złożyć reklamację w ciągu dwóch lat "
            "od wydania towaru. Napisz do nas i dołącz:\n\n"
            "- numer zamówienia,\n- opis wady,\n- zdjęcie.\n\n"
            "Na reklamację odpowiadamy w ciągu **14 dni** – tak stanowi ustawa o prawach "
            "konsumenta. Możesz żądać naprawy, wymiany, obniżenia ceny albo zwrotu "
            "pieniędzy.",
        ),
        "en": (
            "Complaints about a faulty product",
            "If a product is faulty you may complain within two years of delivery. Write "
            "to us with:\n\n- your order number,\n- a description of the fault,\n"
            "- a photo.\n\n"
            "We answer every complaint within **14 days**, as Polish consumer law "
            "requires. You can ask for a repair, a replacement, a price reduction or a "
            "refund.",
        ),
    },
)

BREWING = DemoArticle(
    "coffee",
    {
        "pl": (
            "Jak parzyć kawę w dripie",
            "Na jedną filiżankę użyj 15 g kawy zmielonej średnio drobno i 250 ml wody o "
            "temperaturze 92–94 °C.\n\n"
            "1. Przepłucz filtr gorącą wodą.\n"
            "2. Wsyp kawę i zalej ją 40 ml wody; odczekaj 30 sekund.\n"
            "3. Dolewaj wodę powoli, ruchem spiralnym. Całe parzenie powinno trwać "
            "około trzech minut.\n\n"
            "Kawa za kwaśna? Zmiel ją drobniej. Za gorzka? Grubiej.",
        ),
        "en": (
            "How to brew pour-over coffee",
            "For one cup use 15 g of medium-fine coffee and 250 ml of water at "
            "92–94 °C.\n\n"
            "1. Rinse the filter with hot water.\n"
            "2. Add the coffee, pour 40 ml of water and wait 30 seconds.\n"
            "3. Pour the rest slowly in a spiral. The whole brew takes about three "
            "minutes.\n\n"
            "Too sour? Grind finer. Too bitter? Grind coarser.",
        ),
    },
)

SUBSCRIPTION = DemoArticle(
    "coffee",
    {
        "pl": (
            "Subskrypcja kawy",
            "W subskrypcji co dwa lub cztery tygodnie wysyłamy świeżo paloną kawę. "
            "Subskrypcję możesz w każdej chwili wstrzymać, zmienić lub anulować w swoim "
            "koncie – zmiany zgłoszone do niedzieli obowiązują od najbliższej wysyłki.",
        ),
        "en": (
            "Coffee subscription",
            "With a subscription we send freshly roasted coffee every two or four weeks. "
            "Pause, change or cancel it any time in your account.",
        ),
    },
    drafts=("en",),
)

POLICIES = (
    DemoArticle(
        "",
        {
            "pl": (
                "Zasady dostawy",
                "Wysyłamy na terenie Polski. Odpowiadamy za przesyłkę, dopóki do Ciebie "
                "nie dotrze. Jeśli paczka zaginie lub zostanie uszkodzona, wyślemy nową.",
            ),
            "en": (
                "Shipping policy",
                "We ship within Poland. We are responsible for the parcel until it "
                "reaches you; if it is lost or damaged, we send a new one.",
            ),
        },
        policy="shipping",
    ),
    DemoArticle(
        "",
        {
            "pl": (
                "Zwroty i odstąpienie od umowy",
                "Konsument może odstąpić od umowy zawartej na odległość w terminie 14 "
                "dni bez podawania przyczyny. Zwracamy wszystkie płatności, w tym koszt "
                "najtańszej dostawy, niezwłocznie, nie później niż w ciągu 14 dni.",
            ),
            "en": (
                "Returns and withdrawal policy",
                "Consumers may withdraw from a distance contract within 14 days without "
                "giving a reason. We refund all payments, including the cheapest "
                "delivery option, without undue delay and within 14 days.",
            ),
        },
        policy="returns",
    ),
    DemoArticle(
        "",
        {
            "pl": (
                "Regulamin sklepu",
                "Sprzedawcą jest Ziarno i Liść sp. z o.o. z siedzibą w Krakowie. Ceny "
                "zawierają VAT. Umowa zostaje zawarta z chwilą potwierdzenia zamówienia "
                "e-mailem.",
            ),
            "en": (
                "Terms and conditions",
                "The seller is Ziarno i Liść sp. z o.o., Kraków. Prices include VAT. The "
                "contract is made when we confirm your order by email.",
            ),
        },
        policy="terms",
    ),
    DemoArticle(
        "",
        {
            "pl": (
                "Kontakt",
                "Ziarno i Liść sp. z o.o., ul. Józefa 18, 31-056 Kraków. NIP 6762345678. "
                "Na czacie i przez telefon odpowiadamy w godzinach pracy, na e-maile w "
                "ciągu jednego dnia roboczego.",
            ),
            "en": (
                "Contact us",
                "Ziarno i Liść sp. z o.o., ul. Józefa 18, 31-056 Kraków, Poland. We "
                "answer the chat and the phone during opening hours, and email within one "
                "working day.",
            ),
        },
        policy="contact",
    ),
)

PL_HELP = DemoHelpCenter(
    phone="+48 12 345 67 89",
    categories=CATEGORIES,
    articles=(RETURNS, DELIVERY, COMPLAINT, BREWING, SUBSCRIPTION, *POLICIES),
)
