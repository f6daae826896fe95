"""Ziarno i Liść: an invented coffee, tea and kitchen accessories shop in Kraków.

All people, companies, addresses, phone numbers and order numbers are invented.
"""

from __future__ import annotations

from tiski.demo.schema import (
    DemoAgent,
    DemoCanned,
    DemoConversation,
    DemoCustomer,
    DemoMessage,
    DemoProduct,
    DemoStore,
)

# ---------------------------------------------------------------------------
# Store 2: Ziarno i Liść, coffee, tea and kitchen accessories from Kraków
# ---------------------------------------------------------------------------

_PL_KATARZYNA: str = "katarzyna@ziarnoilisc.example"
_PL_TOMASZ: str = "tomasz@ziarnoilisc.example"
_PL_MAGDALENA: str = "magdalena@ziarnoilisc.example"
_PL_OLENA: str = "olena@ziarnoilisc.example"

_PL_TEAM_SERVICE: str = "Obsługa klienta"
_PL_TEAM_RETURNS: str = "Zwroty i reklamacje"
_PL_TEAM_B2B: str = "Sprzedaż B2B"

_PL_AGENTS: tuple[DemoAgent, ...] = (
    DemoAgent(
        email=_PL_KATARZYNA,
        name="Katarzyna Wójcik",
        language="pl",
        role="owner",
        teams=(_PL_TEAM_SERVICE, _PL_TEAM_RETURNS, _PL_TEAM_B2B),
    ),
    DemoAgent(
        email=_PL_TOMASZ,
        name="Tomasz Zieliński",
        language="pl",
        role="admin",
        teams=(_PL_TEAM_SERVICE, _PL_TEAM_B2B),
    ),
    DemoAgent(
        email=_PL_MAGDALENA,
        name="Magdalena Kaczmarek",
        language="pl",
        role="agent",
        teams=(_PL_TEAM_SERVICE, _PL_TEAM_RETURNS),
    ),
    DemoAgent(
        email=_PL_OLENA,
        name="Olena Kowalenko",
        language="en",
        role="agent",
        teams=(_PL_TEAM_SERVICE,),
    ),
)

_PL_CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer(
        key="anna",
        name="Anna Nowak",
        email="anna.nowak@example.pl",
        phone="+48 512 384 207",
        shop_customer_id="cus_20415",
        language="pl",
        tags=("stała klientka",),
        notes=("Kupuje herbaty na prezenty dla rodziny, lubi japońskie zielone.",),
    ),
    DemoCustomer(
        key="piotr",
        name="Piotr Kamiński",
        email="piotr.kaminski@example.pl",
        phone="+48 503 771 920",
        shop_customer_id="cus_20388",
        language="pl",
    ),
    DemoCustomer(
        key="marta",
        name="Marta Lewandowska",
        email="marta.lewandowska@example.pl",
        phone="+48 517 223 604",
        shop_customer_id="cus_20301",
        language="pl",
    ),
    DemoCustomer(
        key="krzysztof",
        name="Krzysztof Dąbrowski",
        email="k.dabrowski@example.pl",
        phone="+48 508 915 332",
        shop_customer_id="cus_20122",
        language="pl",
        tags=("firma", "b2b"),
        notes=(
            "Dąbrowski i Wspólnicy Sp. z o.o., NIP 676-241-88-18. "
            "Faktura VAT, przelew 14 dni. Biuro rachunkowe, ok. 4 kg kawy miesięcznie.",
        ),
    ),
    DemoCustomer(
        key="agnieszka",
        name="Agnieszka Szymańska",
        email="agnieszka.szymanska@example.pl",
        phone="+48 531 602 448",
        shop_customer_id="",
        language="pl",
    ),
    DemoCustomer(
        key="michal",
        name="Michał Woźniak",
        email="michal.wozniak@example.pl",
        phone="+48 509 118 275",
        shop_customer_id="cus_20352",
        language="pl",
        notes=("Zwrócono 16,99 zł za dostawę po nieudanym doręczeniu DPD.",),
    ),
    DemoCustomer(
        key="ewa",
        name="Ewa Mazur",
        email="ewa.mazur@example.pl",
        phone="+48 535 447 019",
        shop_customer_id="cus_20410",
        language="pl",
        notes=("Nowy adres dostawy: ul. Ruska 22/5, 50-079 Wrocław.",),
    ),
    DemoCustomer(
        key="lukasz",
        name="Łukasz Krawczyk",
        email="lukasz.krawczyk@example.pl",
        phone="+48 511 830 562",
        shop_customer_id="cus_20279",
        language="pl",
    ),
    DemoCustomer(
        key="sarah",
        name="Sarah Mitchell",
        email="sarah.mitchell@example.com",
        phone="+48 572 190 334",
        shop_customer_id="",
        language="en",
        notes=("Lives in Wrocław, prefers English.",),
    ),
    DemoCustomer(
        key="joanna",
        name="Joanna Grabowska",
        email="joanna.grabowska@example.pl",
        phone="+48 502 659 811",
        shop_customer_id="cus_20098",
        language="pl",
        tags=("stała klientka",),
    ),
    DemoCustomer(
        key="pawel",
        name="Paweł Zając",
        email="pawel.zajac@example.pl",
        phone="+48 516 204 773",
        shop_customer_id="cus_20334",
        language="pl",
    ),
    DemoCustomer(
        key="barbara",
        name="Barbara Pawlak",
        email="barbara.pawlak@example.pl",
        phone="+48 504 392 118",
        shop_customer_id="cus_20367",
        language="pl",
        notes=("Woli kontakt telefoniczny, najlepiej po 10:00.",),
    ),
    DemoCustomer(
        key="kamil",
        name="Kamil Wróbel",
        email="kamil.wrobel@example.pl",
        phone="+48 519 770 431",
        shop_customer_id="cus_20402",
        language="pl",
    ),
    DemoCustomer(
        key="grzegorz",
        name="Grzegorz Kubiak",
        email="grzegorz.kubiak@example.pl",
        phone="",
        shop_customer_id="",
        language="pl",
    ),
)

