"""Vocabulary for bulk-generated synthetic conversations (`tiski demo --conversations N`)."""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Vocabulary for bulk-generated synthetic conversations
#
# BULK_SUBJECTS, BULK_CUSTOMER_LINES and BULK_AGENT_LINES are filled with
# str.format(order=..., product=..., first_name=...). "fi" and "sv" talk about an
# outdoor shop, "pl" about a coffee and tea shop, "en" stays generic enough for both.
# Product names are used uninflected, so sentences place {product} where the base
# form is grammatical. Polish agent lines use the gender-neutral "Państwo" form and
# "we" verbs, because the agent's and customer's gender is unknown.
# ---------------------------------------------------------------------------

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "fi": (
        "Aino",
        "Aleksi",
        "Anni",
        "Antti",
        "Eero",
        "Elina",
        "Emma",
        "Eveliina",
        "Hanna",
        "Heikki",
        "Helmi",
        "Henna",
        "Ilkka",
        "Jani",
        "Jari",
        "Jenni",
        "Johanna",
        "Juha",
        "Jukka",
        "Kaisa",
        "Kalle",
        "Katja",
        "Kirsi",
        "Lauri",
        "Leena",
        "Liisa",
        "Marja",
        "Markku",
        "Matti",
        "Mikko",
        "Minna",
        "Niina",
        "Olli",
        "Outi",
        "Pekka",
        "Petri",
        "Pirjo",
        "Riikka",
        "Sami",
        "Sanna",
        "Satu",
        "Tiina",
        "Timo",
        "Tuomas",
        "Veera",
        "Ville",
    ),
    "sv": (
        "Anders",
        "Anna",
        "Axel",
        "Bengt",
        "Birgitta",
        "Carl",
        "Cecilia",
        "Christoffer",
        "Ebba",
        "Elin",
        "Emil",
        "Emma",
        "Erik",
        "Fredrik",
        "Göran",
        "Hanna",
        "Henrik",
        "Ida",
        "Isak",
        "Jenny",
        "Johan",
        "Johanna",
        "Jonas",
        "Julia",
        "Karin",
        "Kim",
        "Kristian",
        "Linnea",
        "Lisa",
        "Lovisa",
        "Magnus",
        "Maria",
        "Matilda",
        "Mats",
        "Mikael",
        "Nora",
        "Oskar",
        "Patrik",
        "Rolf",
        "Sara",
        "Sebastian",
        "Sofia",
        "Stefan",
        "Tove",
        "Ulrika",
        "Viktor",
        "Wilhelm",
    ),
    "pl": (
        "Adam",
        "Agnieszka",
        "Aleksandra",
        "Andrzej",
        "Anna",
        "Barbara",
        "Bartosz",
        "Dawid",
        "Dorota",
        "Elżbieta",
        "Ewa",
        "Filip",
        "Grzegorz",
        "Jakub",
        "Jan",
        "Joanna",
        "Julia",
        "Justyna",
        "Kamil",
        "Karolina",
        "Katarzyna",
        "Krystyna",
        "Krzysztof",
        "Łukasz",
        "Maciej",
        "Magdalena",
        "Małgorzata",
        "Marcin",
        "Maria",
        "Marta",
        "Mateusz",
        "Michał",
        "Monika",
        "Natalia",
        "Paulina",
        "Paweł",
        "Piotr",
        "Rafał",
        "Sebastian",
        "Szymon",
        "Tomasz",
        "Weronika",
        "Wojciech",
        "Zofia",
    ),
    "en": (
        "Alice",
        "Amelia",
        "Andrew",
        "Benjamin",
        "Charlotte",
        "Chloe",
        "Chris",
        "Daniel",
        "David",
        "Emily",
        "Emma",
        "Ethan",
        "George",
        "Grace",
        "Hannah",
        "Harry",
        "Holly",
        "Isabel",
        "Jack",
        "James",
        "Jessica",
        "Joseph",
        "Katie",
        "Laura",
        "Liam",
        "Lucy",
        "Matthew",
        "Megan",
        "Michael",
        "Nathan",
        "Oliver",
        "Olivia",
        "Patrick",
        "Rachel",
        "Rebecca",
        "Ryan",
        "Samuel",
        "Sarah",
        "Sophie",
        "Thomas",
        "William",
        "Zoe",
    ),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "fi": (
        "Ahonen",
        "Hakala",
        "Hämäläinen",
        "Heikkilä",
        "Heikkinen",
        "Heinonen",
        "Hiltunen",
        "Honkanen",
        "Järvinen",
        "Jokinen",
        "Kallio",
        "Karjalainen",
        "Kettunen",
        "Kinnunen",
        "Korhonen",
        "Koskinen",
        "Laaksonen",
        "Lahtinen",
        "Laine",
        "Laitinen",
        "Lehtinen",
        "Lehtonen",
        "Leinonen",
        "Mäkelä",
        "Mäkinen",
        "Manninen",
        "Mattila",
        "Miettinen",
        "Niemi",
        "Nieminen",
        "Peltonen",
        "Rantanen",
        "Saarinen",
        "Salminen",
        "Salo",
        "Salonen",
        "Savolainen",
        "Seppälä",
        "Tuominen",
        "Turunen",
        "Väisänen",
        "Virtanen",
    ),
    "sv": (
        "Åberg",
        "Ahlgren",
        "Backman",
        "Björklund",
        "Blomqvist",
        "Ekholm",
        "Engström",
        "Enqvist",
        "Eriksson",
        "Fagerström",
        "Forsström",
        "Granholm",
        "Grönroos",
        "Gustafsson",
        "Hägglund",
        "Hellström",
        "Holmberg",
        "Holmström",
        "Johansson",
        "Karlsson",
        "Lindberg",
        "Lindholm",
        "Lindqvist",
        "Lindroos",
        "Lindström",
        "Lundqvist",
        "Malmberg",
        "Mattsson",
        "Nordström",
        "Nyberg",
        "Nyman",
        "Öhman",
        "Sandberg",
        "Sjöberg",
        "Söderlund",
        "Storbacka",
        "Strandberg",
        "Sundström",
        "Wallin",
        "Westerlund",
        "Wikström",
    ),
    # Mostly surnames that are the same for women and men, since the seeder does not inflect.
    "pl": (
        "Adamczyk",
        "Bąk",
        "Baran",
        "Cieślak",
        "Dudek",
        "Kaczmarczyk",
        "Kaczmarek",
        "Kołodziej",
        "Kowalczyk",
        "Krawczyk",
        "Król",
        "Kubiak",
        "Lis",
        "Marciniak",
        "Mazur",
        "Mazurek",
        "Michalak",
        "Nowak",
        "Pawlak",
        "Pietrzak",
        "Sikora",
        "Sobczak",
        "Stępień",
        "Szczepaniak",
        "Szewczyk",
        "Szulc",
        "Walczak",
        "Wieczorek",
        "Wilk",
        "Wójcik",
        "Woźniak",
        "Wróbel",
        "Zając",
        "Dąbrowski",
        "Jankowski",
        "Kamiński",
        "Kowalski",
        "Kozłowski",
        "Lewandowski",
        "Szymański",
        "Wiśniewski",
        "Zieliński",
    ),
    "en": (
        "Baker",
        "Brown",
        "Campbell",
        "Clark",
        "Clarke",
        "Cooper",
        "Davies",
        "Edwards",
        "Evans",
        "Green",
        "Hall",
        "Harris",
        "Harrison",
        "Hill",
        "Hughes",
        "Jackson",
        "Johnson",
        "Jones",
        "Kelly",
        "King",
        "Lee",
        "Lewis",
        "Martin",
        "Mitchell",
        "Moore",
        "Morgan",
        "Murphy",
        "O'Brien",
        "Patel",
        "Roberts",
        "Robinson",
        "Scott",
        "Smith",
        "Taylor",
        "Thompson",
        "Turner",
        "Walker",
        "White",
        "Williams",
        "Wilson",
        "Wood",
        "Wright",
        "Young",
    ),
}

