from django.db import migrations

from tiski.core.toast import lz4_columns


class Migration(migrations.Migration):
    dependencies = [("conversations", "0005_cc_addresses_and_automatic_messages")]

    operations = [
        lz4_columns("conversations.Message", ["body_text", "body_html"]),
        lz4_columns("conversations.ConversationEvent", ["payload"]),
    ]
