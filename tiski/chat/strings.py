"""The words of the chat widget, in the visitor's language.

Sent with the session rather than built into widget.js: one catalogue (Django's) for
everything customers read, and the script stays small.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# The widget offers at most this many help center articles while a question is typed.
SUGGESTIONS = 3

WIDGET_STRINGS = {
    "title": _("Customer service"),
    "open": _("Open the chat"),
    "close": _("Close the chat"),
    "greeting": _("Hi! How can we help you?"),
    "placeholder": _("Write a message…"),
    "send": _("Send"),
    "attach": _("Attach a picture or a PDF"),
    "typing": _("%(name)s is typing…"),
    "agent": _("Customer service"),
    "you": _("You"),
    "sending": _("Sending…"),
    "sent": _("Sent"),
    "read": _("Read"),
    "failed": _("Not sent. Tap to try again."),
    "new_message": _("New message"),
    "offline_title": _("We are not available right now"),
    "offline_opens": _("We are back: %(when)s"),
    "offline_email": _("Leave your email address and we will answer by email."),
    "email_placeholder": _("Your email address"),
    "email_save": _("Save"),
    "email_saved": _("Thank you! We will answer to %(email)s."),
    "prechat_intro": _("Before we start, tell us a little about your question."),
    "name": _("Name"),
    "email": _("Email"),
    "topic": _("Topic"),
    "start": _("Start the chat"),
    "required": _("Required"),
    "too_long": _("The message is too long."),
    "too_many": _("You are sending messages very fast. Wait a moment."),
    "bad_file": _("Only pictures (PNG, JPEG, GIF, WebP) and PDF files up to 10 MB can be sent."),
    "error": _("Something went wrong. Try again."),
    "reconnecting": _("Reconnecting…"),
    "help_center": _("Help center"),
    "return_items": _("Return items"),
    "suggest_title": _("These articles might help:"),
    "suggest_hide": _("Hide the suggested articles"),
}


# The order status panel. Written here in each language, as a native speaker would say
# it, rather than as msgids for the catalogue: they shipped before the catalogues had
# them. "%(date)s" and "%(amount)s" come from the desk, already in the visitor's language.
ORDER_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "order_status": "Order status",
        "order_intro": "Enter your order number and the email address you ordered with.",
        "order_number": "Order number",
        "order_email": "Email address",
        "order_find": "Show the status",
        "order_wait": "Looking it up…",
        "order_mine": "Your latest orders",
        "order_no_orders": "We found no orders on your account. You can also look one up "
        "by its number.",
        "order_not_found": "We could not find an order with that number and email address. "
        "Check both and try again.",
        "order_invalid": "Enter the order number and a valid email address.",
        "order_limited": "Too many attempts. Wait 15 minutes and try again.",
        "order_placed": "Placed %(date)s",
        "order_total": "Total %(amount)s",
        "order_expected": "Expected %(date)s",
        "order_delivered": "Delivered %(date)s",
        "order_track": "Track the parcel",
        "order_open": "See the order in the shop",
        "order_back": "Back to the chat",
    },
    "fi": {
        "order_status": "Tilauksen tila",
        "order_intro": "Kirjoita tilausnumero ja sähköpostiosoite, jolla tilasit.",
        "order_number": "Tilausnumero",
        "order_email": "Sähköpostiosoite",
        "order_find": "Näytä tila",
        "order_wait": "Haetaan…",
        "order_mine": "Viimeisimmät tilauksesi",
        "order_no_orders": "Tililtäsi ei löytynyt tilauksia. Voit hakea tilausta myös "
        "tilausnumerolla.",
        "order_not_found": "Emme löytäneet tilausta tällä numerolla ja sähköpostiosoitteella. "
        "Tarkista molemmat ja yritä uudelleen.",
        "order_invalid": "Kirjoita tilausnumero ja kelvollinen sähköpostiosoite.",
        "order_limited": "Liian monta yritystä. Odota 15 minuuttia ja yritä uudelleen.",
        "order_placed": "Tilattu %(date)s",
        "order_total": "Yhteensä %(amount)s",
        "order_expected": "Arvioitu toimitus %(date)s",
        "order_delivered": "Toimitettu %(date)s",
        "order_track": "Seuraa pakettia",
        "order_open": "Katso tilaus verkkokaupassa",
        "order_back": "Takaisin chattiin",
    },
    "sv": {
        "order_status": "Orderstatus",
        "order_intro": "Ange ordernumret och e-postadressen du beställde med.",
        "order_number": "Ordernummer",
        "order_email": "E-postadress",
        "order_find": "Visa status",
        "order_wait": "Söker…",
        "order_mine": "Dina senaste beställningar",
        "order_no_orders": "Vi hittade inga beställningar på ditt konto. Du kan också söka "
        "på ordernummer.",
        "order_not_found": "Vi hittade ingen beställning med det numret och den "
        "e-postadressen. Kontrollera båda och försök igen.",
        "order_invalid": "Ange ordernumret och en giltig e-postadress.",
        "order_limited": "För många försök. Vänta 15 minuter och försök igen.",
        "order_placed": "Beställd %(date)s",
        "order_total": "Totalt %(amount)s",
        "order_expected": "Beräknad leverans %(date)s",
        "order_delivered": "Levererad %(date)s",
        "order_track": "Spåra paketet",
        "order_open": "Se beställningen i butiken",
        "order_back": "Tillbaka till chatten",
    },
    "pl": {
        "order_status": "Status zamówienia",
        "order_intro": "Podaj numer zamówienia i adres e-mail, którego użyto przy zamówieniu.",
        "order_number": "Numer zamówienia",
        "order_email": "Adres e-mail",
        "order_find": "Pokaż status",
        "order_wait": "Szukamy…",
        "order_mine": "Twoje ostatnie zamówienia",
        "order_no_orders": "Nie znaleźliśmy zamówień na Twoim koncie. Możesz też wyszukać "
        "zamówienie po numerze.",
        "order_not_found": "Nie znaleźliśmy zamówienia o tym numerze i adresie e-mail. "
        "Sprawdź oba i spróbuj ponownie.",
        "order_invalid": "Podaj numer zamówienia i poprawny adres e-mail.",
        "order_limited": "Zbyt wiele prób. Odczekaj 15 minut i spróbuj ponownie.",
        "order_placed": "Złożono %(date)s",
        "order_total": "Razem %(amount)s",
        "order_expected": "Przewidywana dostawa %(date)s",
        "order_delivered": "Doręczono %(date)s",
        "order_track": "Śledź przesyłkę",
        "order_open": "Zobacz zamówienie w sklepie",
        "order_back": "Wróć do czatu",
    },
}


def widget_strings(language: str) -> dict[str, str]:
    with translation.override(language):
        strings = {key: str(text) for key, text in WIDGET_STRINGS.items()}
        # Announced to screen readers when suggestions appear; one string per count, so
        # every language gets its own plural forms without plural rules in the script.
        for count in range(1, SUGGESTIONS + 1):
            strings[f"suggest_{count}"] = ngettext(
                "%(count)s article might help", "%(count)s articles might help", count
            ) % {"count": count}
    return strings | ORDER_STRINGS.get(language, ORDER_STRINGS["en"])