BULK_PRODUCTS: dict[str, tuple[str, ...]] = {
    "fi": (
        "Kaamos-kuoritakki",
        "Näsi-fleecetakki",
        "Ruka-untuvatakki",
        "Vaara-softshelltakki",
        "Viima-tuulitakki",
        "Kuura-villapaita",
        "Routa-untuvaliivi",
        "Merinovillainen aluspaita",
        "Merinovillainen pipo",
        "Tunturi -5 -makuupussi",
        "Tunturi -15 -makuupussi",
        "Erä 45 -vaellusreppu",
        "Erä 28 -päiväreppu",
        "Laavu 2 -kevytteltta",
        "Kipinä-retkikeitin",
        "Uni-retkialusta",
        "Valo 400 -otsalamppu",
        "Termospullo 0,75 l",
        "Pisara-sadeviitta",
        "Tauko-retkituoli",
        "Kuivapussi 20 l",
        "Kelo-retkikirves",
        "Kaira-puukko",
        "Suunta-kompassi",
        "Retki-ensiapupakkaus",
        "Hanki-lumilapio",
    ),
    "sv": (
        "Skaljacka Kaamos",
        "Fleecejacka Näsi",
        "Dunjacka Ruka",
        "Softshelljacka Vaara",
        "Vindjacka Viima",
        "Ylletröja Kuura",
        "Dunväst Routa",
        "Underställströja i merinoull",
        "Mössa i merinoull",
        "Sovsäck Tunturi -5",
        "Sovsäck Tunturi -15",
        "Vandringsryggsäck Erä 45",
        "Dagsryggsäck Erä 28",
        "Lättvikttält Laavu 2",
        "Stormkök Kipinä",
        "Liggunderlag Uni",
        "Pannlampa Valo 400",
        "Termos 0,75 l",
        "Regnponcho Pisara",
        "Campingstol Tauko",
        "Packpåse 20 l",
        "Yxa Kelo",
        "Kniv Kaira",
        "Kompass Suunta",
        "Första hjälpen-kit Retki",
        "Snöspade Hanki",
    ),
    "pl": (
        "Kawiarka stalowa na 3 filiżanki",
        "Kawiarka stalowa na 6 filiżanek",
        "Dripper ceramiczny 02",
        "Filtry papierowe 02, 100 szt.",
        "Młynek ręczny Żarna",
        "Młynek elektryczny Młyn 200",
        "Czajnik z termometrem 1 l",
        "Czajnik elektryczny z regulacją temperatury",
        "Kubek ceramiczny Glina 350 ml",
        "Filiżanka do espresso Glina",
        "Zestaw filiżanek Glina, 2 szt.",
        "Dzbanek do herbaty z sitkiem 800 ml",
        "Czajniczek żeliwny 600 ml",
        "Puszka na herbatę 200 g",
        "French press 600 ml",
        "Waga kawowa z timerem",
        "Serwer do kawy 600 ml",
        "Spieniacz do mleka",
        "Kawa ziarnista Etiopia 250 g",
        "Kawa ziarnista Kolumbia 250 g",
        "Kawa ziarnista Brazylia 1 kg",
        "Herbata Sencha 100 g",
        "Herbata Earl Grey 100 g",
        "Yerba mate Classic 500 g",
        "Matcha ceremonialna 30 g",
        "Miotełka do matchy",
        "Kubek termiczny 350 ml",
        "Taca bambusowa",
    ),
    "en": (
        "Fjord travel mug 350 ml",
        "Fjord travel mug 500 ml",
        "Steel vacuum flask 0.75 l",
        "Steel vacuum flask 1 l",
        "Enamel mug, forest green",
        "Enamel mug, white",
        "Ceramic mug 350 ml",
        "Hand coffee grinder",
        "Travel pour-over dripper",
        "Reusable coffee filter",
        "Moka pot for 3 cups",
        "French press 600 ml",
        "Coffee scale with timer",
        "Camping kettle 1 l",
        "Collapsible silicone cup",
        "Insulated food jar 500 ml",
        "Stainless steel water bottle 750 ml",
        "Tea infuser bottle",
        "Tea tin 200 g",
        "Loose-leaf tea sampler",
        "Picnic set for two",
        "Linen tea towel",
        "Wool mug cosy",
        "Gift box",
        "Bamboo serving tray",
    ),
}

