from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from tiski.core.toast import lz4_columns


def move_sources(apps: Any, schema_editor: Any) -> None:
    """Every stored source into its own row, in one statement."""
    quote = schema_editor.connection.ops.quote_name
    raw = apps.get_model("mail", "RawMail")._meta.db_table
    source = apps.get_model("mail", "RawMailSource")._meta.db_table
    schema_editor.execute(
        f"INSERT INTO {quote(source)} ({quote('raw_id')}, {quote('data')}) "  # noqa: S608 (names come from the models)
        f"SELECT {quote('id')}, {quote('source')} FROM {quote(raw)}"
    )


class Migration(migrations.Migration):
    dependencies = [("mail", "0003_lz4_source")]

    operations = [
        migrations.CreateModel(
            name="RawMailSource",
            fields=[
                (
                    "raw",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stored_source",
                        serialize=False,
                        to="mail.rawmail",
                    ),
                ),
                ("data", models.BinaryField()),
            ],
            options={
                "verbose_name": "raw mail source",
                "verbose_name_plural": "raw mail sources",
            },
        ),
        lz4_columns("mail.RawMailSource", ["data"]),
        migrations.RunPython(move_sources, migrations.RunPython.noop),
        migrations.RemoveField(model_name="rawmail", name="source"),
    ]
