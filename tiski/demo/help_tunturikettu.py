"""The demo outdoor shop's help center, in Finnish, Swedish and English. Invented shop,
real-sounding rules: a 30-day return window on top of the statutory 14 days, Posti and
Matkahuolto parcels, complaints under the Finnish Consumer Protection Act."""

from __future__ import annotations

from tiski.demo.schema import DemoArticle, DemoHelpCenter

CATEGORIES = {
    "orders": {
        "fi": ("Tilaukset ja toimitus", "Toimitusajat, seuranta ja tilauksen muuttaminen."),
        "sv": ("Beställningar och leverans", "Leveranstider, spårning och ändrade beställningar."),
        "en": ("Orders and delivery", "Delivery times, tracking and changing an order."),
    },
    "returns": {
        "fi": (
            "Palautukset ja reklamaatiot",
            "Palauta, vaihda tai ilmoita viallisesta tuotteesta.",
        ),
        "sv": ("Returer och reklamationer", "Returnera, byt eller anmäl en felaktig vara."),
        "en": ("Returns and complaints", "Return, exchange or report a faulty product."),
    },
    "products": {
        "fi": ("Tuotteet ja koot", "Kokotaulukot, lahjakortit ja tuotteiden hoito."),
        "sv": ("Produkter och storlekar", "Storlekstabeller, presentkort och skötselråd."),
        "en": ("Products and sizes", "Size charts, gift cards and product care."),
    },
}

DELIVERY = DemoArticle(
    "orders",
    {
        "fi": (
            "Toimitusajat ja -tavat",
            "Lähetämme tilaukset Tampereen varastoltamme arkisin. Ennen klo 14 tehty "
            "tilaus lähtee yleensä samana päivänä.\n\n"
            "| Toimitustapa | Toimitusaika | Hinta |\n|---|---|---|\n"
            "| Posti, pakettiautomaatti | 1–3 arkipäivää | 5,90 € |\n"
            "| Matkahuolto, lähellä-paketti | 1–3 arkipäivää | 5,90 € |\n"
            "| Kotiinkuljetus | 1–2 arkipäivää | 12,90 € |\n\n"
            "Yli 79 euron tilaukset toimitamme ilmaiseksi pakettiautomaattiin.\n\n"
            "Saat seurantakoodin sähköpostiisi, kun paketti lähtee. Tilauksesi tilan näet "
            "myös chatin kohdasta *Tilauksen tila*.",
        ),
        "sv": (
            "Leveranstider och leveranssätt",
            "Vi skickar beställningar från vårt lager i Tammerfors på vardagar. En "
            "beställning som görs före kl. 14 skickas oftast samma dag.\n\n"
            "| Leveranssätt | Leveranstid | Pris |\n|---|---|---|\n"
            "| Posti, paketautomat | 1–3 vardagar | 5,90 € |\n"
            "| Matkahuolto, närpaket | 1–3 vardagar | 5,90 € |\n"
            "| Hemleverans | 1–2 vardagar | 12,90 € |\n\n"
            "Beställningar över 79 euro levereras gratis till paketautomat.\n\n"
            "Du får en spårningskod per e-post när paketet har skickats.",
        ),
        "en": (
            "Delivery times and options",
            "We ship from our warehouse in Tampere on weekdays. Orders placed before "
            "2 pm usually leave the same day.\n\n"
            "| Option | Delivery time | Price |\n|---|---|---|\n"
            "| Posti parcel locker | 1–3 working days | €5.90 |\n"
            "| Matkahuolto pick-up point | 1–3 working days | €5.90 |\n"
            "| Home delivery | 1–2 working days | €12.90 |\n\n"
            "Orders over €79 ship free to a parcel locker.\n\n"
            "You get a tracking code by email as soon as the parcel leaves us.",
        ),
    },
)

