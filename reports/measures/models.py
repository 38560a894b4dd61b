from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.filing.models import ReportSection, split_paragraphs


class Chapter(models.Model):
    """A themed chapter of measures (完善法治建设体制机制), or the single untitled one."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    heading = models.CharField(_("章标题"), max_length=200, blank=True)

    class Meta:
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.heading


class Point(models.Model):
    """A numbered point of a chapter: a short heading and body paragraphs."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    heading = models.CharField(_("要点标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True, help_text=_("每段一行。"))

    class Meta:
        ordering = ["chapter", "position", "pk"]

    def __str__(self) -> str:
        return self.heading

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)


def figure_text(value: Decimal | None) -> str:
    """19.2000 → 19.2, 6230 → 6230 (never 6.23E+3), None → ''."""
    return "" if value is None else format(value.normalize(), "f")


class Indicator(models.Model):
    """A figure a point reports, such as 检查企业 19.2 万家 or 整改率 96.2 %.

    A draft may hold an indicator whose value is still blank; the checks point it out.
    """

    point = models.ForeignKey(Point, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    name = models.CharField(_("指标"), max_length=100, blank=True)
    value = models.DecimalField(_("数值"), max_digits=18, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)

    class Meta:
        ordering = ["point", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.value_text}{self.unit}"

    @property
    def value_text(self) -> str:
        return figure_text(self.value)


class Commitment(models.Model):
    """One of last year's planned tasks, which this year's measures should report on."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="commitments")
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    heading = models.CharField(_("上年度安排"), max_length=200)
    text = models.TextField(_("安排内容"), blank=True)
    done = models.BooleanField(_("已落实"), default=False)
    point = models.ForeignKey(
        Point,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("对应要点"),
    )

    class Meta:
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.heading
