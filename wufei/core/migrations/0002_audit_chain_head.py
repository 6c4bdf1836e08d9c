"""The audit chain starts at genesis: one head row at sequence 0."""

from django.db import migrations

GENESIS = "0" * 64


def create_head(apps, schema_editor):
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    AuditEvent = apps.get_model("core", "AuditEvent")
    last = AuditEvent.objects.order_by("-sequence").first()
    AuditChainHead.objects.get_or_create(
        pk=1,
        defaults={
            "sequence": last.sequence if last else 0,
            "entry_hash": last.entry_hash if last else GENESIS,
        },
    )


def remove_head(apps, schema_editor):
    apps.get_model("core", "AuditChainHead").objects.filter(pk=1).delete()


class Migration(migrations.Migration):

    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_head, remove_head)]
