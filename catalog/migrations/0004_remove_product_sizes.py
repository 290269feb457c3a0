from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_sizes_to_variants")]

    operations = [migrations.RemoveField(model_name="product", name="sizes")]
