import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("core", "0003_audit_append_only")]

    operations = [
        migrations.AddField(
            model_name="calendaryear",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(fields=["status", "next_attempt_at"], name="core_delivery_due"),
        ),
    ]
