from django.db import migrations

from tiski.core.toast import lz4_columns


class Migration(migrations.Migration):
    dependencies = [("mail", "0002_mailbox")]

    operations = [lz4_columns("mail.RawMail", ["source"])]
