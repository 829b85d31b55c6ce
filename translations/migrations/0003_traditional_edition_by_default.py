"""Every channel publishes its zh-hant edition unless its editors turn that off: the new
default, and an entry with it for each Simplified channel that had none (which meant "off")."""

from django.conf import settings
from django.db import migrations, models


def add_default_entries(apps, schema_editor):
    ChannelPage = apps.get_model("cms", "ChannelPage")
    ChannelTranslationSettings = apps.get_model("translations", "ChannelTranslationSettings")
    channels = ChannelPage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE, translation_settings__isnull=True
    )
    ChannelTranslationSettings.objects.bulk_create(
        ChannelTranslationSettings(channel=channel, traditional_edition="publish")
        for channel in channels
    )


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0002_english_verbose_names"),
        ("cms", "0004_article_date_published_index"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="channeltranslationsettings",
            name="traditional_edition",
            field=models.CharField(
                choices=[
                    ("off", "Not automatic"),
                    ("draft", "Draft, wait for review"),
                    ("publish", "Create and publish"),
                ],
                default="publish",
                help_text=(
                    "OpenCC converts each Simplified article when it is published or "
                    "corrected; the Traditional edition is taken down with the original."
                ),
                max_length=10,
                verbose_name="Traditional Chinese edition",
            ),
        ),
        migrations.RunPython(add_default_entries, migrations.RunPython.noop),
    ]