_PL_CONVERSATIONS: tuple[DemoConversation, ...] = (
    # Older, resolved question; Anna's current conversation is the next one.
    DemoConversation(
        customer="anna",
        channel="email",
        subject="Pytanie o herbatę Sencha",
        language="pl",
        status="resolved",
        priority="normal",
        assignee=_PL_TOMASZ,
        team=_PL_TEAM_SERVICE,
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry,\n\n"
                    "czy herbata Sencha, którą Państwo sprzedają, pochodzi z Japonii czy z Chin? "
                    "Szukam prezentu dla taty, który pije tylko japońskie zielone herbaty.\n\n"
                    "Pozdrawiam\n"
                    "Anna Nowak"
                ),
                27500,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Pani Anno,\n\n"
                    "nasza Sencha pochodzi z prefektury Shizuoka w Japonii, z pierwszego, "
                    "wiosennego zbioru. Najlepiej parzyć ją w temperaturze 70-75 stopni przez "
                    "około minutę. Myślę, że będzie świetnym prezentem, zwłaszcza razem z naszą "
                    "puszką na herbatę, która chroni liście przed światłem i wilgocią.\n\n"
                    "Pozdrawiam serdecznie\n"
                    "Tomasz\n"
                    "Ziarno i Liść"
                ),
                27300,
                _PL_TOMASZ,
            ),
            DemoMessage(
                "in",
                "Dziękuję bardzo, w takim razie zamawiam obie rzeczy!\n\nAnna",
                26900,
            ),
        ),
    ),
    DemoConversation(
        customer="anna",
        channel="chat",
        subject="Zamówienie nr 20871 utknęło w InPost",
        language="pl",
        status="open",
        priority="urgent",
        assignee=_PL_MAGDALENA,
        team=_PL_TEAM_SERVICE,
        labels=("wysyłka",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry, zamówienie nr 20871 miało być wczoraj w paczkomacie, a w "
                    'śledzeniu InPost od trzech dni jest tylko "Przyjęta w oddziale". To '
                    "prezent na imieniny mamy w sobotę :("
                ),
                1512,
            ),
            DemoMessage(
                "reply",
                "Dzień dobry Pani Anno, już sprawdzam, co się dzieje z przesyłką.",
                1506,
                _PL_MAGDALENA,
            ),
            DemoMessage(
                "note",
                (
                    "Sprawdziłam w InPost, paczka utknęła w sortowni w Krakowie. Zgłosiłam "
                    "reklamację przesyłki w Managerze Paczek, nr zgłoszenia 4471902. Jeśli do "
                    "jutra do 12:00 nic się nie ruszy, wysyłamy drugi komplet kurierem DPD na "
                    "nasz koszt."
                ),
                1497,
                _PL_MAGDALENA,
            ),
            DemoMessage(
                "reply",
                (
                    "Paczka niestety utknęła w sortowni InPost. Zgłosiłam to już przewoźnikowi i "
                    "poprosiłam o pilne przekazanie jej do doręczenia. Jeśli do jutra do południa "
                    "nic się nie zmieni, wyślemy Pani drugą paczkę kurierem DPD na nasz koszt, "
                    "żeby prezent na pewno dotarł przed sobotą."
                ),
                1492,
                _PL_MAGDALENA,
            ),
            DemoMessage("in", "Dobrze, dziękuję bardzo!", 1489),
            DemoMessage(
                "in",
                (
                    "Dzien dobry, jest juz po 12 a w sledzeniu dalej nic. Mozecie wyslac ta druga "
                    "paczke?"
                ),
                11,
            ),
        ),
    ),
    DemoConversation(
        customer="piotr",
        channel="email",
        subject="Reklamacja - pęknięty kubek, zamówienie 20854",
        language="pl",
        status="pending",
        priority="normal",
        assignee=_PL_MAGDALENA,
        team=_PL_TEAM_RETURNS,
        labels=("reklamacja",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry,\n\n"
                    "wczoraj odebrałem zamówienie nr 20854. Niestety jeden z dwóch kubków Glina "
                    "350 ml przyszedł pęknięty, ma rysę przez całą ściankę i przecieka. Karton "
                    "wyglądał na nienaruszony.\n\n"
                    "Chciałbym złożyć reklamację. Zdjęcia prześlę wieczorem, bo teraz jestem w "
                    "pracy.\n\n"
                    "Pozdrawiam\n"
                    "Piotr Kamiński"
                ),
                3000,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Panie Piotrze,\n\n"
                    "bardzo przepraszamy, że kubek dotarł uszkodzony. Oczywiście przyjmujemy "
                    "reklamację.\n\n"
                    "Proszę przesłać zdjęcia kubka i opakowania w odpowiedzi na tę wiadomość. "
                    "Kubka nie trzeba odsyłać. Po otrzymaniu zdjęć wyślemy nowy kubek bez żadnych "
                    "dodatkowych kosztów, a jeśli Pan woli, zwrócimy 59,00 zł.\n\n"
                    "Pozdrawiam serdecznie\n"
                    "Magdalena\n"
                    "Ziarno i Liść"
                ),
                2900,
                _PL_MAGDALENA,
            ),
            DemoMessage(
                "note",
                (
                    "To już druga pęknięta Glina w tym tygodniu. Poprosiłam magazyn, żeby kubki "
                    "pakować dodatkowo w tekturowe przekładki."
                ),
                2890,
                _PL_MAGDALENA,
            ),
        ),
    ),
    DemoConversation(
        customer="marta",
        channel="email",
        subject="Zwrot czajnika - zamówienie 20790",
        language="pl",
        status="resolved",
        priority="normal",
        assignee=_PL_MAGDALENA,
        team=_PL_TEAM_RETURNS,
        labels=("zwrot",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry,\n\n"
                    "chciałabym odstąpić od umowy i zwrócić czajnik z termometrem z zamówienia nr "
                    "20790. Czajnik jest nieużywany, w oryginalnym opakowaniu, po prostu dostałam "
                    "taki sam w prezencie.\n\n"
                    "Jak mam go odesłać?\n\n"
                    "Marta Lewandowska"
                ),
                16200,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Pani Marto,\n\n"
                    "dziękujemy za wiadomość. Na odstąpienie od umowy ma Pani 14 dni od dnia "
                    "otrzymania przesyłki, więc wszystko jest w porządku.\n\n"
                    "W osobnym mailu wysłałam bezpłatny kod zwrotu InPost. Wystarczy zapakować "
                    "czajnik, włożyć do paczki kartkę z numerem zamówienia i nadać ją w dowolnym "
                    "paczkomacie. Pieniądze zwrócimy na konto, z którego opłacono zamówienie, "
                    "zaraz po otrzymaniu paczki.\n\n"
                    "Pozdrawiam serdecznie\n"
                    "Magdalena\n"
                    "Ziarno i Liść"
                ),
                16050,
                _PL_MAGDALENA,
            ),
            DemoMessage(
                "in",
                "Dzień dobry, paczka nadana wczoraj.\n\nPozdrawiam\nMarta Lewandowska",
                13100,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Pani Marto,\n\n"
                    "czajnik do nas dotarł, a zwrot 199,00 zł został zlecony na Pani konto. "
                    "Środki powinny być widoczne w ciągu 1-2 dni roboczych.\n\n"
                    "Pozdrawiam\n"
                    "Magdalena\n"
                    "Ziarno i Liść"
                ),
                10200,
                _PL_MAGDALENA,
            ),
        ),
    ),
    DemoConversation(
        customer="marta",
        channel="chat",
        subject="Kawiarka a płyta indukcyjna",
        language="pl",
        status="open",
        priority="normal",
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry, czy kawiarka stalowa działa na płycie indukcyjnej? I czy można "
                    "ją myć w zmywarce?"
                ),
                33,
            ),
        ),
    ),
    DemoConversation(
        customer="krzysztof",
        channel="email",
        subject="Zamówienia firmowe i faktura VAT",
        language="pl",
        status="snoozed",
        priority="normal",
        assignee=_PL_KATARZYNA,
        team=_PL_TEAM_B2B,
        labels=("faktura", "b2b"),
        snoozed_hours=44,
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry,\n\n"
                    "prowadzę biuro rachunkowe w Krakowie i chcielibyśmy regularnie zamawiać u "
                    "Państwa kawę do biura, ok. 4 kg miesięcznie (Etiopia lub coś podobnego), a "
                    "jednorazowo także młynek i 6 kubków.\n\n"
                    "Potrzebujemy faktury VAT na firmę: Dąbrowski i Wspólnicy Sp. z o.o., ul. "
                    "Lubicz 17/4, 31-503 Kraków, NIP 676-241-88-18. Czy jest możliwość płatności "
                    "przelewem z 14-dniowym terminem?\n\n"
                    "Z poważaniem\n"
                    "Krzysztof Dąbrowski"
                ),
                4300,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Panie Krzysztofie,\n\n"
                    "dziękuję za wiadomość i zainteresowanie naszą ofertą. Oczywiście wystawiamy "
                    "faktury VAT, a stałym klientom firmowym umożliwiamy płatność przelewem z "
                    "14-dniowym terminem.\n\n"
                    "Przy zamówieniach 4 kg kawy miesięcznie możemy zaproponować 12% rabatu i "
                    "darmową dostawę. Przygotuję ofertę z kilkoma kawami do wyboru i wyślę ją do "
                    "środy, a razem z nią próbki do degustacji w biurze.\n\n"
                    "Z poważaniem\n"
                    "Katarzyna\n"
                    "Ziarno i Liść"
                ),
                4100,
                _PL_KATARZYNA,
            ),
            DemoMessage(
                "note",
                (
                    "NIP sprawdzony na białej liście, czynny podatnik VAT. Próbki po 100 g: "
                    "Etiopia, Kolumbia, Brazylia. Oferta do środy, odkładam do tego czasu."
                ),
                4090,
                _PL_KATARZYNA,
            ),
            DemoMessage(
                "in",
                "Dziękuję, czekamy na ofertę i próbki.\n\nKrzysztof Dąbrowski",
                3800,
            ),
        ),
    ),
    DemoConversation(
        customer="agnieszka",
        channel="chat",
        subject="Płatność BLIK a status zamówienia",
        language="pl",
        status="open",
        priority="high",
        labels=("płatność",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry, zapłaciłam BLIKiem za zamówienie 20893, pieniądze zeszły z "
                    'konta, a w sklepie nadal jest status "oczekuje na płatność"'
                ),
                18,
            ),
            DemoMessage(
                "in",
                "Czy mam zaplacic jeszcze raz?? nie chce zeby mi zeszlo dwa razy",
                16,
            ),
        ),
    ),
    DemoConversation(
        customer="michal",
        channel="chat",
        subject="Kurier DPD nie dostarczył paczki",
        language="pl",
        status="resolved",
        priority="high",
        assignee=_PL_TOMASZ,
        team=_PL_TEAM_SERVICE,
        labels=("wysyłka",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Kurier DPD miał być wczoraj, cały dzień siedziałem w domu i nikt nie "
                    'przyszedł, a w śledzeniu jest "nieudana próba doręczenia - odbiorca '
                    'nieobecny". To jest jakiś żart. Płacę za kuriera, żeby nie latać do '
                    "paczkomatu, i tak to wygląda? Zamówienie 20832"
                ),
                9900,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Panie Michale, bardzo mi przykro, rozumiem Pana frustrację. Już "
                    "sprawdzam, co się stało z przesyłką."
                ),
                9894,
                _PL_TOMASZ,
            ),
            DemoMessage(
                "reply",
                (
                    "Zgłosiłem sprawę do DPD jako reklamację doręczenia. Kurier ponowi doręczenie "
                    "jutro, a rano dostanie Pan SMS z godzinnym przedziałem dostawy. Jeśli termin "
                    "Panu nie pasuje, w SMS-ie jest link, przez który można przekierować paczkę "
                    "do punktu DPD Pickup."
                ),
                9884,
                _PL_TOMASZ,
            ),
            DemoMessage("in", "A jak znowu nie przyjdzie?", 9881),
            DemoMessage(
                "reply",
                (
                    "Wtedy osobiście dopilnuję, żebyśmy wysłali nową paczkę inną firmą kurierską, "
                    "bez żadnych kosztów dla Pana. Dodatkowo zwracamy Panu 16,99 zł za dostawę, "
                    "bo usługa nie została wykonana tak, jak powinna."
                ),
                9876,
                _PL_TOMASZ,
            ),
            DemoMessage(
                "in",
                "Paczka dotarła, kurier był rano. Dzięki za ogarnięcie sprawy i zwrot za wysyłkę",
                8400,
            ),
            DemoMessage(
                "reply",
                "Cieszę się, że wszystko dotarło! Smacznej kawy i miłego dnia.",
                8392,
                _PL_TOMASZ,
            ),
        ),
    ),
    DemoConversation(
        customer="ewa",
        channel="chat",
        subject="Zmiana adresu dostawy, zamówienie 20901",
        language="pl",
        status="snoozed",
        priority="normal",
        assignee=_PL_KATARZYNA,
        team=_PL_TEAM_SERVICE,
        labels=("wysyłka",),
        snoozed_hours=3,
        messages=(
            DemoMessage(
                "in",
                (
                    "Hej, czy da się jeszcze zmienić adres dostawy w zamówieniu 20901? "
                    "Przeprowadzam się w tym tygodniu i przez pomyłkę podałam stary adres"
                ),
                130,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Pani Ewo, paczka została już przekazana kurierowi DPD, ale "
                    "spróbuję ją przekierować. Proszę podać nowy adres."
                ),
                125,
                _PL_KATARZYNA,
            ),
            DemoMessage("in", "ul. Ruska 22/5, 50-079 Wrocław. Dziekuje bardzo!", 121),
            DemoMessage(
                "note",
                (
                    "Zgłosiłam w DPD zmianę adresu doręczenia, nr przesyłki 1000554231875U. "
                    "Zwykle potwierdzają w ciągu kilku godzin, odkładam na 3 h."
                ),
                116,
                _PL_KATARZYNA,
            ),
            DemoMessage(
                "reply",
                (
                    "Zmiana adresu została zgłoszona do DPD. Zwykle potwierdzają ją w ciągu kilku "
                    "godzin, dam Pani znać, jak tylko dostanę odpowiedź."
                ),
                113,
                _PL_KATARZYNA,
            ),
        ),
    ),
    DemoConversation(
        customer="lukasz",
        channel="chat",
        subject="Kod rabatowy KAWA10 nie działa",
        language="pl",
        status="resolved",
        priority="low",
        assignee=_PL_TOMASZ,
        team=_PL_TEAM_SERVICE,
        messages=(
            DemoMessage(
                "in",
                "Czesc, kod KAWA10 z newslettera nie dziala, wyskakuje ze jest nieprawidlowy",
                18800,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry! Kod KAWA10 działa przy zamówieniach od 100 zł, a w koszyku ma "
                    "Pan teraz produkty za 84 zł. Wystarczy dołożyć coś za co najmniej 16 zł i "
                    "kod zadziała."
                ),
                18793,
                _PL_TOMASZ,
            ),
            DemoMessage("in", "aa ok, nie doczytalem. to dorzuce filtry i bedzie git", 18788),
            DemoMessage(
                "reply",
                "Filtry będą w sam raz. Udanych zakupów!",
                18785,
                _PL_TOMASZ,
            ),
        ),
    ),
    DemoConversation(
        customer="sarah",
        channel="email",
        subject="Glina mugs: dishwasher safe?",
        language="en",
        status="open",
        priority="normal",
        assignee=_PL_OLENA,
        team=_PL_TEAM_SERVICE,
        messages=(
            DemoMessage(
                "in",
                (
                    "Hello,\n\n"
                    "I live in Wrocław and I'd like to order four Glina mugs as a gift. Are they "
                    "dishwasher and microwave safe? Also, how long does delivery with Poczta "
                    "Polska take? I'm not always at home during the day.\n\n"
                    "Thank you,\n"
                    "Sarah Mitchell"
                ),
                240,
            ),
            DemoMessage(
                "note",
                (
                    "Checked with the supplier: Glina mugs are dishwasher and microwave safe, but "
                    "they recommend hand washing to keep the glaze glossy. System shows only 3 "
                    "green ones in stock, asked Magda to check the warehouse before I reply."
                ),
                195,
                _PL_OLENA,
            ),
        ),
    ),
    DemoConversation(
        customer="joanna",
        channel="email",
        subject="Podziękowanie",
        language="pl",
        status="closed",
        priority="low",
        assignee=_PL_KATARZYNA,
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry,\n\n"
                    "chciałam tylko podziękować. Zamówiłam młynek Żarna i Etiopię w piątek "
                    "wieczorem, a w poniedziałek rano paczka była już w paczkomacie. Do tego "
                    "ręcznie napisana karteczka z życzeniami smacznej kawy - bardzo miły gest!\n\n"
                    "Kawa jest przepyszna, na pewno jeszcze do Państwa wrócę.\n\n"
                    "Pozdrawiam\n"
                    "Joanna Grabowska"
                ),
                40200,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Pani Joanno,\n\n"
                    "ogromnie dziękujemy za tak miłe słowa! Przekazałam je całemu zespołowi. "
                    "Karteczki pisze nasz magazynier Bartek, więc bardzo się ucieszy.\n\n"
                    "Smacznej kawy i do zobaczenia przy kolejnych zakupach!\n\n"
                    "Katarzyna\n"
                    "Ziarno i Liść"
                ),
                39900,
                _PL_KATARZYNA,
            ),
        ),
    ),
    DemoConversation(
        customer="pawel",
        channel="chat",
        subject="Anulowanie zamówienia 20766",
        language="pl",
        status="closed",
        priority="normal",
        assignee=_PL_MAGDALENA,
        team=_PL_TEAM_SERVICE,
        labels=("płatność",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry, chciałbym anulować zamówienie 20766, przez pomyłkę zamówiłem "
                    "dwa razy to samo. Płaciłem zwykłym przelewem."
                ),
                35100,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Panie Pawle, zamówienie 20766 zostało anulowane. Zwrot 159,00 zł "
                    "wyślemy przelewem na rachunek, z którego przyszła płatność, najpóźniej jutro."
                ),
                35092,
                _PL_MAGDALENA,
            ),
            DemoMessage("in", "Super, dziękuję za szybką reakcję", 35088),
            DemoMessage("reply", "Nie ma za co, miłego dnia!", 35086, _PL_MAGDALENA),
        ),
    ),
    DemoConversation(
        customer="barbara",
        channel="phone",
        subject="Prośba o kontakt: ustawienie młynka",
        language="pl",
        status="resolved",
        priority="normal",
        assignee=_PL_TOMASZ,
        team=_PL_TEAM_SERVICE,
        messages=(
            DemoMessage(
                "in",
                (
                    "Prośba o oddzwonienie: Kupiłam młynek ręczny i nie wiem, jak ustawić grubość "
                    "mielenia do kawiarki. Proszę o telefon po 10:00. Barbara Pawlak"
                ),
                12400,
            ),
            DemoMessage(
                "note",
                (
                    "Oddzwoniłem do Pani Barbary o 10:30. Młynek Żarna: pokazałem, jak regulować "
                    "pokrętło pod żarnami, do kawiarki ok. 12-14 kliknięć od zera. Pani Barbara "
                    "zadowolona, prosiła o instrukcję mailem."
                ),
                12200,
                _PL_TOMASZ,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Pani Barbaro,\n\n"
                    "dziękuję za rozmowę. Zgodnie z obietnicą przesyłam najważniejsze informacje. "
                    "Do kawiarki proszę ustawić młynek na 12-14 kliknięć od pozycji zero, czyli "
                    "od pokrętła dokręconego do oporu. Jeśli kawa będzie zbyt gorzka, proszę "
                    "zmielić ją grubiej, a jeśli kwaśna i wodnista, drobniej.\n\n"
                    "Pełną instrukcję obsługi w PDF dołączam do wiadomości.\n\n"
                    "Pozdrawiam serdecznie\n"
                    "Tomasz\n"
                    "Ziarno i Liść"
                ),
                12190,
                _PL_TOMASZ,
            ),
            DemoMessage(
                "in",
                "Dziękuję bardzo, kawa wyszła pyszna.\n\nBarbara Pawlak",
                11000,
            ),
        ),
    ),
    DemoConversation(
        customer="kamil",
        channel="chat",
        subject="Wymiana kawiarki na większą",
        language="pl",
        status="pending",
        priority="normal",
        assignee=_PL_MAGDALENA,
        team=_PL_TEAM_RETURNS,
        labels=("wymiana",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry, zamówiłem kawiarkę na 3 filiżanki (zamówienie 20866), ale "
                    "jednak jest za mała. Da się wymienić na 6?"
                ),
                2100,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Panie Kamilu, oczywiście, wymiana jest możliwa. Kawiarka na 6 "
                    "filiżanek kosztuje 159 zł, więc dopłata wyniesie 30 zł."
                ),
                2093,
                _PL_MAGDALENA,
            ),
            DemoMessage(
                "reply",
                (
                    "Wysłałam Panu mailem kod zwrotu InPost i link do dopłaty. Nową kawiarkę "
                    "wyślemy od razu po zaksięgowaniu dopłaty, nie trzeba czekać, aż stara do nas "
                    "dotrze."
                ),
                2090,
                _PL_MAGDALENA,
            ),
            DemoMessage(
                "in",
                "Ok, dopłacę wieczorem. Kawiarka nie była używana, tylko ją rozpakowałem",
                2072,
            ),
            DemoMessage(
                "reply",
                "Świetnie, dziękuję! Proszę tylko zapakować ją z powrotem do oryginalnego pudełka.",
                2068,
                _PL_MAGDALENA,
            ),
        ),
    ),
    DemoConversation(
        customer="grzegorz",
        channel="email",
        subject="Awizo zamiast paczki, zamówienie 20847",
        language="pl",
        status="pending",
        priority="normal",
        assignee=_PL_TOMASZ,
        team=_PL_TEAM_SERVICE,
        labels=("wysyłka",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Dzień dobry,\n\n"
                    "zamówienie 20847 miało przyjść Pocztą Polską, ale listonosz zostawił tylko "
                    "awizo, chociaż byłem w domu. Co mam teraz zrobić? Nie chcę, żeby paczka "
                    "wróciła do Państwa.\n\n"
                    "Grzegorz Kubiak"
                ),
                5900,
            ),
            DemoMessage(
                "reply",
                (
                    "Dzień dobry Panie Grzegorzu,\n\n"
                    "przykro nam, że tak wyszło. Paczkę można odebrać w placówce pocztowej "
                    "wskazanej na awizo, wystarczy mieć ze sobą dowód osobisty. Poczta "
                    "przechowuje przesyłki łącznie przez 14 dni, więc paczka na pewno jeszcze do "
                    "nas nie wróci.\n\n"
                    "Jeśli odbiór na poczcie jest dla Pana kłopotliwy, mogę złożyć reklamację "
                    "doręczenia w Poczcie Polskiej. Proszę dać znać, czy udało się odebrać "
                    "paczkę.\n\n"
                    "Pozdrawiam\n"
                    "Tomasz\n"
                    "Ziarno i Liść"
                ),
                5700,
                _PL_TOMASZ,
            ),
        ),
    ),
)

