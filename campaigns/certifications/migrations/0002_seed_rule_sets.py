"""Seed the rule sets in force in 2012–today; the data lives in ``campaigns.certifications.seed``."""

from django.db import migrations

from campaigns.certifications.seed import seed_rule_sets


def seed(apps, schema_editor):
    seed_rule_sets(apps)


class Migration(migrations.Migration):
    dependencies = [("certifications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