RETURNS = DemoArticle(
    "returns",
    {
        "fi": (
            "Näin palautat tuotteen",
            "Sinulla on **30 päivän palautusoikeus** siitä päivästä, kun sait paketin. "
            "Se on pidempi kuin lain edellyttämä 14 päivän peruuttamisoikeus.\n\n"
            "1. Kirjoita meille chatissa tai sähköpostilla, mitä palautat.\n"
            "2. Lähetämme sinulle maksuttoman palautuskoodin.\n"
            "3. Pakkaa tuote mieluiten alkuperäiseen pakkaukseen ja vie se "
            "pakettiautomaattiin.\n\n"
            "Palautukset käsitellään viiden arkipäivän kuluessa. Rahat palautetaan samalle "
            "maksutavalle, jolla maksoit, viimeistään 14 päivän kuluessa "
            "peruuttamisilmoituksesta.\n\n"
            "Käyttämättömän tuotteen voit myös vaihtaa toiseen kokoon tai väriin.",
        ),
        "sv": (
            "Så returnerar du en vara",
            "Du har **30 dagars returrätt** räknat från den dag du fick paketet. Det är "
            "längre än den ångerrätt på 14 dagar som lagen kräver.\n\n"
            "1. Skriv till oss i chatten eller per e-post vad du vill returnera.\n"
            "2. Vi skickar dig en kostnadsfri returkod.\n"
            "3. Packa varan helst i originalförpackningen och lämna den i en "
            "paketautomat.\n\n"
            "Returer behandlas inom fem vardagar. Pengarna betalas tillbaka till samma "
            "betalningssätt senast 14 dagar efter att du meddelat att du ångrar köpet.",
        ),
        "en": (
            "How to return an item",
            "You have **30 days to return** an item, counted from the day you received "
            "the parcel. That is longer than the 14-day right of withdrawal the law "
            "requires.\n\n"
            "1. Tell us in the chat or by email what you are returning.\n"
            "2. We send you a free return code.\n"
            "3. Pack the item, ideally in its original packaging, and drop it at a "
            "parcel locker.\n\n"
            "Returns are handled within five working days. We refund you to the payment "
            "method you used, at the latest 14 days after you told us you are "
            "withdrawing.",
        ),
    },
)

COMPLAINT = DemoArticle(
    "returns",
    {
        "fi": (
            "Viallinen tuote – näin teet reklamaation",
            "Jos tuote hajoaa tai siinä on virhe, tee reklamaatio kohtuullisessa ajassa "
            "siitä, kun huomasit vian. Kuluttajansuojalain mukaiset oikeutesi ovat "
            "voimassa valmistajan takuusta riippumatta.\n\n"
            "Lähetä meille:\n\n- tilausnumero\n- kuvaus viasta\n- kuva viasta\n\n"
            "Korjaamme tai vaihdamme tuotteen, tai palautamme rahat, jos korjaus tai "
            "vaihto ei onnistu. Maksamme viallisen tuotteen palautuskulut.",
        ),
        "sv": (
            "Felaktig vara – så reklamerar du",
            "Om en vara går sönder eller har ett fel ska du reklamera inom skälig tid "
            "från att du märkte felet. Dina rättigheter enligt konsumentskyddslagen gäller "
            "oberoende av tillverkarens garanti.\n\n"
            "Skicka oss:\n\n- ordernummer\n- en beskrivning av felet\n- en bild på felet\n\n"
            "Vi reparerar eller byter varan, eller betalar tillbaka pengarna om det inte "
            "går. Vi står för returkostnaden för en felaktig vara.",
        ),
        "en": (
            "Faulty item – how to make a complaint",
            "If an item breaks or has a defect, tell us within a reasonable time of "
            "noticing it. Your rights under the Consumer Protection Act apply whatever "
            "the manufacturer's warranty says.\n\n"
            "Send us:\n\n- your order number\n- a description of the fault\n"
            "- a photo of it\n\n"
            "We repair or replace the item, or refund you if neither is possible. We pay "
            "the postage for returning a faulty item.",
        ),
    },
)