_PL_CANNED: tuple[DemoCanned, ...] = (
    DemoCanned(
        shortcut="sledzenie",
        title="Zamówienie wysłane, śledzenie",
        body=(
            "Dzień dobry,\n\n"
            "dziękujemy za wiadomość. Zamówienie zostało już wysłane, a link do śledzenia "
            "przesyłki znajdą Państwo w mailu z potwierdzeniem wysyłki. Paczki do "
            "paczkomatów InPost docierają zwykle w 1-2 dni robocze, a przesyłki kurierem DPD "
            "i Pocztą Polską w 1-3 dni robocze.\n\n"
            "Pozdrawiamy serdecznie\n"
            "{{ agent.name }}\n"
            "Ziarno i Liść"
        ),
    ),
    DemoCanned(
        shortcut="zwrot",
        title="Zwrot w ciągu 14 dni",
        body=(
            "Dzień dobry,\n\n"
            "na odstąpienie od umowy mają Państwo 14 dni od dnia otrzymania przesyłki. "
            "Wystarczy wypełnić formularz na stronie ziarnoilisc.example/zwroty, a bezpłatny "
            "kod zwrotu InPost prześlemy mailem. Paczkę można nadać w dowolnym "
            "paczkomacie.\n\n"
            "Pieniądze zwracamy tą samą metodą płatności, której użyto przy zamówieniu, "
            "niezwłocznie po otrzymaniu paczki, nie później niż w ciągu 14 dni.\n\n"
            "Pozdrawiamy serdecznie\n"
            "{{ agent.name }}\n"
            "Ziarno i Liść"
        ),
    ),
    DemoCanned(
        shortcut="reklamacja",
        title="Reklamacja przyjęta",
        body=(
            "Dzień dobry,\n\n"
            "bardzo przepraszamy za kłopot. Reklamacja została przyjęta, rozpatrzymy ją w "
            "ciągu 14 dni, a zwykle dużo szybciej.\n\n"
            "Prosimy o przesłanie w odpowiedzi na tę wiadomość zdjęć uszkodzonego produktu i "
            "opakowania oraz numeru zamówienia. Produktu nie trzeba na razie odsyłać.\n\n"
            "Pozdrawiamy serdecznie\n"
            "{{ agent.name }}\n"
            "Ziarno i Liść"
        ),
    ),
    DemoCanned(
        shortcut="wymiana",
        title="Wymiana produktu",
        body=(
            "Dzień dobry,\n\n"
            "wymiana jest jak najbardziej możliwa. Bezpłatny kod zwrotu InPost prześlemy "
            "mailem. Nowy produkt wyślemy od razu po nadaniu paczki zwrotnej, a jeśli jest "
            "droższy, razem z kodem otrzymają Państwo link do dopłaty.\n\n"
            "Prosimy, aby produkt był nieużywany i zapakowany w oryginalne pudełko.\n\n"
            "Pozdrawiamy\n"
            "{{ agent.name }}\n"
            "Ziarno i Liść"
        ),
    ),
    DemoCanned(
        shortcut="faktura",
        title="Faktura VAT",
        body=(
            "Dzień dobry,\n\n"
            "fakturę VAT wystawiamy na podstawie danych podanych przy zamówieniu. Jeśli "
            'zapomnieli Państwo zaznaczyć opcję "Chcę otrzymać fakturę", prosimy o '
            "przesłanie w odpowiedzi nazwy firmy, adresu i numeru NIP. Fakturę wyślemy "
            "mailem w formacie PDF.\n\n"
            "Pozdrawiamy\n"
            "{{ agent.name }}\n"
            "Ziarno i Liść"
        ),
    ),
    DemoCanned(
        shortcut="godziny",
        title="Godziny pracy",
        body=(
            "Dzień dobry, nasze biuro obsługi klienta pracuje od poniedziałku do piątku w "
            "godzinach 8:00-16:00. Wiadomości wysłane po godzinach odczytamy następnego dnia "
            "roboczego. Zamówienia złożone w dni robocze do 13:00 wysyłamy jeszcze tego "
            "samego dnia.\n\n"
            "Pozdrawiamy\n"
            "{{ agent.name }}"
        ),
    ),
    DemoCanned(
        shortcut="podziekowanie",
        title="Podziękowanie i zamknięcie",
        body=(
            "Dziękujemy za kontakt! Jeśli pojawią się jeszcze jakieś pytania, wystarczy "
            "odpowiedzieć na tę wiadomość.\n\n"
            "Smacznej kawy i miłego dnia!\n"
            "{{ agent.name }}"
        ),
    ),
    DemoCanned(
        shortcut="tracking-en",
        title="Order shipped, tracking (English)",
        body=(
            "Hi {{ contact.first_name }},\n\n"
            "Your order is on its way! You'll find the tracking link in the shipping "
            "confirmation email. InPost parcel lockers usually receive parcels within 1-2 "
            "working days, and DPD and Poczta Polska deliver within 1-3 working days.\n\n"
            "Best regards,\n"
            "{{ agent.name }}\n"
            "Ziarno i Liść"
        ),
    ),
    DemoCanned(
        shortcut="returns-en",
        title="Return instructions (English)",
        body=(
            "Hi {{ contact.first_name }},\n\n"
            "You can return any item within 14 days of receiving your parcel. Just fill in "
            "the form at ziarnoilisc.example/returns and we'll email you a free InPost "
            "return code, so you can send the parcel from any parcel locker.\n\n"
            "We'll refund you to your original payment method as soon as the parcel reaches "
            "us.\n\n"
            "Best regards,\n"
            "{{ agent.name }}\n"
            "Ziarno i Liść"
        ),
    ),
)

