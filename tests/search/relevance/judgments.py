"""Judged queries over the demo corpus (demo/stories.py, `load_demo --articles 40`).

Each query names the articles that answer it, by story key ("online-mediation": both demo
articles of that story) or by story and city ("online-mediation@维也纳": the one placed in
Vienna), with a grade: 3 the very article asked for, 2 an article that answers the query,
1 a related one worth listing. Written as readers type: words, natural-language questions,
Traditional script, single characters, Chinese with Latin letters, typos and other words for
the same thing. Judged from the stories' text, not from any engine's output.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Judged:
    text: str
    kind: str  # word | question | traditional | single | mixed | typo or synonym
    relevant: dict = field(default_factory=dict)  # "story-key" or "story-key@city" → grade
    locale: str = "zh-hans"


def q(text, kind, locale="zh-hans", **grades):
    return Judged(text, kind, {key.replace("_", "-"): g for key, g in grades.items()}, locale)


def at(text, kind, grades, locale="zh-hans"):
    """For judgments naming a city (not a Python identifier)."""
    return Judged(text, kind, grades, locale)


QUERIES = [
    # --- words and names --------------------------------------------------------------
    q("侨连天下", "word", city_channel=2, correspondent_day=1, classroom_photos=1),
    q("联欢会", "word", community_gala=2),
    q("路演", "word", summit_roadshow=2),
    q("寻根之旅", "word", roots_camp=2),
    q("开放日", "word", open_day=2),
    q("侨助工坊", "word", workshop=2),
    q("云调解", "word", online_mediation=2),
    q("唐人街", "word", chinatown_photos=2),
    q("捐资助学", "word", school_donation=2),
    q("海外传播官", "word", correspondent_day=2, correspondent_training=2),
    q("华侨网络学院", "word", online_school=2),
    q("跨境电商", "word", ecommerce_class=2, summit_roadshow=1),
    q("浙菜", "word", zhejiang_cuisine=2),
    q("媒体合作", "word", media_partnership=2),
    q("乡村侨舍", "word", village_guesthouse=2, workshop=1),
    q("法律咨询", "word", lawyers_pairing=2),
    q("周末中文课", "word", classroom_photos=2, online_school=1),
    q("救援队", "word", rescue_team=2),
    q("家乡菜 视频", "word", cooking_video=2),
    q("留守妇女", "word", workshop=2),
    q("西湖醋鱼", "word", zhejiang_cuisine=2),
    q("心肺复苏", "word", rescue_team=2),
    at("米兰 频道", "word", {"city-channel@米兰": 3, "city-channel": 1}),
    at("马德里 浙菜", "word", {"zhejiang-cuisine@马德里": 3, "zhejiang-cuisine": 1}),
    at("巴西 侨商", "word", {"workshop@圣保罗": 3, "workshop": 1}),
    at("奥地利 继承纠纷", "word", {"online-mediation@维也纳": 3, "online-mediation": 1}),
    at("纽约 救援队", "word", {"rescue-team@纽约": 3, "rescue-team": 1}),
    at("迪拜 开放日", "word", {"open-day@迪拜": 3, "open-day": 1}),
    at("东京 中文学校", "word", {"online-school@东京": 3, "online-school": 1}),
    at("悉尼 联络站", "word", {"media-partnership@悉尼": 3, "open-day": 1}),
    at("布宜诺斯艾利斯 路演", "word", {"summit-roadshow@布宜诺斯艾利斯": 3}),
    at("温哥华 助学", "word", {"school-donation@温哥华": 3, "school-donation": 1}),
    q("Qiaolian Tianxia channel", "word", "en", city_channel=2),
    q("Buenos Aires roadshow", "word", "en", summit_roadshow=2),
    # --- natural-language questions ---------------------------------------------------
    q("涉侨纠纷怎么调解", "question", online_mediation=2, lawyers_pairing=1),
    q("海外侨胞如何参加云调解", "question", online_mediation=2),
    q("侨联有多少调解组织", "question", online_mediation=2),
    q("侨商投资乡村振兴的成果", "question", workshop=2, village_guesthouse=1),
    q("华裔青少年怎样参加寻根之旅", "question", roots_camp=2),
    q("海外中文学校如何开设网络课程", "question", online_school=2),
    q("怎么成为海外传播官", "question", correspondent_training=2, correspondent_day=1),
    q("海外传播官每天都做些什么", "question", correspondent_day=2, correspondent_training=1),
    q("侨团为什么要组建救援队", "question", rescue_team=2),
    q("在海外哪里可以吃到正宗的浙菜", "question", zhejiang_cuisine=2),
    q("侨胞回乡开民宿有什么收益", "question", village_guesthouse=2),
    q("侨助工坊能带动多少村民就业", "question", workshop=2),
    q("联络站开放日有哪些活动", "question", open_day=2),
    q("侨胞遇到租赁纠纷去哪里咨询律师", "question", lawyers_pairing=2),
    q("创业中华峰会在哪里举办", "question", summit_roadshow=2),
    q("侨界青年如何学习直播带货", "question", ecommerce_class=2),
    q("唐人街的早上是什么样子", "question", chinatown_photos=2),
    q("侨胞捐款帮助了哪些山区学校", "question", school_donation=2),
    q("华侨华人联欢会上有哪些节目", "question", community_gala=2),
    q("侨音的稿件怎样在当地媒体刊发", "question", media_partnership=2),
    q("海外侨胞怎么收看家乡新闻", "question", city_channel=2),
    q("华裔孩子周末在中文学校学什么", "question", classroom_photos=2, online_school=1),
    at("维也纳的侨胞学做什么菜", "question", {"cooking-video@维也纳": 3, "cooking-video": 2}),
    q("how do overseas Chinese start-ups find partners", "question", "en", summit_roadshow=2),
    q("what is the online academy for Chinese schools", "question", "en", online_school=2),
    q("who pays for the new classrooms in Qingtian", "question", "en", school_donation=2),
    # --- Traditional script -----------------------------------------------------------
    q("鄉村僑舍", "traditional", village_guesthouse=2, workshop=1),
    q("華僑網絡學院", "traditional", online_school=2),
    q("尋根之旅", "traditional", roots_camp=2),
    q("跨境電商培訓班", "traditional", ecommerce_class=2),
    q("雲調解 繼承糾紛", "traditional", online_mediation=2),
    q("唐人街圖集", "traditional", chinatown_photos=2),
    q("海外傳播官培訓", "traditional", correspondent_training=2, correspondent_day=1),
    q("僑助工坊", "traditional", workshop=2),
    q("志願救援隊", "traditional", rescue_team=2),
    q("浙菜海外體驗店", "traditional", zhejiang_cuisine=2),
    q("律師團結對僑團", "traditional", lawyers_pairing=2),
    q("如何通過雲調解化解涉僑糾紛", "traditional", online_mediation=2, lawyers_pairing=1),
    q("僑胞學做家鄉菜", "traditional", cooking_video=2),
    q("僑連天下 頻道", "traditional", "zh-hant", city_channel=2),
    q("聯絡站開放日", "traditional", "zh-hant", open_day=2),
    q("捐資助學", "traditional", "zh-hant", school_donation=2),
    q("跨境電商", "traditional", "zh-hant", ecommerce_class=2),
    q("法律諮詢", "traditional", "zh-hant", lawyers_pairing=2),
    # --- single characters ------------------------------------------------------------
    q("舍", "single", village_guesthouse=2),
    q("饺", "single", classroom_photos=2),
    q("醋", "single", zhejiang_cuisine=2),
    q("狮", "single", community_gala=2),
    q("律", "single", lawyers_pairing=2, online_mediation=1),
    q("营", "single", roots_camp=2),
    q("灾", "single", rescue_team=2),
    q("菜", "single", zhejiang_cuisine=2, cooking_video=2),
    # --- Chinese with Latin letters ----------------------------------------------------
    q("APEC 峰会", "mixed", summit_roadshow=2),
    q("AI 创业项目路演", "mixed", summit_roadshow=2),
    q("VR 唐人街", "mixed", chinatown_photos=2),
    q("App 侨连天下频道", "mixed", city_channel=2),
    q("DIY 包饺子", "mixed", classroom_photos=2),
    q("Vlog 海外传播官", "mixed", correspondent_day=2, correspondent_training=1),
    q("CEO 侨商订单", "mixed", workshop=2),
    # --- typos ------------------------------------------------------------------------
    q("乡村侨社", "typo or synonym", village_guesthouse=2),
    q("寻跟之旅", "typo or synonym", roots_camp=2),
    q("跨境店商培训", "typo or synonym", ecommerce_class=2),
    q("云调节 继承", "typo or synonym", online_mediation=2),
    q("唐人节 图集", "typo or synonym", chinatown_photos=2),
    q("连欢会 侨胞", "typo or synonym", community_gala=2),
    q("志愿就援队", "typo or synonym", rescue_team=2),
    q("侨助工房", "typo or synonym", workshop=2),
    q("浙菜体验点", "typo or synonym", zhejiang_cuisine=2),
    q("律师团节对", "typo or synonym", lawyers_pairing=2),
    # --- other words for the same thing -------------------------------------------------
    q("华侨 民宿", "typo or synonym", village_guesthouse=2),
    q("网课 中文学校", "typo or synonym", online_school=2),
    q("免费法律援助 侨胞", "typo or synonym", lawyers_pairing=2),
    q("海外中餐馆 挂牌", "typo or synonym", zhejiang_cuisine=2),
]