BULK_SUBJECTS: dict[str, tuple[str, ...]] = {
    "fi": (
        "Missä tilaukseni {order} on?",
        "Tilaus {order} ei ole vielä saapunut",
        "Seurantakoodi ei toimi",
        "Paketti jumissa Postin seurannassa",
        "Matkahuollon paketti ei ole tullut noutopisteeseen",
        "Koon vaihto, tilaus {order}",
        "Palautus: tilaus {order}",
        "Reklamaatio: {product}",
        "Vetoketju hajosi",
        "Kysymys tuotteesta {product}",
        "Onko {product} varastossa?",
        "Mikä koko kannattaa valita?",
        "Alennuskoodi ei toimi",
        "Klarna-lasku ei tullut",
        "Maksu veloitettu kahdesti",
        "MobilePay-maksu ei mennyt läpi",
        "Toimitusosoitteen muutos",
        "Tilauksen peruutus",
        "Rahojen palautus",
        "Lasku yritykselle",
        "Yritystilaus",
        "Väärä tuote paketissa",
        "Paketista puuttui tuote",
        "Tuote saapui rikkinäisenä",
        "Lahjakortti",
        "Tuleeko {product} takaisin myyntiin?",
        "Kiitos nopeasta toimituksesta!",
        "Toimitus Ahvenanmaalle",
        "Nouto varastolta",
        "Vaihto isompaan kokoon",
        "Takuuasia: {product}",
        "Tilausvahvistus ei tullut",
        "Kysymys toimituskuluista",
    ),
    "sv": (
        "Var är min beställning {order}?",
        "Beställning {order} har inte kommit",
        "Spårningskoden fungerar inte",
        "Paketet har fastnat hos Posti",
        "Paketet har inte kommit till utlämningsstället",
        "Byte av storlek, order {order}",
        "Retur av order {order}",
        "Reklamation: {product}",
        "Blixtlåset gick sönder",
        "Fråga om {product}",
        "Finns {product} i lager?",
        "Vilken storlek ska jag välja?",
        "Rabattkoden fungerar inte",
        "Klarnafakturan har inte kommit",
        "Pengarna drogs två gånger",
        "MobilePay-betalningen gick inte igenom",
        "Ändring av leveransadress",
        "Avbeställning",
        "Återbetalning",
        "Faktura till företag",
        "Företagsbeställning",
        "Fel produkt i paketet",
        "En produkt saknades i paketet",
        "Produkten kom trasig",
        "Presentkort",
        "Kommer {product} tillbaka i lager?",
        "Tack för snabb leverans!",
        "Leverans till Åland",
        "Avhämtning från lagret",
        "Byte till större storlek",
        "Garanti: {product}",
        "Ingen orderbekräftelse",
        "Fråga om fraktkostnader",
    ),
    "pl": (
        "Gdzie jest moje zamówienie nr {order}?",
        "Zamówienie {order} jeszcze nie dotarło",
        "Nie działa numer do śledzenia przesyłki",
        "Paczka utknęła w sortowni",
        "Paczka nie dotarła do paczkomatu",
        "Kurier nie przyjechał",
        "Awizo z Poczty Polskiej",
        "Wymiana produktu, zamówienie {order}",
        "Zwrot zamówienia {order}",
        "Reklamacja: {product}",
        "Produkt przyszedł uszkodzony",
        "Pytanie o produkt: {product}",
        "Czy można myć w zmywarce?",
        "Czy kawiarka działa na indukcji?",
        "Kod rabatowy nie działa",
        "Płatność BLIK nie przeszła",
        "Podwójnie pobrana płatność",
        "Zmiana adresu dostawy",
        "Anulowanie zamówienia {order}",
        "Zwrot pieniędzy",
        "Faktura VAT na firmę",
        "Zamówienie dla firmy",
        "Zły produkt w paczce",
        "Brak produktu w paczce",
        "Karta podarunkowa",
        "Kiedy {product} wróci do sprzedaży?",
        "Dziękuję za szybką wysyłkę!",
        "Odbiór osobisty",
        "Gwarancja: {product}",
        "Nie dostałem potwierdzenia zamówienia",
        "Pytanie o koszty wysyłki",
        "Jak ustawić młynek?",
        "Prośba o korektę faktury",
    ),
    "en": (
        "Where is my order #{order}?",
        "Order #{order} hasn't arrived yet",
        "Tracking link doesn't work",
        "Parcel stuck in transit",
        "Parcel not at the pickup point",
        "Exchange for order #{order}",
        "Return for order #{order}",
        "Faulty item: {product}",
        "Item arrived damaged",
        "Question about {product}",
        "Is the {product} in stock?",
        "Care instructions: {product}",
        "Discount code not working",
        "Payment taken twice",
        "Payment failed at checkout",
        "Change of delivery address",
        "Cancel my order",
        "Refund not received",
        "Invoice for my company",
        "Business order enquiry",
        "Wrong item in my parcel",
        "Missing item from order #{order}",
        "Gift cards",
        "When will the {product} be back in stock?",
        "Thank you!",
        "Shipping to the UK",
        "Delivery time to Germany",
        "Can I collect my order?",
        "Warranty claim: {product}",
        "No order confirmation email",
        "Question about shipping costs",
        "Wrong address on my order",
    ),
}

