"""Signals of the newsroom that apps above cms hook into (they may not be imported here)."""

from django.dispatch import Signal

# Sent by setup_newsroom once the locales, home pages and groups exist, with
# groups={"chief": Group, "editors": Group, "translators": Group}: apps above cms grant their
# own permissions to the newsroom's roles here (e.g. reach: the 传播效果 report to 总编辑).
newsroom_set_up = Signal()
