"""Tunturikettu Outdoor: an invented outdoor clothing and gear shop in Tampere.

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
# Store 1: Tunturikettu Outdoor, an outdoor clothing and gear shop in Tampere
# ---------------------------------------------------------------------------

_FI_JOHANNA: str = "johanna@tunturikettu.example"
_FI_MIKKO: str = "mikko@tunturikettu.example"
_FI_LINNEA: str = "linnea@tunturikettu.example"
_FI_EMILY: str = "emily@tunturikettu.example"

_FI_TEAM_SERVICE: str = "Asiakaspalvelu"
_FI_TEAM_RETURNS: str = "Palautukset ja reklamaatiot"
_FI_TEAM_B2B: str = "Yritysmyynti"

_FI_AGENTS: tuple[DemoAgent, ...] = (
    DemoAgent(
        email=_FI_JOHANNA,
        name="Johanna Lehtinen",
        language="fi",
        role="owner",
        teams=(_FI_TEAM_SERVICE, _FI_TEAM_RETURNS, _FI_TEAM_B2B),
    ),
    DemoAgent(
        email=_FI_MIKKO,
        name="Mikko Heinonen",
        language="fi",
        role="admin",
        teams=(_FI_TEAM_SERVICE, _FI_TEAM_RETURNS),
    ),
    DemoAgent(
        email=_FI_LINNEA,
        name="Linnea Holmström",
        language="sv",
        role="agent",
        teams=(_FI_TEAM_SERVICE, _FI_TEAM_RETURNS),
    ),
    DemoAgent(
        email=_FI_EMILY,
        name="Emily Carter",
        language="en",
        role="agent",
        teams=(_FI_TEAM_SERVICE,),
    ),
)

_FI_CUSTOMERS: tuple[DemoCustomer, ...] = (
    DemoCustomer(
        key="matti",
        name="Matti Korhonen",
        email="matti.korhonen@example.fi",
        phone="+358 40 218 5564",
        shop_customer_id="cus_10452",
        language="fi",
        tags=("kanta-asiakas",),
        notes=(
            "Retkeilee talvisin Lapissa ja kysyy usein neuvoa makuupussien lämpöluokista.",
            "Haluaa mieluiten puhelun kuin sähköpostin, jos asia on monimutkainen.",
        ),
    ),
    DemoCustomer(
        key="sanna",
        name="Sanna Mäkelä",
        email="sanna.makela@example.fi",
        phone="+358 40 663 1027",
        shop_customer_id="",
        language="fi",
    ),
    DemoCustomer(
        key="jukka",
        name="Jukka Nieminen",
        email="jukka.nieminen@example.fi",
        phone="+358 40 912 4470",
        shop_customer_id="cus_10211",
        language="fi",
        tags=("reklamaatio-kesken",),
    ),
    DemoCustomer(
        key="elina",
        name="Elina Laaksonen",
        email="elina.laaksonen@example.fi",
        phone="+358 40 385 2296",
        shop_customer_id="cus_10398",
        language="fi",
        notes=("Leveä jalka, vaelluskengissä koko 39 (normaalisti 38).",),
    ),
    DemoCustomer(
        key="anders",
        name="Anders Lindqvist",
        email="anders.lindqvist@example.fi",
        phone="",
        shop_customer_id="",
        language="sv",
    ),
    DemoCustomer(
        key="ebba",
        name="Ebba Sjöberg",
        email="ebba.sjoberg@example.fi",
        phone="+358 40 547 8813",
        shop_customer_id="cus_10376",
        language="sv",
        notes=("Asuu Porvoossa ja asioi mieluiten ruotsiksi, Linnea hoitaa.",),
    ),
    DemoCustomer(
        key="james",
        name="James Whitfield",
        email="james.whitfield@example.com",
        phone="+358 40 730 6159",
        shop_customer_id="cus_10405",
        language="en",
        tags=("expat",),
        notes=(
            "Moving back to Manchester at the end of the month. "
            "Remind him about UK import VAT if he orders after that.",
        ),
    ),
    DemoCustomer(
        key="tiina",
        name="Tiina Salonen",
        email="tiina.salonen@example.fi",
        phone="+358 40 284 9930",
        shop_customer_id="cus_10461",
        language="fi",
    ),
    DemoCustomer(
        key="petri",
        name="Petri Hakala",
        email="petri.hakala@example.fi",
        phone="+358 40 771 3408",
        shop_customer_id="cus_10133",
        language="fi",
        tags=("yritysasiakas",),
        notes=(
            "Näsin Retkipalvelut Oy, Y-tunnus 3124567-6. "
            "Laskutus verkkolaskuna (003731245676), maksuaika 14 pv.",
        ),
    ),
    DemoCustomer(
        key="riikka",
        name="Riikka Järvinen",
        email="riikka.jarvinen@example.fi",
        phone="+358 40 195 6624",
        shop_customer_id="cus_10320",
        language="fi",
    ),
    DemoCustomer(
        key="kalle",
        name="Kalle Rantanen",
        email="kalle.rantanen@example.fi",
        phone="+358 40 806 4412",
        shop_customer_id="cus_10067",
        language="fi",
        tags=("kanta-asiakas",),
    ),
    DemoCustomer(
        key="aleksi",
        name="Aleksi Peltonen",
        email="aleksi.peltonen@example.fi",
        phone="+358 40 359 0871",
        shop_customer_id="",
        language="fi",
        notes=(
            "Toimitus myöhästyi Schenkerin virheen takia. "
            "Hyvitetty toimituskulut ja annettu alennuskoodi ANTEEKSI20.",
        ),
    ),
    DemoCustomer(
        key="hanna",
        name="Hanna Koskinen",
        email="hanna.koskinen@example.fi",
        phone="+358 40 622 7105",
        shop_customer_id="cus_10470",
        language="fi",
    ),
)

_FI_CONVERSATIONS: tuple[DemoConversation, ...] = (
    # Older, resolved sizing question; Elina's current conversation is the next one.
    DemoConversation(
        customer="elina",
        channel="email",
        subject="Kysymys vaelluskenkien koosta",
        language="fi",
        status="resolved",
        priority="normal",
        assignee=_FI_MIKKO,
        team=_FI_TEAM_SERVICE,
        messages=(
            DemoMessage(
                "in",
                (
                    "Hei!\n\n"
                    "Olen tilaamassa Pyhä-vaelluskenkiä, mutta en ole varma koosta. Käytän "
                    "yleensä lenkkareissa kokoa 38, mutta jalkani on aika leveä. Kannattaako "
                    "ottaa numeroa isompi? Ja mahtuvatko kenkiin paksut villasukat?\n\n"
                    "Kiitos jo etukäteen!\n"
                    "Elina Laaksonen"
                ),
                30300,
            ),
            DemoMessage(
                "reply",
                (
                    "Hei Elina,\n\n"
                    "kiitos viestistä! Pyhä-kengät ovat lestiltään keskileveät ja mitoitukseltaan "
                    "normaalit. Jos jalkasi on leveä ja aiot käyttää paksuja villasukkia, "
                    "suosittelen kokoa 39. Sisäpohjan pituus on koossa 38 noin 24,5 cm ja koossa "
                    "39 noin 25,2 cm, joten voit myös mitata jalkasi ja verrata.\n\n"
                    "Jos koko ei kuitenkaan osu kohdalleen, vaihto onnistuu maksutta 14 päivän "
                    "sisällä, kunhan kenkiä on sovitettu vain sisätiloissa.\n\n"
                    "Ystävällisin terveisin\n"
                    "Mikko\n"
                    "Tunturikettu Outdoor"
                ),
                30180,
                _FI_MIKKO,
            ),
            DemoMessage(
                "in",
                "Kiitos nopeasta vastauksesta, tilaan sitten koon 39!\n\nElina",
                29900,
            ),
        ),
    ),
    DemoConversation(
        customer="elina",
        channel="chat",
        subject="Tilaus 10312 jumissa Postin seurannassa",
        language="fi",
        status="open",
        priority="urgent",
        assignee=_FI_MIKKO,
        team=_FI_TEAM_SERVICE,
        labels=("toimitus",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Hei, tilasin viime viikon torstaina (tilaus 10312) ja seurannassa lukee vaan "
                    "et lähetys on Vantaan lajittelukeskuksessa. Se on ollut siellä jo neljä "
                    "päivää"
                ),
                1512,
            ),
            DemoMessage("in", "Lähden lauantaina Lappiin ja reppu on siinä paketissa :(", 1511),
            DemoMessage(
                "reply",
                "Hei Elina! Harmillinen tilanne, katson asiaa heti. Hetki vain.",
                1506,
                _FI_MIKKO,
            ),
            DemoMessage(
                "note",
                (
                    "Tarkistin Postin seurannasta, paketti jumissa Vantaalla lajittelukeskuksessa "
                    "jo 4 pv. Tein Postin yritysasiakaspalveluun selvityspyynnön. Jos ei liiku "
                    "huomiseen klo 12 mennessä, lähetetään uusi Erä 45 -reppu Matkahuollon "
                    "pikapakettina meidän piikkiin."
                ),
                1498,
                _FI_MIKKO,
            ),
            DemoMessage(
                "reply",
                (
                    "Paketti näyttää tosiaan jääneen Vantaalle jumiin. Tein Postille "
                    "selvityspyynnön. Jos lähetys ei lähde liikkeelle huomiseen puoleenpäivään "
                    "mennessä, lähetämme sinulle uuden repun Matkahuollon pikapakettina omalla "
                    "kustannuksellamme, niin ehdit saada sen ennen lauantaita."
                ),
                1494,
                _FI_MIKKO,
            ),
            DemoMessage("in", "Okei, kiitos tosi paljon!", 1490),
            DemoMessage(
                "in",
                (
                    "Moi taas, kello on jo yli 12 eikä seurannassa näy vieläkään mitään. Lähteekö "
                    "se uusi reppu tänään?"
                ),
                6,
            ),
        ),
    ),
    DemoConversation(
        customer="sanna",
        channel="chat",
        subject="Housujen vaihto isompaan kokoon",
        language="fi",
        status="pending",
        priority="normal",
        assignee=_FI_MIKKO,
        team=_FI_TEAM_RETURNS,
        labels=("vaihto",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Moi! Tilasin Polku-softshellhousut koossa M (tilaus 10298) mutta ne on ihan "
                    "liian pienet, varsinkin vyötäröltä. Voiko ne vaihtaa L-kokoon?"
                ),
                2890,
            ),
            DemoMessage(
                "reply",
                (
                    "Moi Sanna! Totta kai, vaihto onnistuu. L-kokoa on vielä varastossa, laitan "
                    "yhdet sinulle sivuun."
                ),
                2882,
                _FI_MIKKO,
            ),
            DemoMessage(
                "reply",
                (
                    "Lähetin sähköpostiisi maksuttoman palautuskoodin. Näytä koodi Postin "
                    "pakettiautomaatilla tai palvelupisteessä, niin uudet housut lähtevät heti, "
                    "kun palautus näkyy Postin järjestelmässä."
                ),
                2879,
                _FI_MIKKO,
            ),
            DemoMessage("in", "Super, kiitos! Vien ne huomenna postiin", 2861),
            DemoMessage(
                "reply",
                "Kiitos! Kirjoitan tähän, kun uudet housut ovat matkalla.",
                2857,
                _FI_MIKKO,
            ),
        ),
    ),
    DemoConversation(
        customer="jukka",
        channel="email",
        subject="Reklamaatio: Kaamos-kuoritakin vetoketju rikki",
        language="fi",
        status="pending",
        priority="normal",
        assignee=_FI_JOHANNA,
        team=_FI_TEAM_RETURNS,
        labels=("reklamaatio",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Hei,\n\n"
                    "ostin teiltä Kaamos-kuoritakin syyskuun alussa (tilaus 10087). Nyt vajaan "
                    "kahden kuukauden käytön jälkeen etuvetoketju hajosi: ketju aukeaa liukurin "
                    "takaa heti, kun sen vetää kiinni. Takkia on käytetty ihan normaalisti "
                    "työmatkoilla ja parilla päiväretkellä.\n\n"
                    "Haluaisin tehdä reklamaation. Miten toimin?\n\n"
                    "Terveisin\n"
                    "Jukka Nieminen"
                ),
                4400,
            ),
            DemoMessage(
                "reply",
                (
                    "Hei Jukka,\n\n"
                    "kiitos yhteydenotosta ja pahoittelut vaivasta. Vetoketjun ei tietenkään "
                    "pitäisi hajota kahden kuukauden käytössä, joten käsittelemme asian "
                    "reklamaationa.\n\n"
                    "Voisitko lähettää vastauksena tähän viestiin kuvan vetoketjusta ja takin "
                    "sisällä olevasta tuotelapusta? Kun kuvat ovat tulleet, lähetän sinulle "
                    "maksuttoman palautuskoodin. Jos vetoketjua ei saada korjattua, saat tilalle "
                    "uuden takin tai rahat takaisin, kumman vain haluat.\n\n"
                    "Ystävällisin terveisin\n"
                    "Johanna\n"
                    "Tunturikettu Outdoor"
                ),
                4300,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "note",
                (
                    "Tämä on jo kolmas Kaamos-takki tässä kuussa, jossa sama vika liukurissa. "
                    "Ilmoitin valmistajalle ja kysyin, onko koko erässä vikaa. Jos on, vaihdetaan "
                    "uuteen suoraan ilman korjausyritystä."
                ),
                4285,
                _FI_MIKKO,
            ),
        ),
    ),
    DemoConversation(
        customer="aleksi",
        channel="chat",
        subject="Tilaus 10251 myöhässä, DB Schenker",
        language="fi",
        status="resolved",
        priority="high",
        assignee=_FI_JOHANNA,
        team=_FI_TEAM_SERVICE,
        labels=("toimitus",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Tilasin teltan ja makuupussin 2 viikkoa sitten (tilaus 10251) ja sivuilla "
                    "luki toimitus 2-4 arkipäivää. Mitään ei oo tullut eikä seurantakoodi toimi "
                    "Schenkerin sivuilla. Lähden reissuun ylihuomenna!! Ja sähköpostiin ette oo "
                    "vastanneet ollenkaan. Aika uskomatonta toimintaa."
                ),
                8700,
            ),
            DemoMessage(
                "reply",
                (
                    "Hei Aleksi, olen todella pahoillani. Tämä ei ole sitä palvelua, jota "
                    "haluamme tarjota. Katson tilauksesi heti."
                ),
                8694,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "reply",
                (
                    "Löysin syyn: tilauksesi lähti meiltä ajallaan, mutta DB Schenker on "
                    "kirjannut lähetykseen väärän postinumeron, ja paketti on jäänyt heidän "
                    "Tampereen terminaaliinsa. Sähköpostiisi ei ole vastattu, koska viesti oli "
                    "valitettavasti päätynyt roskapostiin. Pahoittelen tätä todella."
                ),
                8683,
                _FI_JOHANNA,
            ),
            DemoMessage("in", "No hienoa. Ehtiikö se nyt ennen torstaita vai ei?", 8680),
            DemoMessage(
                "reply",
                (
                    "Soitin juuri Schenkerille, ja osoite on nyt korjattu. Paketti on "
                    "noudettavissa huomenna klo 12 jälkeen valitsemassasi noutopisteessä "
                    "Hervannassa. Hyvitämme lisäksi toimituskulut ja lähetämme sinulle 20 euron "
                    "alennuskoodin seuraavaa tilausta varten."
                ),
                8662,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "in",
                (
                    "Okei, kiitos että hoidit asian. Sori että tuli vähän tiuskittua, tää reissu "
                    "on vaan stressannut"
                ),
                8655,
            ),
            DemoMessage(
                "reply",
                (
                    "Ei se mitään, ymmärrän hyvin! Mukavaa reissua, ja kerro ihmeessä, jos jokin "
                    "vielä mättää."
                ),
                8652,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "note",
                (
                    "Hyvitetty toimituskulut 7,90 € ja lähetetty alennuskoodi ANTEEKSI20. Syy "
                    "viivästykseen: Schenker kirjasi väärän postinumeron (33710, oikea 33720). "
                    "Asiakkaan sähköposti oli jäänyt roskapostiin, Mikko tarkistaa suodattimen "
                    "asetukset."
                ),
                8640,
                _FI_JOHANNA,
            ),
        ),
    ),
    DemoConversation(
        customer="anders",
        channel="chat",
        subject="Fråga om Kaamos skaljacka",
        language="sv",
        status="open",
        priority="normal",
        messages=(
            DemoMessage(
                "in",
                (
                    "Hej! Jag funderar på att köpa Kaamos-skaljackan. Hur vattentät är den "
                    "egentligen? Jag paddlar kajak i skärgården och behöver något som klarar "
                    "ordentligt regn."
                ),
                27,
            ),
            DemoMessage(
                "in",
                "Och hur är storlekarna, är de normala? Jag är 184 cm lång och brukar ha L.",
                25,
            ),
        ),
    ),
    DemoConversation(
        customer="ebba",
        channel="email",
        subject="Retur av fleecejacka, order 10220",
        language="sv",
        status="resolved",
        priority="normal",
        assignee=_FI_LINNEA,
        team=_FI_TEAM_RETURNS,
        labels=("palautus",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Hej,\n\n"
                    "jag beställde en Näsi-fleecejacka (order 10220), men jag är inte nöjd med "
                    "färgen, den är mycket gråare än på bilden. Jag skulle vilja returnera jackan "
                    "och få pengarna tillbaka. Den är oanvänd och lappen sitter kvar.\n\n"
                    "Hälsningar\n"
                    "Ebba Sjöberg"
                ),
                14500,
            ),
            DemoMessage(
                "reply",
                (
                    "Hej Ebba,\n\n"
                    "tack för ditt meddelande! Det går bra att returnera jackan, du har 14 dagars "
                    "ångerrätt från det att du fick paketet.\n\n"
                    "Jag har skickat en kostnadsfri returkod till din e-post. Du kan lämna "
                    "paketet i vilken paketautomat som helst eller hos ett Posti-ombud. När vi "
                    "har tagit emot jackan betalar vi tillbaka pengarna till samma betalsätt som "
                    "du använde, vanligtvis inom fem bankdagar.\n\n"
                    "Med vänliga hälsningar\n"
                    "Linnea\n"
                    "Tunturikettu Outdoor"
                ),
                14350,
                _FI_LINNEA,
            ),
            DemoMessage(
                "in",
                (
                    "Hej!\n\n"
                    "Jag lämnade paketet i automaten i Borgå i går. Tack för snabb hjälp!\n\n"
                    "Ebba"
                ),
                11800,
            ),
            DemoMessage(
                "reply",
                (
                    "Hej Ebba,\n\n"
                    "vi har nu tagit emot jackan och betalat tillbaka 89,90 euro till ditt konto. "
                    "Det kan ta ett par dagar innan pengarna syns.\n\n"
                    "Vänliga hälsningar\n"
                    "Linnea\n"
                    "Tunturikettu Outdoor"
                ),
                8900,
                _FI_LINNEA,
            ),
        ),
    ),
    DemoConversation(
        customer="james",
        channel="chat",
        subject="Discount code SYKSY15 not working",
        language="en",
        status="resolved",
        priority="low",
        assignee=_FI_EMILY,
        team=_FI_TEAM_SERVICE,
        labels=("maksu",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Hi, the discount code SYKSY15 doesn't work at checkout. It says the code "
                    "isn't valid for the products in my cart?"
                ),
                20200,
            ),
            DemoMessage(
                "reply",
                (
                    "Hi James! SYKSY15 only applies to full-price items, and the Kaamos jacket in "
                    "your cart is already on sale. The sale price is actually lower than what "
                    "you'd get with the code, so you're already getting the better deal."
                ),
                20192,
                _FI_EMILY,
            ),
            DemoMessage(
                "in",
                "Ah ok, fair enough. Can I pay with Klarna and split it into a few payments?",
                20185,
            ),
            DemoMessage(
                "reply",
                (
                    "Yes, Klarna is available at checkout and you can choose to pay later or in "
                    "instalments. The options and terms are shown in the Klarna window before you "
                    "confirm."
                ),
                20181,
                _FI_EMILY,
            ),
            DemoMessage("in", "Great, order placed. Thanks!", 20170),
        ),
    ),
    DemoConversation(
        customer="james",
        channel="email",
        subject="Shipping to the UK",
        language="en",
        status="pending",
        priority="normal",
        assignee=_FI_EMILY,
        team=_FI_TEAM_SERVICE,
        messages=(
            DemoMessage(
                "in",
                (
                    "Hi,\n\n"
                    "I'm moving back to Manchester at the end of the month and would like to "
                    "order a few things before I go. Do you ship to the UK, and if so, how much "
                    "is it and will I have to pay customs?\n\n"
                    "Cheers,\n"
                    "James"
                ),
                1400,
            ),
            DemoMessage(
                "reply",
                (
                    "Hi James,\n\n"
                    "Thanks for getting in touch! Yes, we ship to the UK with Posti. Delivery "
                    "costs 19.90 EUR and usually takes 5-8 working days.\n\n"
                    "Since the UK is no longer in the EU, we deduct the Finnish VAT (25.5%) from "
                    "your order, but you may have to pay UK import VAT and a handling fee when "
                    "the parcel arrives.\n\n"
                    "Alternatively, if you order before you move, you can have it delivered here "
                    "in Tampere with normal domestic shipping. Which option would you prefer?\n\n"
                    "Best regards,\n"
                    "Emily\n"
                    "Tunturikettu Outdoor"
                ),
                1320,
                _FI_EMILY,
            ),
        ),
    ),
    DemoConversation(
        customer="tiina",
        channel="chat",
        subject="Noutopisteen vaihto, tilaus 10347",
        language="fi",
        status="snoozed",
        priority="normal",
        assignee=_FI_JOHANNA,
        team=_FI_TEAM_SERVICE,
        labels=("toimitus",),
        snoozed_hours=18,
        messages=(
            DemoMessage(
                "in",
                (
                    "Hei! Tein tilauksen eilen illalla (10347) ja huomasin vasta nyt et valitsin "
                    "Matkahuollon noutopisteeksi Lielahden, vaikka piti olla Hervanta. Saako sen "
                    "vielä vaihdettua?"
                ),
                95,
            ),
            DemoMessage(
                "reply",
                (
                    "Hei Tiina! Paketti ehti jo lähteä aamun kuljetuksessa, joten en pysty enää "
                    "muuttamaan sitä järjestelmässämme. Pyydän Matkahuoltoa ohjaamaan sen "
                    "Hervannan noutopisteeseen."
                ),
                89,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "note",
                (
                    "Laitoin Matkahuollon yritysasiakaspalveluun osoitteenmuutospyynnön, "
                    "lähetystunnus MH 8471 2290 5531. Vastaus luvattu huomiseksi, laitoin tiketin "
                    "torkulle siihen asti."
                ),
                84,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "reply",
                (
                    "Tein muutospyynnön, ja Matkahuolto lupasi vastata huomiseen mennessä. "
                    "Ilmoitan sinulle heti, kun tiedän, mihin paketti on menossa. Jos muutos ei "
                    "onnistu, paketti odottaa Lielahdessa 14 päivää."
                ),
                81,
                _FI_JOHANNA,
            ),
            DemoMessage("in", "Ok kiitos!", 78),
        ),
    ),
    DemoConversation(
        customer="petri",
        channel="email",
        subject="Yritystilaus: takit oppaille",
        language="fi",
        status="snoozed",
        priority="normal",
        assignee=_FI_JOHANNA,
        team=_FI_TEAM_B2B,
        labels=("yritysasiakas",),
        snoozed_hours=40,
        messages=(
            DemoMessage(
                "in",
                (
                    "Hei,\n\n"
                    "olemme Näsin Retkipalvelut Oy ja järjestämme opastettuja vaellus- ja "
                    "melontaretkiä Pirkanmaalla. Tarvitsisimme oppaillemme 12 kpl "
                    "Näsi-fleecetakkeja ja 12 kpl Kaamos-kuoritakkeja (koot sekaisin, lista "
                    "liitteenä).\n\n"
                    "Onko teillä yrityshinnoittelua tällaisille määrille? Haluaisimme lisäksi "
                    "maksaa laskulla 14 päivän maksuajalla. Y-tunnuksemme on 3124567-6 ja "
                    "verkkolaskuosoite 003731245676.\n\n"
                    "Ystävällisin terveisin\n"
                    "Petri Hakala\n"
                    "toimitusjohtaja, Näsin Retkipalvelut Oy\n"
                    "+358 40 771 3408"
                ),
                2950,
            ),
            DemoMessage(
                "reply",
                (
                    "Hei Petri,\n\n"
                    "kiitos tiedustelusta, kuulostaa hyvältä! Yli kymmenen kappaleen tilauksissa "
                    "voimme tarjota yritysalennuksen, ja laskutus 14 päivän maksuajalla onnistuu "
                    "verkkolaskuna.\n\n"
                    "Tarkistan vielä valmistajalta, saammeko Kaamos-takkeja kaikkiin listan "
                    "kokoihin ennen kuun loppua, sillä osa koista on tällä hetkellä loppu. "
                    "Lähetän sinulle tarjouksen maanantaina.\n\n"
                    "Ystävällisin terveisin\n"
                    "Johanna\n"
                    "Tunturikettu Outdoor"
                ),
                2700,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "note",
                (
                    "Kysyin valmistajalta Kaamos-takkien saatavuutta, koot M ja XL ovat loppu. "
                    "Tarjoukseen 15 % yritysalennus ja toimitus veloituksetta. Torkulla "
                    "maanantaihin."
                ),
                2690,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "in",
                "Kiitos, jäämme odottamaan tarjousta.\n\nPetri",
                2600,
            ),
        ),
    ),
    DemoConversation(
        customer="riikka",
        channel="chat",
        subject="Peruutettu tilaus 10156 ja MobilePay-palautus",
        language="fi",
        status="closed",
        priority="normal",
        assignee=_FI_MIKKO,
        team=_FI_TEAM_SERVICE,
        labels=("maksu",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Hei, peruin tilauksen 10156 heti tilaamisen jälkeen kun tilasin vahingossa "
                    "väärän värisen repun. Maksoin MobilePaylla, koska saan rahat takaisin?"
                ),
                43300,
            ),
            DemoMessage(
                "reply",
                (
                    "Hei Riikka! Peruutus on nyt käsitelty, ja palautin 139,00 € MobilePayn "
                    "kautta. Rahat näkyvät tililläsi yleensä 1-3 pankkipäivän kuluessa."
                ),
                43291,
                _FI_MIKKO,
            ),
            DemoMessage("in", "Kiitti! Tein jo uuden tilauksen oikealla värillä :)", 43284),
            DemoMessage(
                "reply",
                "Hienoa, se lähtee matkaan vielä tänään. Mukavia retkiä!",
                43280,
                _FI_MIKKO,
            ),
        ),
    ),
    DemoConversation(
        customer="kalle",
        channel="email",
        subject="Kiitos!",
        language="fi",
        status="closed",
        priority="low",
        assignee=_FI_MIKKO,
        messages=(
            DemoMessage(
                "in",
                (
                    "Hei!\n\n"
                    "Halusin vain kiittää. Kysyin teiltä viime kuussa neuvoa talvivaelluksen "
                    "varusteisiin, ja Mikko osasi suositella juuri oikeat jutut. Kävimme viikon "
                    "vaelluksella Kiilopään maastoissa, ja pakkasta oli pahimmillaan 24 astetta, "
                    "mutta makuupussissa tarkeni hyvin ja kengät pysyivät kuivina koko "
                    "reissun.\n\n"
                    "Kiitos hyvästä palvelusta, tilaan teiltä jatkossakin!\n\n"
                    "Kalle Rantanen"
                ),
                38000,
            ),
            DemoMessage(
                "reply",
                (
                    "Hei Kalle,\n\n"
                    "kiitos tosi paljon viestistä, tällaisia on aina ilo lukea! Kiva kuulla, että "
                    "varusteet toimivat Kiilopään pakkasissa. Välitin terveiset myös muulle "
                    "tiimille.\n\n"
                    "Hyviä retkiä jatkossakin!\n\n"
                    "Mikko\n"
                    "Tunturikettu Outdoor"
                ),
                37800,
                _FI_MIKKO,
            ),
        ),
    ),
    DemoConversation(
        customer="hanna",
        channel="chat",
        subject="Maksu veloitettu, tilaus odottaa maksua",
        language="fi",
        status="open",
        priority="high",
        labels=("maksu",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Hei, maksoin tilauksen 10358 verkkopankissa (OP) ja rahat lähti tililtä, "
                    'mutta tilauksen tila on edelleen "odottaa maksua". Onko tilaus nyt mennyt '
                    "läpi vai pitääkö maksaa uudestaan?"
                ),
                8,
            ),
            DemoMessage(
                "in",
                "Sain kyllä kuittauksen OP:lta mutta teiltä ei oo tullut mitään sähköpostia",
                5,
            ),
        ),
    ),
    DemoConversation(
        customer="matti",
        channel="phone",
        subject="Soittopyyntö: makuupussin vaihto ennen lähetystä",
        language="fi",
        status="resolved",
        priority="normal",
        assignee=_FI_JOHANNA,
        team=_FI_TEAM_SERVICE,
        labels=("kanta-asiakas",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Soittopyyntö verkkosivulta: Tilasin eilen makuupussin (tilaus 10241) ja "
                    "haluaisin vaihtaa sen lämpimämpään malliin ennen kuin se lähtee. Soittakaa "
                    "kun ehditte, kiitos. -Matti"
                ),
                21700,
            ),
            DemoMessage(
                "note",
                (
                    "Soitin Matille klo 10.20. Tilauksessa oli Tunturi -5, mutta hän lähtee "
                    "talviretkelle Pallakselle ja tarvitsee lämpimämmän. Vaihdettiin tilalle "
                    "Tunturi -15, hintaero 40,00 € lisätään Klarna-laskulle, Matti hyväksyi. "
                    "Tilaus lähtee tänään."
                ),
                21600,
                _FI_JOHANNA,
            ),
            DemoMessage(
                "reply",
                (
                    "Hei Matti,\n\n"
                    "kiitos puhelusta! Vahvistan vielä, että tilaukseesi 10241 on nyt vaihdettu "
                    "Tunturi -15 -makuupussi ja hintaero 40,00 € lisätään Klarna-laskullesi. "
                    "Tilaus lähtee matkaan vielä tänään.\n\n"
                    "Ystävällisin terveisin\n"
                    "Johanna\n"
                    "Tunturikettu Outdoor"
                ),
                21590,
                _FI_JOHANNA,
            ),
        ),
    ),
    DemoConversation(
        customer="matti",
        channel="chat",
        subject="Nouto varastolta, tilaus 10352",
        language="fi",
        status="open",
        priority="low",
        labels=("kanta-asiakas",),
        messages=(
            DemoMessage(
                "in",
                (
                    "Moi, voiko tilauksen 10352 noutaa suoraan teidän varastolta Hervannasta? "
                    "Asun ihan lähellä"
                ),
                41,
            ),
        ),
    ),
)

_FI_CANNED: tuple[DemoCanned, ...] = (
    DemoCanned(
        shortcut="seuranta",
        title="Tilaus lähetetty, seuranta",
        body=(
            "Hei {{ contact.first_name }}!\n\n"
            "Tilauksesi on lähtenyt varastoltamme. Seurantalinkin löydät "
            "lähetysvahvistuksesta, jonka lähetimme sähköpostiisi. Posti tai Matkahuolto "
            "ilmoittaa sinulle tekstiviestillä tai sähköpostilla, kun paketti on "
            "noudettavissa.\n\n"
            "Toimitus kestää yleensä 1-3 arkipäivää.\n\n"
            "Ystävällisin terveisin\n"
            "{{ agent.name }}\n"
            "Tunturikettu Outdoor"
        ),
    ),
    DemoCanned(
        shortcut="palautus",
        title="Palautusohjeet",
        body=(
            "Hei {{ contact.first_name }}!\n\n"
            "Sinulla on 14 päivää aikaa palauttaa tuotteet siitä, kun olet vastaanottanut "
            "paketin. Palautus on maksuton: täytä palautuslomake osoitteessa "
            "tunturikettu.example/palautus, niin saat palautuskoodin sähköpostiisi. Vie "
            "paketti mihin tahansa Postin pakettiautomaattiin tai palvelupisteeseen.\n\n"
            "Palautamme rahat samalle maksutavalle, kun palautus on saapunut meille. Summa "
            "näkyy tililläsi yleensä viiden pankkipäivän kuluessa.\n\n"
            "Ystävällisin terveisin\n"
            "{{ agent.name }}\n"
            "Tunturikettu Outdoor"
        ),
    ),
    DemoCanned(
        shortcut="reklamaatio",
        title="Reklamaatio vastaanotettu",
        body=(
            "Hei {{ contact.first_name }}!\n\n"
            "Kiitos ilmoituksesta ja pahoittelut, että tuotteessa on ilmennyt vika. Olemme "
            "kirjanneet reklamaatiosi ja käsittelemme sen kolmen arkipäivän kuluessa.\n\n"
            "Jotta asia etenee nopeasti, lähetäthän vastauksena tähän viestiin kuvan viasta "
            "ja tuotteen sisällä olevasta tuotelapusta. Kerro myös tilausnumerosi, jos se ei "
            "vielä ole tiedossamme.\n\n"
            "Ystävällisin terveisin\n"
            "{{ agent.name }}\n"
            "Tunturikettu Outdoor"
        ),
    ),
    DemoCanned(
        shortcut="vaihto",
        title="Koon tai värin vaihto",
        body=(
            "Hei {{ contact.first_name }}!\n\n"
            "Vaihto onnistuu helposti. Lähetimme sähköpostiisi maksuttoman palautuskoodin. "
            "Kun palautus näkyy Postin järjestelmässä, lähetämme uuden koon heti matkaan, "
            "joten sinun ei tarvitse odottaa, että paketti saapuu meille.\n\n"
            "Tuotteen tulee olla käyttämätön, ja tuotelappujen on oltava paikallaan.\n\n"
            "Ystävällisin terveisin\n"
            "{{ agent.name }}\n"
            "Tunturikettu Outdoor"
        ),
    ),
    DemoCanned(
        shortcut="maksutavat",
        title="Maksutavat ja maksun tila",
        body=(
            "Hei {{ contact.first_name }}!\n\n"
            "Verkkokaupassamme voit maksaa verkkopankissa, MobilePaylla, kortilla tai "
            "Klarnalla (lasku tai osamaksu). Jos maksu on jo veloitettu tililtäsi, mutta "
            "tilaus näyttää vielä maksamattomalta, älä maksa uudelleen: tarkistamme maksun "
            "ja päivitämme tilauksen tilan mahdollisimman pian.\n\n"
            "Terveisin\n"
            "{{ agent.name }}"
        ),
    ),
    DemoCanned(
        shortcut="aukioloajat",
        title="Asiakaspalvelun aukioloajat",
        body=(
            "Hei {{ contact.first_name }}! Asiakaspalvelumme palvelee maanantaista "
            "perjantaihin klo 9-17 ja lauantaisin klo 10-14. Voit jättää viestin myös "
            "aukioloaikojen ulkopuolella, niin vastaamme seuraavana arkipäivänä. "
            "Noutovarastomme Hervannassa on avoinna arkisin klo 12-18.\n\n"
            "Terveisin\n"
            "{{ agent.name }}"
        ),
    ),
    DemoCanned(
        shortcut="kiitos",
        title="Kiitos ja lopetus",
        body=(
            "Kiitos {{ contact.first_name }}, että otit yhteyttä! Merkitsen asian nyt "
            "ratkaistuksi. Jos tulee vielä kysyttävää, vastaa vain tähän viestiin, niin "
            "jatketaan siitä.\n\n"
            "Mukavia retkiä!\n"
            "{{ agent.name }}"
        ),
    ),
    DemoCanned(
        shortcut="retur-sv",
        title="Returanvisningar (svenska)",
        body=(
            "Hej {{ contact.first_name }}!\n\n"
            "Du kan returnera varorna inom 14 dagar från att du fick paketet. Fyll i "
            "returblanketten på tunturikettu.example/retur, så får du en kostnadsfri "
            "returkod per e-post. Lämna paketet i valfri paketautomat eller hos ett "
            "Posti-ombud.\n\n"
            "Vi betalar tillbaka pengarna till samma betalsätt när returen har kommit fram "
            "till oss, vanligtvis inom fem bankdagar.\n\n"
            "Vänliga hälsningar\n"
            "{{ agent.name }}\n"
            "Tunturikettu Outdoor"
        ),
    ),
    DemoCanned(
        shortcut="tracking-en",
        title="Order shipped, tracking (English)",
        body=(
            "Hi {{ contact.first_name }},\n\n"
            "Your order has left our warehouse. You'll find the tracking link in the "
            "shipping confirmation email, and Posti or Matkahuolto will let you know by text "
            "message or email when the parcel is ready for pickup. Delivery within Finland "
            "usually takes 1-3 working days.\n\n"
            "Best regards,\n"
            "{{ agent.name }}\n"
            "Tunturikettu Outdoor"
        ),
    ),
    DemoCanned(
        shortcut="returns-en",
        title="Return instructions (English)",
        body=(
            "Hi {{ contact.first_name }},\n\n"
            "You can return any item within 14 days of receiving your parcel. Fill in the "
            "return form at tunturikettu.example/returns and we'll email you a free return "
            "code. You can drop the parcel off at any Posti parcel locker or service "
            "point.\n\n"
            "We refund the purchase to your original payment method as soon as the return "
            "reaches us, usually within five working days.\n\n"
            "Best regards,\n"
            "{{ agent.name }}\n"
            "Tunturikettu Outdoor"
        ),
    ),
)

_FI_PRODUCTS: tuple[DemoProduct, ...] = (
    DemoProduct("TK-KAA-W", "Kaamos-kuoritakki, naisten", 24900, "EUR"),
    DemoProduct("TK-KAA-M", "Kaamos-kuoritakki, miesten", 24900, "EUR"),
    DemoProduct("TK-NAS-FL", "Näsi-fleecetakki", 8990, "EUR"),
    DemoProduct("TK-POL-SS", "Polku-softshellhousut", 10900, "EUR"),
    DemoProduct("TK-PYH-39", "Pyhä-vaelluskengät, vedenpitävät", 17900, "EUR"),
    DemoProduct("TK-MER-AP", "Merinovillainen aluspaita", 6990, "EUR"),
    DemoProduct("TK-MER-SU2", "Merinovillasukat, 2 paria", 2490, "EUR"),
    DemoProduct("TK-TUN-5", "Tunturi -5 -makuupussi", 15900, "EUR"),
    DemoProduct("TK-TUN-15", "Tunturi -15 -makuupussi", 19900, "EUR"),
    DemoProduct("TK-ERA-45", "Erä 45 -vaellusreppu", 13900, "EUR"),
    DemoProduct("TK-LAA-2", "Laavu 2 -kevytteltta", 32900, "EUR"),
    DemoProduct("TK-KIP-RK", "Kipinä-retkikeitin", 4990, "EUR"),
)

FI_STORE: DemoStore = DemoStore(
    slug="tunturikettu",
    name="Tunturikettu Outdoor",
    default_language="fi",
    languages=("fi", "sv", "en"),
    timezone="Europe/Helsinki",
    country="FI",
    reference_prefix="TKO",
    brand_color="#1f5f4a",
    support_email="asiakaspalvelu@tunturikettu.example",
    website="https://tunturikettu.example",
    business_hours={
        "mon": [("09:00", "17:00")],
        "tue": [("09:00", "17:00")],
        "wed": [("09:00", "17:00")],
        "thu": [("09:00", "17:00")],
        "fri": [("09:00", "17:00")],
        "sat": [("10:00", "14:00")],
        "sun": [],
    },
    teams=(_FI_TEAM_SERVICE, _FI_TEAM_RETURNS, _FI_TEAM_B2B),
    labels=(
        ("toimitus", "#1d4ed8"),
        ("palautus", "#b45309"),
        ("reklamaatio", "#b91c1c"),
        ("vaihto", "#0e7490"),
        ("maksu", "#6d28d9"),
        ("yritysasiakas", "#047857"),
        ("kanta-asiakas", "#be185d"),
    ),
    agents=_FI_AGENTS,
    customers=_FI_CUSTOMERS,
    conversations=_FI_CONVERSATIONS,
    canned=_FI_CANNED,
    products=_FI_PRODUCTS,
)