_PL_PRODUCTS: tuple[DemoProduct, ...] = (
    DemoProduct("ZL-KAW-3", "Kawiarka stalowa na 3 filiżanki", 12900, "PLN"),
    DemoProduct("ZL-KAW-6", "Kawiarka stalowa na 6 filiżanek", 15900, "PLN"),
    DemoProduct("ZL-DRP-02", "Dripper ceramiczny 02, biały", 8900, "PLN"),
    DemoProduct("ZL-FLT-02", "Filtry papierowe 02, 100 szt.", 2400, "PLN"),
    DemoProduct("ZL-MLY-ZAR", "Młynek ręczny Żarna", 34900, "PLN"),
    DemoProduct("ZL-CZJ-1L", "Czajnik z termometrem 1 l", 19900, "PLN"),
    DemoProduct("ZL-KUB-GL", "Kubek ceramiczny Glina 350 ml", 5900, "PLN"),
    DemoProduct("ZL-DZB-800", "Dzbanek do herbaty z sitkiem 800 ml", 11900, "PLN"),
    DemoProduct("ZL-PSZ-200", "Puszka na herbatę 200 g", 4500, "PLN"),
    DemoProduct("ZL-FRP-600", "French press 600 ml", 13900, "PLN"),
    DemoProduct("ZL-KET-250", "Kawa ziarnista Etiopia Yirgacheffe 250 g", 5400, "PLN"),
    DemoProduct("ZL-HSE-100", "Herbata Sencha Shizuoka 100 g", 3800, "PLN"),
)