SHOE_SIZES = DemoArticle(
    "products",
    {
        "fi": (
            "Kenkien kokotaulukko",
            "Mittaa jalkasi illalla, kun jalka on pisimmillään. Seiso paperin päällä ja "
            "mittaa kantapäästä pisimmän varpaan kärkeen.\n\n"
            "| Jalan pituus | EU-koko |\n|---|---|\n| 24,5 cm | 39 |\n| 25,0 cm | 40 |\n"
            "| 25,5 cm | 41 |\n| 26,5 cm | 42 |\n| 27,0 cm | 43 |\n| 28,0 cm | 44 |\n\n"
            "Vaelluskenkiin kannattaa jättää noin sentin väljyys paksuja sukkia varten.",
        ),
        "en": (
            "Shoe size chart",
            "Measure your foot in the evening, when it is longest. Stand on a sheet of "
            "paper and measure from the heel to the tip of your longest toe.\n\n"
            "| Foot length | EU size |\n|---|---|\n| 24.5 cm | 39 |\n| 25.0 cm | 40 |\n"
            "| 25.5 cm | 41 |\n| 26.5 cm | 42 |\n| 27.0 cm | 43 |\n| 28.0 cm | 44 |\n\n"
            "Leave about a centimetre of room in hiking boots for thick socks.",
        ),
        "sv": (
            "Storlekstabell för skor",
            "Mät foten på kvällen, när den är som längst. Ställ dig på ett papper och mät "
            "från hälen till spetsen av den längsta tån.",
        ),
    },
    drafts=("sv",),
)

GIFT_CARDS = DemoArticle(
    "products",
    {
        "fi": (
            "Lahjakortit",
            "Lahjakortti on voimassa kaksi vuotta ostopäivästä. Syötä lahjakortin koodi "
            "kassalla; jäljelle jäävä saldo säilyy seuraavaa ostosta varten.\n\n"
            "Kadonneen lahjakortin voimme lähettää uudelleen, kun kerrot ostajan "
            "sähköpostiosoitteen.",
        ),
        "sv": (
            "Presentkort",
            "Presentkortet gäller i två år från köpdagen. Ange koden i kassan; det som "
            "blir kvar finns kvar till nästa köp.\n\n"
            "Har presentkortet kommit bort kan vi skicka det igen om du berättar "
            "köparens e-postadress.",
        ),
        "en": (
            "Gift cards",
            "A gift card is valid for two years from the day it was bought. Enter its "
            "code at checkout; any balance left stays on the card for next time.\n\n"
            "Lost a gift card? We can send it again if you tell us the buyer's email "
            "address.",
        ),
    },
)

CHANGE_ORDER = DemoArticle(
    "orders",
    {
        "fi": (
            "Tilauksen muuttaminen tai peruminen",
            "Voit muuttaa tai perua tilauksen, kunnes se on lähtenyt varastolta. Kirjoita "
            "meille chatissa ja kerro tilausnumero – ehdimme yleensä muuttaa tilauksen, "
            "jos se on tehty alle tunti sitten.\n\n"
            "Jos paketti on jo matkalla, voit palauttaa sen maksutta.",
        ),
        "en": (
            "Changing or cancelling an order",
            "You can change or cancel an order until it has left our warehouse. Write to "
            "us in the chat with your order number – we can usually still change an "
            "order placed less than an hour ago.\n\n"
            "If the parcel is already on its way, you can return it free of charge.",
        ),
    },
)

