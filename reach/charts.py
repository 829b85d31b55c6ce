"""Charts drawn on the server as SVG (no third-party script): geometry only; the templates
draw them in currentColor and the admin's own colour variables, so they follow its light
and dark themes."""

DAILY_WIDTH, DAILY_HEIGHT, DAILY_AXIS = 720, 180, 20
BAR_WIDTH, BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 560, 18, 6, 140


def daily_chart(days):
    """Vertical bars of views per day, the visitors as a darker inner bar."""
    peak = max([row["views"] for row in days] + [1])
    slot = DAILY_WIDTH / max(len(days), 1)
    plot = DAILY_HEIGHT - DAILY_AXIS
    bars = []
    for number, row in enumerate(days):
        views_h = round(plot * row["views"] / peak, 1)
        visitors_h = round(plot * row["visitors"] / peak, 1)
        bars.append(
            {
                "x": round(number * slot + slot * 0.1, 1),
                "width": round(slot * 0.8, 1),
                "views_y": round(plot - views_h, 1),
                "views_h": views_h,
                "visitors_y": round(plot - visitors_h, 1),
                "visitors_h": visitors_h,
                "row": row,
                "label": row["day"].strftime("%m-%d")
                if number % max(1, len(days) // 8) == 0
                else "",
            }
        )
    return {
        "width": DAILY_WIDTH,
        "height": DAILY_HEIGHT,
        "axis_y": plot,
        "label_y": DAILY_HEIGHT - 4,
        "peak": peak,
        "bars": bars,
    }


def bar_chart(rows, limit=15):
    """Horizontal bars, one per row ({"label", "views"}), longest first."""
    rows = rows[:limit]
    peak = max([row["views"] for row in rows] + [1])
    bars = []
    for number, row in enumerate(rows):
        y = number * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "y": y,
                "text_y": y + BAR_HEIGHT - 4,
                "width": max(1, round(BAR_WIDTH * row["views"] / peak, 1)),
                "value_x": LABEL_WIDTH + 6 + max(1, round(BAR_WIDTH * row["views"] / peak, 1)),
                "label": row["label"],
                "views": row["views"],
            }
        )
    return {
        "width": LABEL_WIDTH + BAR_WIDTH + 80,
        "height": max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP),
        "label_width": LABEL_WIDTH,
        "bars": bars,
    }