PL_STORE: DemoStore = DemoStore(
    slug="ziarno-i-lisc",
    name="Ziarno i Liść",
    default_language="pl",
    languages=("pl", "en"),
    timezone="Europe/Warsaw",
    country="PL",
    reference_prefix="ZIL",
    brand_color="#7a3e2b",
    support_email="kontakt@ziarnoilisc.example",
    website="https://ziarnoilisc.example",
    business_hours={
        "mon": [("08:00", "16:00")],
        "tue": [("08:00", "16:00")],
        "wed": [("08:00", "16:00")],
        "thu": [("08:00", "16:00")],
        "fri": [("08:00", "16:00")],
        "sat": [],
        "sun": [],
    },
    teams=(_PL_TEAM_SERVICE, _PL_TEAM_RETURNS, _PL_TEAM_B2B),
    labels=(
        ("wysyłka", "#1d4ed8"),
        ("zwrot", "#b45309"),
        ("reklamacja", "#b91c1c"),
        ("wymiana", "#0e7490"),
        ("płatność", "#6d28d9"),
        ("faktura", "#4d7c0f"),
        ("b2b", "#047857"),
    ),
    agents=_PL_AGENTS,
    customers=_PL_CUSTOMERS,
    conversations=_PL_CONVERSATIONS,
    canned=_PL_CANNED,
    products=_PL_PRODUCTS,
)