BULK_CUSTOMER_LINES: dict[str, tuple[str, ...]] = {
    "fi": (
        "Hei, missä tilaukseni {order} on? Seurannassa ei ole tapahtunut mitään kolmeen päivään.",
        "Moi! Tilasin viime viikolla (tilaus {order}), eikä paketti ole vieläkään tullut.",
        "Seurantakoodi ei toimi Postin sivuilla, siellä lukee että lähetystä ei löydy.",
        "Paketti on ollut Vantaan lajittelukeskuksessa jo monta päivää. Onko siinä jotain vikaa?",
        "Sain tekstarin että paketti on noudettavissa, mutta noutopisteessä sitä ei löytynyt.",
        "{product} on liian pieni. Voiko sen vaihtaa isompaan kokoon?",
        "Haluaisin palauttaa tilauksen {order}, tuote ei ollut ihan sitä mitä odotin.",
        "Miten palautus tehdään? En löydä palautuslomaketta mistään.",
        "Palautin paketin kaksi viikkoa sitten, mutta rahoja ei ole vielä näkynyt tilillä.",
        "Tuotteessa {product} on valmistusvika, ja haluaisin tehdä reklamaation.",
        "Vetoketju hajosi parin kuukauden käytön jälkeen. Kuuluuko tämä takuun piiriin?",
        "Onko {product} mitoitukseltaan normaali vai pieni?",
        "Mikä koko kannattaa ottaa, jos olen 170 cm ja käytän yleensä kokoa M?",
        "Alennuskoodi ei toimi kassalla, sanoo että koodi on virheellinen.",
        "Klarnan lasku ei ole tullut sähköpostiin. Mistä sen löytää?",
        "Maksoin verkkopankissa, mutta tilaus näyttää yhä maksamattomalta.",
        "Tililtäni veloitettiin tilauksesta {order} kahteen kertaan!",
        "Voiko tilauksen {order} vielä perua? Tilasin vahingossa väärän värin.",
        "Tein virheen osoitteessa, oikea postinumero on 33100.",
        "Voiko paketin ohjata toiseen noutopisteeseen?",
        "Paketista puuttui {product}, vaikka se oli tilausvahvistuksessa.",
        "Sain väärän tuotteen, tilasin mustan mutta paketissa oli sininen.",
        "Tarvitsisimme yrityksellemme laskun, Y-tunnus on tilauksen lisätiedoissa.",
        "Tuleeko {product} vielä takaisin myyntiin? Koko L on ollut pitkään loppu.",
        "Kiitos tosi nopeasta toimituksesta, paketti tuli jo seuraavana päivänä!",
        "Kiitos avusta, kaikki selvisi.",
        "Ok, kiitos!",
        "Selvä, odotan sitten.",
        "Vieläkään ei näy mitään uutta seurannassa.",
        "Voinko noutaa tilauksen suoraan teidän varastolta?",
        "Paljonko toimitus maksaa Ahvenanmaalle?",
        "Miten merinovillaa pitää pestä?",
        "Tilausvahvistusta ei tullut sähköpostiin, menikö tilaus varmasti läpi?",
        "Onko teillä lahjakortteja?",
        "Laitoin kuvat viasta liitteeksi.",
        "Vein palautuksen eilen Postin automaattiin.",
        "Tarvitsen tuotteen viimeistään perjantaina, ehtiikö se perille?",
        "Hei! Onko {product} mahdollista saada vielä ennen joulua?",
        "Voiko teillä maksaa MobilePaylla?",
        "Koodi ei vieläkään toimi :(",
        (
            "Hei,\n\n"
            "tilauksessani {order} oli mukana {product}, ja sen sauma aukesi jo ensimmäisellä "
            "retkellä. Miten toimin?\n\n"
            "Terveisin\n"
            "{first_name}"
        ),
        (
            "Hei,\n\n"
            "olen kiinnostunut tuotteesta {product}, mutta en ole varma koosta. Löytyykö siitä "
            "mittataulukkoa?\n\n"
            "Kiitos,\n"
            "{first_name}"
        ),
        (
            "Hei,\n\n"
            "peruin tilauksen {order} viime viikolla, mutta en ole vielä saanut rahoja takaisin. "
            "Voisitteko tarkistaa asian?\n\n"
            "Terveisin\n"
            "{first_name}"
        ),
        (
            "Hei,\n\n"
            "tilaus {order} saapui tänään, mutta laatikko oli pahasti ruttaantunut ja yksi tuote "
            "oli rikki. Kuvat liitteenä.\n\n"
            "Ystävällisin terveisin\n"
            "{first_name}"
        ),
    ),
    "sv": (
        "Hej, var är min beställning {order}? Spårningen har stått still i tre dagar.",
        "Hej! Jag beställde förra veckan (order {order}) men paketet har fortfarande inte kommit.",
        "Spårningskoden fungerar inte på Postis sida, det står att försändelsen inte hittas.",
        "Paketet har legat i Vanda i flera dagar nu. Har det hänt något?",
        "Jag fick ett sms om att paketet kan hämtas, men på ombudet hittade de det inte.",
        "Storleken är för liten. Kan jag byta till en större?",
        "Jag skulle vilja returnera order {order}, produkten var inte riktigt vad jag väntat mig.",
        "Hur gör jag en retur? Jag hittar inte returblanketten någonstans.",
        "Jag skickade tillbaka paketet för två veckor sedan men har inte fått pengarna ännu.",
        "Det är fel på {product} och jag skulle vilja reklamera.",
        "Blixtlåset gick sönder efter ett par månaders användning. Omfattas det av garantin?",
        "Hur är {product} i storleken? Jag brukar ha M.",
        "Vilken storlek ska jag ta om jag är 170 cm och brukar ha M?",
        "Rabattkoden fungerar inte i kassan, det står att den är ogiltig.",
        "Klarnafakturan har inte kommit till min e-post. Var hittar jag den?",
        "Jag betalade via nätbanken men beställningen ser fortfarande obetald ut.",
        "Ni har dragit pengar för order {order} två gånger!",
        "Kan jag ännu avbeställa order {order}? Jag beställde fel färg av misstag.",
        "Jag skrev fel adress i beställningen, rätt postnummer är 06100.",
        "Kan paketet skickas till ett annat utlämningsställe?",
        "Det saknades en produkt i paketet fast den fanns med på orderbekräftelsen: {product}.",
        "Jag fick fel produkt, jag beställde svart men fick blå.",
        "Vi behöver en faktura till vårt företag, FO-numret finns i tilläggsinformationen.",
        "Kommer {product} tillbaka i lager? Storlek L har varit slut länge.",
        "Tack för supersnabb leverans, paketet kom redan nästa dag!",
        "Tack för hjälpen, nu är allt klart.",
        "Okej, tack!",
        "Då väntar jag.",
        "Fortfarande inget nytt i spårningen.",
        "Kan jag hämta beställningen direkt från ert lager?",
        "Vad kostar frakten till Åland?",
        "Hur ska man tvätta merinoull?",
        "Jag fick ingen orderbekräftelse, gick beställningen säkert igenom?",
        "Säljer ni presentkort?",
        "Jag bifogar bilder på felet.",
        "Jag lämnade returen i paketautomaten i går.",
        "Jag behöver den senast på fredag, hinner den fram?",
        "Hej! Hinner {product} komma före jul om jag beställer i dag?",
        "Går det att betala med MobilePay?",
        "Koden fungerar fortfarande inte.",
        (
            "Hej,\n\n"
            "i min beställning {order} ingick {product}, och en söm gick upp redan på första "
            "utflykten. Hur ska jag gå till väga?\n\n"
            "Hälsningar\n"
            "{first_name}"
        ),
        (
            "Hej,\n\n"
            "jag är intresserad av {product} men är osäker på storleken. Finns det en "
            "storlekstabell?\n\n"
            "Tack på förhand,\n"
            "{first_name}"
        ),
        (
            "Hej,\n\n"
            "jag avbeställde order {order} förra veckan men har inte fått tillbaka pengarna. "
            "Kunde ni kolla upp det?\n\n"
            "Med vänliga hälsningar\n"
            "{first_name}"
        ),
        (
            "Hej,\n\n"
            "order {order} kom i dag, men kartongen var illa tilltygad och en av produkterna var "
            "trasig. Bilder bifogade.\n\n"
            "Vänliga hälsningar\n"
            "{first_name}"
        ),
    ),
    "pl": (
        "Dzień dobry, gdzie jest moje zamówienie nr {order}? Od trzech dni status się nie zmienia.",
        "Dzien dobry, zamawialam w zeszlym tygodniu (zamowienie {order}) i nadal nic nie przyszlo",
        "Numer przesyłki nie działa na stronie InPost, wyskakuje, że przesyłka nie istnieje.",
        "Paczka od czterech dni jest w sortowni. Czy coś się stało?",
        "Dostałam SMS, że paczka czeka w paczkomacie, ale skrytka była pusta.",
        (
            "Kurier miał być wczoraj, a w śledzeniu jest nieudana próba doręczenia. Byłem cały "
            "dzień w domu!"
        ),
        "Listonosz zostawił awizo, chociaż byłam w domu. Co teraz?",
        "Chciałbym zwrócić zamówienie nr {order}, produkt nie spełnił moich oczekiwań.",
        "Jak zrobić zwrot? Nie mogę znaleźć formularza na stronie.",
        "Odesłałam paczkę dwa tygodnie temu, a pieniądze jeszcze nie wróciły.",
        "W zamówieniu {order} produkt {product} przyszedł uszkodzony. Zdjęcia wyślę wieczorem.",
        "Chciałbym złożyć reklamację, produkt {product} przestał działać po miesiącu.",
        "Czy produkt {product} można myć w zmywarce?",
        "Czy kawiarka nadaje się na płytę indukcyjną?",
        "Jakie wymiary ma produkt {product}? Nie mogę ich znaleźć w opisie.",
        "kod rabatowy nie dziala, wyskakuje ze jest nieprawidlowy",
        "Zapłaciłam BLIKiem, pieniądze zeszły z konta, a zamówienie dalej czeka na płatność.",
        "Pobraliście mi pieniądze dwa razy za zamówienie {order}!",
        "Czy mogę jeszcze anulować zamówienie {order}? Zamówiłem przez pomyłkę zły kolor.",
        "Podałam zły adres, poprawny numer mieszkania to 14, a nie 41.",
        "Czy da się przekierować paczkę do innego paczkomatu?",
        "W paczce brakowało jednej rzeczy, chociaż była na potwierdzeniu zamówienia.",
        "Dostałem zły kolor kubka, zamawiałem zielony, a przyszedł niebieski.",
        "Potrzebuję faktury VAT na firmę, NIP podałem w uwagach do zamówienia.",
        "Kiedy produkt {product} będzie znowu dostępny?",
        "Dziękuję za super szybką wysyłkę, paczka była już następnego dnia!",
        "Dziękuję za pomoc, wszystko już jasne.",
        "Ok, dzięki!",
        "Dobrze, to czekam.",
        "dalej nic sie nie zmienilo w sledzeniu",
        "Czy jest możliwość odbioru osobistego?",
        "Ile kosztuje wysyłka za granicę?",
        "Jak ustawić młynek do espresso, a jak do dripa?",
        "Nie dostałem maila z potwierdzeniem, czy zamówienie na pewno przeszło?",
        "Czy macie karty podarunkowe?",
        "Zdjęcia uszkodzenia w załączniku.",
        "Paczkę zwrotną nadałam wczoraj w paczkomacie.",
        "Potrzebuję tego najpóźniej w piątek, zdąży dojść?",
        "Czy zdąży przyjść przed świętami, jeśli zamówię dzisiaj?",
        "Jaka kawa będzie najlepsza do kawiarki?",
        "Czy mogę zapłacić przy odbiorze?",
        "Kod dalej nie działa.",
        (
            "Dzień dobry,\n\n"
            "w zamówieniu nr {order} był produkt {product}, niestety po rozpakowaniu okazało się, "
            "że jest pęknięty. Co mam zrobić?\n\n"
            "Pozdrawiam\n"
            "{first_name}"
        ),
        (
            "Dzień dobry,\n\n"
            "interesuje mnie produkt {product}, ale mam pytanie przed zakupem: czy nadaje się do "
            "codziennego używania i jak o niego dbać?\n\n"
            "Pozdrawiam\n"
            "{first_name}"
        ),
        (
            "Dzień dobry,\n\n"
            "w zeszłym tygodniu anulowałem zamówienie nr {order}, ale pieniądze jeszcze nie "
            "wróciły na konto. Czy mogą Państwo to sprawdzić?\n\n"
            "Z poważaniem\n"
            "{first_name}"
        ),
    ),
    "en": (
        "Hi, where is my order #{order}? The tracking hasn't updated for three days.",
        "Hello! I ordered last week (order #{order}) and it still hasn't arrived.",
        "The tracking link says the shipment can't be found.",
        "My parcel seems to be stuck at the sorting centre. Is something wrong?",
        (
            "I got a text saying my parcel was ready for pickup, but the pickup point couldn't "
            "find it."
        ),
        "The {product} I received is the wrong colour. Can I exchange it?",
        "I'd like to return order #{order}, it's not quite what I expected.",
        "How do I make a return? I can't find the return form anywhere.",
        "I sent my return back two weeks ago but haven't had a refund yet.",
        "The {product} is faulty and I'd like to make a warranty claim.",
        "The {product} stopped working properly after a month. Is that covered by the warranty?",
        "Is the {product} dishwasher safe?",
        "How big is the {product} exactly? Could you send me the dimensions?",
        "The discount code doesn't work at checkout, it says it's invalid.",
        "I haven't received my Klarna invoice. Where can I find it?",
        "I paid by bank transfer but my order still shows as unpaid.",
        "You've charged me twice for order #{order}!",
        "Can I still cancel order #{order}? I ordered the wrong colour by mistake.",
        "I put the wrong flat number in my address, it should be 12B, not 21B.",
        "Can the parcel be redirected to another pickup point?",
        "The {product} was missing from my parcel even though it's on the order confirmation.",
        "I received the wrong item. I ordered black but got blue.",
        "We need an invoice for our company, the VAT number is in the order notes.",
        "Will the {product} be back in stock soon?",
        "Thanks for the super fast delivery, it arrived the next day!",
        "Thanks for your help, all sorted now.",
        "Ok, thanks!",
        "Alright, I'll wait then.",
        "Still nothing new in the tracking.",
        "Can I pick up my order in person?",
        "Do you ship to the UK, and will I have to pay customs?",
        "How should I clean the {product}?",
        "I didn't get an order confirmation. Did my order go through?",
        "Do you sell gift cards?",
        "I've attached photos of the damage.",
        "I dropped the return off at the parcel locker yesterday.",
        "I need it by Friday at the latest. Will it arrive in time?",
        "Will the {product} arrive before Christmas if I order today?",
        "Which payment methods do you accept?",
        "The code still doesn't work.",
        (
            "Hi,\n\n"
            "My order #{order} included the {product}, but it arrived with a crack. What should I "
            "do?\n\n"
            "Best,\n"
            "{first_name}"
        ),
        (
            "Hello,\n\n"
            "I'm interested in the {product}, but I'd like to know a bit more before ordering. Is "
            "it suitable as a gift, and do you offer gift wrapping?\n\n"
            "Thanks,\n"
            "{first_name}"
        ),
        (
            "Hi,\n\n"
            "I cancelled order #{order} last week but haven't received my money back yet. Could "
            "you look into it?\n\n"
            "Kind regards,\n"
            "{first_name}"
        ),
        (
            "Hello,\n\n"
            "Order #{order} arrived today, but the box was badly crushed and one of the items is "
            "broken. Photos attached.\n\n"
            "Kind regards,\n"
            "{first_name}"
        ),
    ),
}

