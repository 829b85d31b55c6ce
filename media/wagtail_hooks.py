from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .publishing import SCHEDULE_REFUSED_ACTION, image_titles, missing_alt_text_refusal


@hooks.register("register_log_actions")
def register_publishing_log_actions(actions):
    @actions.register_action(SCHEDULE_REFUSED_ACTION)
    class ScheduleRefusedFormatter(LogFormatter):
        label = _("Scheduled publishing refused")

        def format_message(self, log_entry):
            return _(
                "Not published at its scheduled time: add alt text to these images (in "
                "Images, or in the article's image block); it goes live at the next check "
                "after that: %(images)s"
            ) % {"images": image_titles(log_entry.data.get("images", []))}


# Alt text on every photo before an article goes live, on every publishing path.
hooks.register("refuse_publishing", missing_alt_text_refusal)