POLICIES = (
    DemoArticle(
        "",
        {
            "fi": (
                "Toimitusehdot",
                "Toimitamme Suomeen ja Ahvenanmaalle. Toimitusajat ja -hinnat näet "
                "artikkelista *Toimitusajat ja -tavat*. Vastaamme paketista, kunnes se on "
                "perillä. Jos paketti katoaa tai vaurioituu matkalla, lähetämme uuden.",
            ),
            "sv": (
                "Leveransvillkor",
                "Vi levererar till Finland och Åland. Vi ansvarar för paketet tills det "
                "har kommit fram. Om paketet försvinner eller skadas skickar vi ett nytt.",
            ),
            "en": (
                "Shipping policy",
                "We deliver to Finland and the Åland Islands. We are responsible for the "
                "parcel until it arrives. If it is lost or damaged on the way, we send a "
                "new one.",
            ),
        },
        policy="shipping",
    ),
    DemoArticle(
        "",
        {
            "fi": (
                "Palautusehdot",
                "Verkkokaupan ostoksilla on lain mukainen 14 päivän peruuttamisoikeus. "
                "Tunturikettu antaa sen lisäksi 30 päivän palautusoikeuden tavaran "
                "vastaanottamisesta. Palautamme rahat alkuperäiselle maksutavalle 14 "
                "päivän kuluessa peruuttamisilmoituksesta. Hygieniasyistä emme ota "
                "vastaan avattuja alusvaatteita tai sukkia.",
            ),
            "sv": (
                "Returvillkor",
                "Köp i webbutiken har den lagstadgade ångerrätten på 14 dagar. "
                "Tunturikettu ger dessutom 30 dagars returrätt från att du tagit emot "
                "varan. Vi betalar tillbaka till det ursprungliga betalningssättet inom "
                "14 dagar från att du meddelat att du ångrar köpet.",
            ),
            "en": (
                "Returns and refunds policy",
                "Online purchases come with the statutory 14-day right of withdrawal. On "
                "top of that, Tunturikettu gives you 30 days to return an item from the "
                "day you received it. We refund to the original payment method within "
                "14 days of your withdrawal notice. For hygiene reasons we cannot take "
                "back opened underwear or socks.",
            ),
        },
        policy="returns",
    ),
    DemoArticle(
        "",
        {
            "fi": (
                "Tietosuojaseloste",
                "Käsittelemme nimeäsi, yhteystietojasi ja tilaushistoriaasi tilausten "
                "toimittamiseksi ja asiakaspalvelua varten. Emme myy tietoja eteenpäin. "
                "Voit pyytää tietosi nähtäväksi tai poistettavaksi osoitteesta "
                "tuki@tunturikettu.example.",
            ),
            "en": (
                "Privacy policy",
                "We process your name, contact details and order history to deliver your "
                "orders and to answer your questions. We never sell your data. Ask to see "
                "or delete your data at tuki@tunturikettu.example.",
            ),
        },
        policy="privacy",
    ),
    DemoArticle(
        "",
        {
            "fi": (
                "Yhteystiedot",
                "Tunturikettu Oy, Hämeenkatu 12, 33100 Tampere. Y-tunnus 1234567-8. "
                "Vastaamme chatissa ja puhelimessa aukioloaikoina, sähköpostiin yhden "
                "arkipäivän kuluessa.",
            ),
            "sv": (
                "Kontaktuppgifter",
                "Tunturikettu Oy, Tavastgatan 12, 33100 Tammerfors. FO-nummer 1234567-8. "
                "Vi svarar i chatten och i telefon under öppettiderna och på e-post inom "
                "en vardag.",
            ),
            "en": (
                "Contact us",
                "Tunturikettu Oy, Hämeenkatu 12, 33100 Tampere, Finland. Business ID "
                "1234567-8. We answer in the chat and by phone during opening hours, and "
                "email within one working day.",
            ),
        },
        policy="contact",
    ),
)

FI_HELP = DemoHelpCenter(
    phone="+358 3 4107 2200",
    categories=CATEGORIES,
    articles=(RETURNS, DELIVERY, COMPLAINT, CHANGE_ORDER, SHOE_SIZES, GIFT_CARDS, *POLICIES),
)