BULK_AGENT_LINES: dict[str, tuple[str, ...]] = {
    "fi": (
        "Hei {first_name}! Tarkistan tilauksesi {order} tilanteen, hetki vain.",
        (
            "Kiitos odottamisesta! Tilauksesi {order} on lähtenyt varastoltamme, ja "
            "seurantalinkki on lähetysvahvistuksessa."
        ),
        "Paketti näyttää olevan vielä Postin lajittelukeskuksessa. Tein Postille selvityspyynnön.",
        (
            "Pahoittelut viivästyksestä! Jos paketti ei liiku huomiseen mennessä, lähetämme uuden "
            "tilalle."
        ),
        "Vaihto onnistuu, lähetin sähköpostiisi maksuttoman palautuskoodin.",
        "Uusi koko lähtee matkaan heti, kun palautus näkyy Postin järjestelmässä.",
        "Sinulla on 14 päivää aikaa palauttaa tuotteet siitä, kun olet vastaanottanut paketin.",
        (
            "Palautuksesi on saapunut, ja rahat on palautettu samalle maksutavalle. Summa näkyy "
            "tililläsi muutaman pankkipäivän kuluessa."
        ),
        (
            "Pahoittelut, että tuotteessa {product} on vikaa! Voisitko lähettää kuvan viasta ja "
            "tuotelapusta?"
        ),
        "Kiitos kuvista! Hyväksymme reklamaation ja lähetämme sinulle uuden tuotteen tilalle.",
        "Vetoketjuviat kuuluvat takuun piiriin, kun tuotetta on käytetty normaalisti.",
        "{product} on mitoitukseltaan normaali, joten suosittelen tavallista kokoasi.",
        "Mittataulukon löydät tuotesivulta kuvien alta.",
        "Alennuskoodi koskee vain normaalihintaisia tuotteita, ja korissasi on alennettu tuote.",
        (
            "Tarkistin maksun: se on tullut meille, ja tilauksesi {order} on nyt merkitty "
            "maksetuksi. Älä maksa uudelleen."
        ),
        "Klarna lähettää laskun sinulle sähköpostilla, ja löydät sen myös Klarnan sovelluksesta.",
        (
            "Näen kaksi veloitusta, mutta toinen niistä on vain katevaraus. Se poistuu tililtäsi "
            "muutamassa päivässä."
        ),
        "Peruin tilauksen {order}, ja rahat palautetaan samalle maksutavalle.",
        "Muutin toimitusosoitteen, kiitos kun ilmoitit ajoissa!",
        "Paketti on jo lähtenyt, mutta pyysin Matkahuoltoa ohjaamaan sen uuteen noutopisteeseen.",
        "Pahoittelut sekaannuksesta! Lähetämme puuttuvan tuotteen vielä tänään.",
        "Voimme toki laskuttaa yritystänne. Tarvitsen vielä Y-tunnuksen ja verkkolaskuosoitteen.",
        "{product} on tällä hetkellä loppu, mutta uusi erä on tulossa noin kahden viikon päästä.",
        "Kiitos tosi paljon palautteesta, välitän terveiset koko tiimille!",
        "Kiva kuulla, että asia ratkesi! Mukavia retkiä!",
        "Ole hyvä! Jos tulee vielä kysyttävää, vastaa vain tähän viestiin.",
        "Tilauksen voi noutaa varastoltamme arkisin klo 12-18. Ota mukaan tilausnumero {order}.",
        "Ahvenanmaalle toimitus maksaa 9,90 € ja kestää 3-5 arkipäivää.",
        "Merinovillatuotteet kannattaa pestä villaohjelmalla 30 asteessa ja kuivata tasolla.",
        (
            "Tilauksesi on mennyt läpi, mutta vahvistusviesti oli jäänyt lähtemättä. Lähetin sen "
            "sinulle uudelleen."
        ),
        "Lahjakortteja saa verkkokaupastamme 25, 50 ja 100 euron arvoisina.",
        "Kiitos, palautuksesi näkyy nyt Postin järjestelmässä.",
        (
            "Tilauksesi {order} ehtii perille, jos se lähtee tänään klo 14 mennessä. Laitan sen "
            "etusijalle."
        ),
        "Selvitän asiaa ja palaan sinulle vielä tänään.",
        "Kuljetusyhtiö lupasi toimittaa paketin huomenna.",
        "Voisitko vielä kertoa tilausnumerosi, niin katson asiaa?",
        "Pahoittelut, tämä ei ole sitä palvelua, jota haluamme tarjota. Korjataan asia heti.",
        "Hyvitin tilauksen {order} toimituskulut.",
        "Koodi toimii nyt, korjasin sen voimassaoloajan. Kiitos kun kerroit!",
        "Kyllä, meillä voi maksaa MobilePaylla, verkkopankissa, kortilla tai Klarnalla.",
        (
            "Hei {first_name},\n\n"
            "kiitos viestistäsi! Tarkistin tilauksesi {order}, ja se on lähtenyt varastoltamme "
            "tänään. Seurantalinkki tulee sähköpostiisi vielä tämän päivän aikana.\n\n"
            "Ystävällisin terveisin\n"
            "Asiakaspalvelu"
        ),
        (
            "Hei {first_name},\n\n"
            "pahoittelut pitkästä odotuksesta. Reklamaatiosi on käsitelty, ja uusi tuote lähtee "
            "sinulle huomenna.\n\n"
            "Ystävällisin terveisin\n"
            "Asiakaspalvelu"
        ),
        (
            "Hei {first_name},\n\n"
            "kiitos palautuksesta! Tuotteet saapuivat varastollemme, ja hyvitys on maksettu.\n\n"
            "Terveisin\n"
            "Asiakaspalvelu"
        ),
    ),
    "sv": (
        "Hej {first_name}! Jag kollar läget för din beställning {order}, ett ögonblick.",
        (
            "Tack för att du väntade! Din beställning {order} har lämnat vårt lager och "
            "spårningslänken finns i leveransbekräftelsen."
        ),
        (
            "Paketet verkar fortfarande ligga på Postis sorteringscentral. Jag har bett Posti "
            "utreda saken."
        ),
        "Förlåt för förseningen! Om paketet inte rör sig före i morgon skickar vi ett nytt.",
        "Bytet går bra, jag har skickat en kostnadsfri returkod till din e-post.",
        "Den nya storleken skickas så fort returen syns i Postis system.",
        "Du har 14 dagars ångerrätt från det att du fick paketet.",
        (
            "Vi har tagit emot din retur och betalat tillbaka pengarna till samma betalsätt. Det "
            "kan ta några bankdagar innan de syns på kontot."
        ),
        (
            "Tråkigt att det är fel på {product}! Kunde du skicka en bild på felet och på "
            "produktetiketten?"
        ),
        "Tack för bilderna! Vi godkänner reklamationen och skickar en ny produkt till dig.",
        "Fel på blixtlås omfattas av garantin när produkten har använts normalt.",
        "{product} har normal passform, så jag rekommenderar din vanliga storlek.",
        "Storlekstabellen finns på produktsidan under bilderna.",
        (
            "Rabattkoden gäller bara produkter till ordinarie pris, och i din varukorg finns en "
            "nedsatt produkt."
        ),
        (
            "Jag har kontrollerat betalningen: den har kommit in och din beställning {order} är "
            "nu markerad som betald. Betala inte igen."
        ),
        "Klarna skickar fakturan per e-post, och du hittar den också i Klarna-appen.",
        (
            "Jag ser två debiteringar, men den ena är bara en reservation som försvinner från "
            "ditt konto inom några dagar."
        ),
        "Jag har avbeställt order {order} och pengarna betalas tillbaka till samma betalsätt.",
        "Jag har ändrat leveransadressen, tack för att du hörde av dig i tid!",
        (
            "Paketet har redan skickats, men jag har bett Matkahuolto styra om det till ett annat "
            "utlämningsställe."
        ),
        "Förlåt för missen! Vi skickar den saknade produkten i dag.",
        "Vi fakturerar gärna ert företag. Jag behöver bara FO-numret och e-fakturaadressen.",
        "{product} är tyvärr slut just nu, men en ny leverans väntas om ungefär två veckor.",
        "Stort tack för din feedback, jag hälsar till hela teamet!",
        "Vad roligt att det löste sig! Ha det så bra.",
        "Varsågod! Om du har fler frågor är det bara att svara på det här meddelandet.",
        (
            "Du kan hämta beställningen från vårt lager vardagar kl. 12-18. Ta med ordernumret "
            "{order}."
        ),
        "Frakten till Åland kostar 9,90 euro och tar 3-5 vardagar.",
        "Merinoull tvättas bäst i ullprogram i 30 grader och torkas liggande.",
        (
            "Din beställning har gått igenom, men bekräftelsen hade inte skickats. Jag har nu "
            "skickat den på nytt."
        ),
        "Vi säljer presentkort på 25, 50 och 100 euro i vår webbutik.",
        "Tack, din retur syns nu i Postis system.",
        "Beställning {order} hinner fram om den skickas före kl. 14 i dag. Jag prioriterar den.",
        "Jag utreder saken och återkommer till dig ännu i dag.",
        "Transportbolaget har lovat leverera paketet i morgon.",
        "Kan du ännu berätta ditt ordernummer, så kollar jag saken?",
        "Förlåt, det här är inte den service vi vill ge. Vi ordnar det genast.",
        "Jag har krediterat fraktkostnaden för beställning {order}.",
        "Koden fungerar nu, jag har rättat giltighetstiden. Tack för att du sa till!",
        "Ja, hos oss kan du betala med MobilePay, nätbank, kort eller Klarna.",
        (
            "Hej {first_name},\n\n"
            "tack för ditt meddelande! Jag har kollat din beställning {order} och den har "
            "skickats från vårt lager i dag. Spårningslänken kommer till din e-post under "
            "dagen.\n\n"
            "Med vänliga hälsningar\n"
            "Kundtjänst"
        ),
        (
            "Hej {first_name},\n\n"
            "förlåt för den långa väntan. Din reklamation är nu behandlad och en ny produkt "
            "skickas till dig i morgon.\n\n"
            "Vänliga hälsningar\n"
            "Kundtjänst"
        ),
        (
            "Hej {first_name},\n\n"
            "tack för returen! Produkterna har kommit fram till vårt lager och pengarna har "
            "betalats tillbaka.\n\n"
            "Hälsningar\n"
            "Kundtjänst"
        ),
    ),
    "pl": (
        "Dzień dobry! Już sprawdzamy status zamówienia nr {order}, prosimy o chwilę cierpliwości.",
        (
            "Dziękujemy za cierpliwość! Zamówienie nr {order} zostało wysłane, a link do "
            "śledzenia jest w mailu z potwierdzeniem wysyłki."
        ),
        "Paczka wciąż jest w sortowni. Zgłosiliśmy już sprawę przewoźnikowi.",
        "Przepraszamy za opóźnienie! Jeśli paczka nie ruszy do jutra, wyślemy nową na nasz koszt.",
        "Wymiana jest jak najbardziej możliwa, kod zwrotu InPost wysłaliśmy mailem.",
        "Nowy produkt wyślemy od razu po nadaniu paczki zwrotnej.",
        "Na odstąpienie od umowy jest 14 dni od dnia otrzymania przesyłki.",
        (
            "Zwrot do nas dotarł, a pieniądze zostały przelane na konto, z którego opłacono "
            "zamówienie. Środki powinny pojawić się w ciągu 1-3 dni roboczych."
        ),
        (
            "Bardzo przepraszamy za uszkodzony produkt! Prosimy o przesłanie zdjęć uszkodzenia i "
            "opakowania."
        ),
        "Dziękujemy za zdjęcia! Reklamacja została uznana, nowy produkt wyślemy jeszcze dziś.",
        "Reklamację rozpatrzymy w ciągu 14 dni, ale zwykle odpowiadamy dużo szybciej.",
        (
            "Produkt {product} można myć w zmywarce, choć przy myciu ręcznym dłużej zachowa ładny "
            "wygląd."
        ),
        (
            "Nasze kawiarki są ze stali nierdzewnej, więc działają na płycie indukcyjnej. Nie "
            "zalecamy mycia ich w zmywarce."
        ),
        "Wymiary i pojemność znajdą Państwo na stronie produktu, w zakładce Szczegóły.",
        "Kod rabatowy działa przy zamówieniach od 100 zł i nie łączy się z innymi promocjami.",
        (
            "Płatność do nas dotarła, zamówienie nr {order} jest już opłacone. Prosimy nie płacić "
            "ponownie."
        ),
        (
            "Widzimy dwie operacje, ale jedna z nich to tylko blokada środków, która zniknie w "
            "ciągu kilku dni."
        ),
        (
            "Zamówienie nr {order} zostało anulowane, a pieniądze wrócą tą samą drogą, którą "
            "zostały wpłacone."
        ),
        "Adres dostawy został zmieniony, dziękujemy za szybką informację!",
        (
            "Paczka jest już w drodze, ale poprosiliśmy przewoźnika o przekierowanie jej pod nowy "
            "adres."
        ),
        "Przepraszamy za pomyłkę! Brakujący produkt wyślemy jeszcze dziś.",
        "Oczywiście wystawimy fakturę VAT. Prosimy o podanie nazwy firmy, adresu i numeru NIP.",
        (
            "Produkt {product} jest chwilowo niedostępny, nowa dostawa spodziewana jest za około "
            "dwa tygodnie."
        ),
        "Bardzo dziękujemy za miłe słowa, przekażemy je całemu zespołowi!",
        "Cieszymy się, że wszystko się udało. Smacznej kawy!",
        "Nie ma za co! W razie pytań wystarczy odpowiedzieć na tę wiadomość.",
        (
            "Odbiór osobisty jest możliwy w dni robocze w godzinach 10:00-16:00. Prosimy podać "
            "numer zamówienia {order}."
        ),
        "Wysyłka za granicę kosztuje od 39 zł, dokładną kwotę zobaczą Państwo w koszyku.",
        "Do kawiarki polecamy średnio drobne mielenie, trochę grubsze niż do espresso.",
        (
            "Zamówienie przeszło poprawnie, ale mail z potwierdzeniem nie został wysłany. Właśnie "
            "wysłaliśmy go ponownie."
        ),
        "Karty podarunkowe na 50, 100 i 200 zł są dostępne w naszym sklepie.",
        "Dziękujemy, paczka zwrotna jest już widoczna w systemie InPost.",
        (
            "Zamówienie nr {order} zdąży, jeśli wyślemy je dziś do 13:00. Już przekazaliśmy je do "
            "magazynu."
        ),
        "Sprawdzimy to i odezwiemy się jeszcze dziś.",
        "Przewoźnik potwierdził, że paczka zostanie doręczona jutro.",
        "Czy mogą Państwo podać numer zamówienia? Wtedy od razu to sprawdzimy.",
        (
            "Bardzo przepraszamy, to nie jest poziom obsługi, jaki chcemy zapewniać. Zaraz to "
            "naprawimy."
        ),
        "Zwróciliśmy koszt wysyłki za zamówienie nr {order}.",
        "Kod już działa, poprawiliśmy jego datę ważności. Dziękujemy za zgłoszenie!",
        "Płatność przy odbiorze jest dostępna przy wysyłce kurierem DPD.",
        (
            "Do kawiarki najlepiej sprawdzają się kawy o średnim stopniu palenia, na przykład "
            "nasza Brazylia."
        ),
        (
            "Dzień dobry,\n\n"
            "dziękujemy za wiadomość. Zamówienie nr {order} zostało dziś wysłane, a link do "
            "śledzenia przesyłki jeszcze dziś trafi do Państwa mailem.\n\n"
            "Pozdrawiamy serdecznie\n"
            "Obsługa klienta"
        ),
        (
            "Dzień dobry,\n\n"
            "przepraszamy za długi czas oczekiwania. Reklamacja została rozpatrzona pozytywnie, a "
            "nowy produkt wyślemy jutro.\n\n"
            "Pozdrawiamy\n"
            "Obsługa klienta"
        ),
        (
            "Dzień dobry,\n\n"
            "dziękujemy za zwrot. Paczka dotarła do naszego magazynu, a pieniądze zostały już "
            "przelane.\n\n"
            "Pozdrawiamy\n"
            "Obsługa klienta"
        ),
    ),
    "en": (
        "Hi {first_name}! Let me check the status of order #{order}, one moment.",
        (
            "Thanks for waiting! Your order #{order} has left our warehouse, and the tracking "
            "link is in the shipping confirmation email."
        ),
        (
            "The parcel still seems to be at the carrier's sorting centre. I've opened an "
            "investigation with them."
        ),
        (
            "Sorry for the delay! If the parcel doesn't move by tomorrow, we'll send you a "
            "replacement."
        ),
        "No problem, I've emailed you a free return code for the exchange.",
        "We'll send the new item as soon as the carrier has scanned your return.",
        "You have 14 days to return items from the day you received your parcel.",
        (
            "Your return has arrived and we've refunded the amount to your original payment "
            "method. It may take a few working days to show up."
        ),
        "Sorry to hear the {product} is faulty! Could you send us a photo of the problem?",
        "Thanks for the photos! We've approved your claim and will send you a replacement.",
        "That's covered by our warranty as long as the product has been used normally.",
        (
            "Yes, the {product} is dishwasher safe, although hand washing will keep it looking "
            "new for longer."
        ),
        "You'll find the dimensions on the product page under Product details.",
        (
            "The discount code only applies to full-price items, and there's a sale item in your "
            "basket."
        ),
        (
            "I've checked and your payment has come through, so order #{order} is now marked as "
            "paid. Please don't pay again."
        ),
        "Klarna sends the invoice to you by email, and you can also find it in the Klarna app.",
        (
            "I can see two charges, but one of them is just a temporary authorisation that will "
            "disappear within a few days."
        ),
        (
            "I've cancelled order #{order}, and the refund will go back to your original payment "
            "method."
        ),
        "I've updated the delivery address, thanks for letting us know in time!",
        (
            "The parcel has already been shipped, but I've asked the carrier to redirect it to a "
            "new pickup point."
        ),
        "Sorry about the mix-up! We'll send the missing item today.",
        (
            "We're happy to invoice your company. I'll just need your company name, address and "
            "VAT number."
        ),
        (
            "The {product} is out of stock right now, but we're expecting a new batch in about "
            "two weeks."
        ),
        "Thank you so much for the kind words, I'll pass them on to the whole team!",
        "Great to hear it's sorted! Have a lovely day.",
        "You're welcome! If you have any other questions, just reply to this message.",
        (
            "You can collect your order from our warehouse on weekdays. Please bring your order "
            "number, {order}."
        ),
        (
            "Yes, we ship to the UK. Since it's outside the EU, import VAT and a handling fee may "
            "be charged on delivery."
        ),
        (
            "For the {product}, we recommend warm water and a mild detergent. Please avoid "
            "abrasive sponges."
        ),
        "Your order went through, but the confirmation email hadn't been sent. I've resent it now.",
        "We sell gift cards in several amounts in our online shop.",
        "Thanks, your return is now showing in the carrier's system.",
        "Order #{order} will make it in time if it ships before 2 pm today. I'll prioritise it.",
        "I'll look into this and get back to you later today.",
        "The carrier has promised to deliver the parcel tomorrow.",
        "Could you tell me your order number so I can look into it?",
        "I'm sorry, this isn't the service we want to provide. Let's get it sorted right away.",
        "I've refunded the shipping cost for order #{order}.",
        "The code works now, I've fixed its validity period. Thanks for letting us know!",
        "We accept card payments, online bank transfers and Klarna.",
        (
            "Hi {first_name},\n\n"
            "Thanks for your message! I've checked your order #{order}, and it left our warehouse "
            "today. You'll receive the tracking link by email later today.\n\n"
            "Best regards,\n"
            "Customer Service"
        ),
        (
            "Hi {first_name},\n\n"
            "Sorry for the long wait. Your claim has now been processed, and a replacement will "
            "be sent to you tomorrow.\n\n"
            "Kind regards,\n"
            "Customer Service"
        ),
        (
            "Hi {first_name},\n\n"
            "Thanks for your return! The items have arrived at our warehouse and your refund has "
            "been processed.\n\n"
            "Best wishes,\n"
            "Customer Service"
        ),
    ),
}
