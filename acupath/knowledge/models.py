"""Reference data loaded from the versioned files in data/; keyed by natural codes."""

from django.db import models

from acupath.knowledge import labels


class Channel(models.Model):
    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=60)
    pinyin = models.CharField(max_length=80)
    chinese = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    point_count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Acupoint(models.Model):
    code = models.CharField(max_length=12, unique=True)  # WHO form: BL23, EX-B2
    channel = models.ForeignKey(Channel, null=True, on_delete=models.PROTECT, related_name="points")
    number = models.PositiveSmallIntegerField()
    position = models.PositiveIntegerField()  # global display order
    pinyin = models.CharField(max_length=60)
    pinyin_plain = models.CharField(max_length=60)  # without tone marks, for search
    chinese = models.CharField(max_length=20)
    english = models.CharField(max_length=120)
    region = models.CharField(max_length=20)
    location = models.TextField()
    depth_min_cm = models.FloatField(null=True)
    depth_max_cm = models.FloatField(null=True)
    angle = models.CharField(max_length=16, blank=True)
    max_safe_depth_cm = models.FloatField(null=True)
    cautions = models.JSONField(default=list)
    tags = models.JSONField(default=list)
    aliases = models.JSONField(default=list)
    # Deactivated, never deleted, when a data release drops a point: records cite codes.
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.code} {self.pinyin_plain}"

    @property
    def region_label(self) -> str:
        return labels.REGIONS.get(self.region, self.region)

    @property
    def caution_labels(self) -> list[str]:
        return [labels.CAUTIONS.get(c, c) for c in self.cautions]

    @property
    def tag_labels(self) -> list[str]:
        return [labels.TAGS.get(t, t) for t in self.tags]
