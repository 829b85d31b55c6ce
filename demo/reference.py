"""Reference tables of the demo newsroom: countries, sources, bylines, liaison stations,
channels, topics and fixed pages. Everything is fictional apart from the public facts about
the 侨音融媒体中心 and its programmes; websites use example.org domains only.
"""

from dataclasses import dataclass, field

# (ISO code, 简体中文, English)
COUNTRIES = [
    ("CN", "中国", "China"),
    ("IT", "意大利", "Italy"),
    ("ES", "西班牙", "Spain"),
    ("FR", "法国", "France"),
    ("PT", "葡萄牙", "Portugal"),
    ("DE", "德国", "Germany"),
    ("AT", "奥地利", "Austria"),
    ("NL", "荷兰", "Netherlands"),
    ("HU", "匈牙利", "Hungary"),
    ("GR", "希腊", "Greece"),
    ("RS", "塞尔维亚", "Serbia"),
    ("GB", "英国", "United Kingdom"),
    ("US", "美国", "United States"),
    ("CA", "加拿大", "Canada"),
    ("BR", "巴西", "Brazil"),
    ("AR", "阿根廷", "Argentina"),
    ("CL", "智利", "Chile"),
    ("PA", "巴拿马", "Panama"),
    ("ZA", "南非", "South Africa"),
    ("NG", "尼日利亚", "Nigeria"),
    ("AU", "澳大利亚", "Australia"),
    ("NZ", "新西兰", "New Zealand"),
    ("JP", "日本", "Japan"),
    ("TH", "泰国", "Thailand"),
    ("MY", "马来西亚", "Malaysia"),
    ("AE", "阿联酋", "United Arab Emirates"),
]

CENTRE = "侨音融媒体中心"


@dataclass(frozen=True)
class SourceSpec:
    key: str
    name: str
    name_en: str
    url: str


SOURCES = {
    "centre": SourceSpec(
        "centre", CENTRE, "Qiaoyin Media Centre", "https://www.qiaoyin.example.org/"
    ),
    "platform": SourceSpec(
        "platform",
        "“侨连天下”云平台",
        "Qiaolian Tianxia platform",
        "https://app.qiaoyin.example.org/",
    ),
    "station": SourceSpec(
        "station",
        "海外联络站供稿",
        "Overseas liaison stations",
        "https://stations.qiaoyin.example.org/",
    ),
    "correspondent": SourceSpec(
        "correspondent",
        "海外传播官供稿",
        "Overseas correspondents",
        "https://www.qiaoyin.example.org/",
    ),
    "video": SourceSpec("video", "侨音视频", "Qiaoyin Video", "https://video.qiaoyin.example.org/"),
}


@dataclass(frozen=True)
class AuthorSpec:
    slug: str
    name: str
    role: str  # Author.Role value
    country: str  # ISO code
    bio: str


STAFF = [
    AuthorSpec(
        "chen-siyuan",
        "陈思远",
        "reporter",
        "CN",
        "侨音融媒体中心记者，长期跑侨乡发展与侨商创业条线。",
    ),
    AuthorSpec(
        "lin-xiaowen",
        "林晓雯",
        "reporter",
        "CN",
        "侨音融媒体中心记者，关注海外华裔青少年与华文教育。",
    ),
    AuthorSpec(
        "ye-mingchuan",
        "叶明川",
        "reporter",
        "CN",
        "侨音融媒体中心记者，负责法治护侨与侨界公益报道。",
    ),
    AuthorSpec(
        "zhou-jiahe", "周嘉禾", "editor", "CN", "侨音融媒体中心值班编辑，负责要闻版面统筹。"
    ),
    AuthorSpec(
        "wang-ruoxi",
        "王若溪",
        "photographer",
        "CN",
        "侨音融媒体中心摄影记者，常年记录侨乡与唐人街的日常。",
    ),
]

CORRESPONDENTS = [
    AuthorSpec(
        "hu-lixin",
        "胡立新",
        "correspondent",
        "IT",
        "海外传播官，旅居米兰二十余年，经营外贸公司之余为家乡读者写稿。",
    ),
    AuthorSpec(
        "zheng-yalin", "郑雅琳", "correspondent", "ES", "海外传播官，马德里一所中文学校的教师。"
    ),
    AuthorSpec(
        "wu-haipeng",
        "吴海鹏",
        "correspondent",
        "FR",
        "海外传播官，巴黎华人社团志愿者，擅长拍摄短视频。",
    ),
    AuthorSpec(
        "pan-xiaolei", "潘晓蕾", "correspondent", "PT", "海外传播官，在里斯本经营一家茶馆。"
    ),
    AuthorSpec(
        "ji-wenbo", "季文博", "correspondent", "DE", "海外传播官，法兰克福的工程师，关注新侨创业。"
    ),
    AuthorSpec(
        "jin-ruonan",
        "金若楠",
        "correspondent",
        "HU",
        "海外传播官，布达佩斯留学生出身，现从事跨境电商。",
    ),
    AuthorSpec(
        "xu-anna", "徐安娜", "correspondent", "BR", "海外传播官，圣保罗侨团青年委员会成员。"
    ),
    AuthorSpec(
        "zhu-zhenyu",
        "朱振宇",
        "correspondent",
        "US",
        "海外传播官，纽约社区报前记者。",
    ),
    AuthorSpec(
        "cai-yiming", "蔡一鸣", "correspondent", "ZA", "海外传播官，在约翰内斯堡从事贸易二十年。"
    ),
    AuthorSpec(
        "huang-zijian", "黄子健", "correspondent", "AU", "海外传播官，悉尼一家华文电台的主持人。"
    ),
    AuthorSpec(
        "liu-jiayin",
        "刘佳音",
        "correspondent",
        "AR",
        "海外传播官，布宜诺斯艾利斯华人超市第二代经营者。",
    ),
    AuthorSpec(
        "ye-siqi", "叶思齐", "correspondent", "NL", "海外传播官，鹿特丹中餐馆主厨，热心侨团事务。"
    ),
]


@dataclass(frozen=True)
class StationSpec:
    """A liaison station; it is also a place where demo stories happen."""

    code: str  # ISO country code
    city: str
    city_en: str
    host: str
    locales: list = field(default_factory=lambda: ["zh-hans"])

    @property
    def name(self):
        return f"{country_name(self.code)}{self.city}华侨华人联络站"

    @property
    def name_en(self):
        return f"{self.city_en} Overseas Chinese Liaison Station"

    @property
    def website(self):
        return f"https://{self.host}.example.org/"

    @property
    def contact(self):
        return f"newsroom@{self.host}.example.org"


STATIONS = [
    StationSpec("IT", "米兰", "Milan", "milano-qiaoyin", ["zh-hans", "it"]),
    StationSpec("ES", "马德里", "Madrid", "madrid-qiaoyin", ["zh-hans", "es"]),
    StationSpec("FR", "巴黎", "Paris", "paris-qiaoyin", ["zh-hans", "fr"]),
    StationSpec("PT", "里斯本", "Lisbon", "lisboa-qiaoyin", ["zh-hans", "pt"]),
    StationSpec("DE", "法兰克福", "Frankfurt", "frankfurt-qiaoyin", ["zh-hans", "de"]),
    StationSpec("HU", "布达佩斯", "Budapest", "budapest-qiaoyin", ["zh-hans", "en"]),
    StationSpec("BR", "圣保罗", "São Paulo", "saopaulo-qiaoyin", ["zh-hans", "pt"]),
    StationSpec("US", "纽约", "New York", "newyork-qiaoyin", ["zh-hans", "zh-hant", "en"]),
    StationSpec("ZA", "约翰内斯堡", "Johannesburg", "joburg-qiaoyin", ["zh-hans", "en"]),
    StationSpec("AU", "悉尼", "Sydney", "sydney-qiaoyin", ["zh-hans", "zh-hant", "en"]),
    StationSpec("IT", "普拉托", "Prato", "prato-qiaoyin", ["zh-hans", "it"]),
    StationSpec("ES", "巴塞罗那", "Barcelona", "barcelona-qiaoyin", ["zh-hans", "es"]),
    StationSpec("NL", "鹿特丹", "Rotterdam", "rotterdam-qiaoyin", ["zh-hans", "en"]),
    StationSpec("AT", "维也纳", "Vienna", "wien-qiaoyin", ["zh-hans", "de"]),
    StationSpec("AR", "布宜诺斯艾利斯", "Buenos Aires", "buenosaires-qiaoyin", ["zh-hans", "es"]),
    StationSpec("GB", "伦敦", "London", "london-qiaoyin", ["zh-hans", "zh-hant", "en"]),
    StationSpec("CA", "多伦多", "Toronto", "toronto-qiaoyin", ["zh-hans", "zh-hant", "en"]),
    StationSpec("GR", "雅典", "Athens", "athens-qiaoyin", ["zh-hans", "en"]),
    StationSpec("JP", "东京", "Tokyo", "tokyo-qiaoyin", ["zh-hans", "zh-hant"]),
    StationSpec("DE", "柏林", "Berlin", "berlin-qiaoyin", ["zh-hans", "de"]),
    StationSpec("RS", "贝尔格莱德", "Belgrade", "beograd-qiaoyin", ["zh-hans", "en"]),
    StationSpec("CL", "圣地亚哥", "Santiago", "santiago-qiaoyin", ["zh-hans", "es"]),
    StationSpec("NZ", "奥克兰", "Auckland", "auckland-qiaoyin", ["zh-hans", "en"]),
    StationSpec("PA", "巴拿马城", "Panama City", "panama-qiaoyin", ["zh-hans", "es"]),
    StationSpec("NG", "拉各斯", "Lagos", "lagos-qiaoyin", ["zh-hans", "en"]),
    StationSpec("US", "旧金山", "San Francisco", "sf-qiaoyin", ["zh-hant", "en"]),
    StationSpec("CA", "温哥华", "Vancouver", "vancouver-qiaoyin", ["zh-hant", "zh-hans", "en"]),
    StationSpec("TH", "曼谷", "Bangkok", "bangkok-qiaoyin", ["zh-hans"]),
    StationSpec("MY", "吉隆坡", "Kuala Lumpur", "kl-qiaoyin", ["zh-hans", "zh-hant", "en"]),
    StationSpec("AE", "迪拜", "Dubai", "dubai-qiaoyin", ["zh-hans", "en"]),
]

# Zhejiang's home towns of overseas Chinese (侨乡), where hometown stories take place.
HOMETOWNS = ["青田", "温州", "文成", "瑞安", "丽水", "义乌", "宁波", "绍兴"]


@dataclass(frozen=True)
class ChannelSpec:
    slug: str
    title: str
    title_en: str
    kind: str  # ChannelPage.Kind value
    intro: str
    intro_en: str


CHANNELS = [
    ChannelSpec(
        "yaowen",
        "要闻",
        "Top stories",
        "news",
        "侨界大事与重要动态。",
        "The main news of the overseas Chinese community.",
    ),
    ChannelSpec(
        "qiaojie",
        "侨界动态",
        "Community",
        "news",
        "海外侨团与侨胞的新鲜事。",
        "What overseas Chinese associations and families are doing.",
    ),
    ChannelSpec(
        "qiaoxiang",
        "侨乡发展",
        "Hometowns",
        "news",
        "侨乡的乡村振兴与共同富裕故事。",
        "Rural revival and shared prosperity in the home towns.",
    ),
    ChannelSpec(
        "chuangye",
        "创业中华",
        "Start-ups",
        "news",
        "侨商与新侨的创新创业。",
        "Enterprise and innovation by overseas Chinese.",
    ),
    ChannelSpec(
        "fazhi",
        "法治护侨",
        "Rights and law",
        "news",
        "维护侨胞合法权益的法治实践。",
        "Protecting the lawful rights of overseas Chinese.",
    ),
    ChannelSpec(
        "qinqing",
        "亲情中华",
        "Roots",
        "news",
        "华裔青少年寻根与中华文化传承。",
        "Young overseas Chinese discover their roots.",
    ),
    ChannelSpec(
        "gongyi",
        "侨爱公益",
        "Charity",
        "news",
        "侨界慈善与志愿服务。",
        "Charity and volunteering by overseas Chinese.",
    ),
    ChannelSpec(
        "lianluozhan",
        "联络站传真",
        "Liaison stations",
        "news",
        "来自30个海外联络站的消息。",
        "News from our 30 overseas liaison stations.",
    ),
    ChannelSpec(
        "tupian",
        "图片",
        "Photos",
        "photo",
        "用镜头记录侨胞生活。",
        "Overseas Chinese life in pictures.",
    ),
    ChannelSpec("shipin", "视频", "Video", "video", "侨音视频作品。", "Videos by Qiaoyin."),
]


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    title: str
    intro: str
    channels: tuple  # articles of these channels are curated into the topic


TOPIC_INDEX = ("topics", "专题", "围绕侨界重点工作策划的系列报道。")

TOPICS = [
    TopicSpec(
        "qinqing-zhonghua",
        "亲情中华·寻根之旅",
        "华裔青少年回到祖籍地，在课堂、村落与老宅里认识自己的来处。",
        ("qinqing",),
    ),
    TopicSpec(
        "chuangye-zhonghua",
        "创业中华·侨界双创",
        "从杭州峰会到海外推介，侨商与新侨把项目带回家乡。",
        ("chuangye",),
    ),
    TopicSpec(
        "tongxin-gongfu",
        "同心共富·侨助乡村",
        "侨团结对帮村、侨助工坊和乡村侨舍，侨的力量走进山区。",
        ("qiaoxiang", "gongyi"),
    ),
    TopicSpec(
        "qiaoyin-yuanyang",
        "侨音远扬·海外联络站",
        "30个海外联络站和海外传播官，讲述身边的中国故事。",
        ("lianluozhan", "yaowen"),
    ),
]

ABOUT_PAGE = {
    "slug": "about",
    "title": "关于我们",
    "intro": "侨音融媒体中心是面向海外侨胞的多语种新闻与传播平台。",
    "paragraphs": [
        "侨音融媒体中心由省侨联与浙江日报集团联合组建，编辑部设在杭州，以中文为工作语言，"
        "同时提供繁体中文、英文和多种欧洲语言版本。",
        "我们的“侨连天下”云平台服务全球近百万用户；在五大洲设立的30个海外联络站与一批"
        "“海外传播官”，把侨胞身边的新鲜事及时送回编辑部，也把家乡的变化带给海外读者。",
        "本站所有稿件经编辑审核后发布，如有差错，我们会在文末注明更正记录。",
    ],
    "facts": ("侨音一览", ["“侨连天下”云平台用户近100万", "海外联络站30个", "八个语种版本"]),
    "en": {
        "title": "About us",
        "intro": "Qiaoyin is a multilingual newsroom for overseas Chinese communities.",
        "paragraphs": [
            "The Qiaoyin Media Centre was founded by the provincial federation of returned "
            "overseas Chinese and the Zhejiang Daily group. Its newsroom in Hangzhou works in "
            "Chinese and publishes in Traditional Chinese, English and several European "
            "languages.",
            "Our Qiaolian Tianxia platform serves close to one million users. Thirty liaison "
            "stations and a network of overseas correspondents send us the news of their "
            "communities and carry news from the home towns back to readers abroad.",
            "Every story is reviewed by an editor before it is published. When we get "
            "something wrong, we say so in a correction at the end of the article.",
        ],
        "facts": (
            "Qiaoyin at a glance",
            ["Close to one million platform users", "30 liaison stations", "Eight languages"],
        ),
    },
}

CONTACT_PAGE = {
    "slug": "contact",
    "title": "联系我们",
    "intro": "欢迎海外侨团、联络站和读者与编辑部联系。",
    "paragraphs": [
        "新闻线索与投稿：newsroom@qiaoyin.example.org",
        "联络站合作与技术接入：stations@qiaoyin.example.org",
        "更正与读者来信：corrections@qiaoyin.example.org",
    ],
    "facts": (
        "编辑部",
        ["地址：浙江省杭州市（示例地址）", "值班时间：每日8:00至23:00（北京时间）"],
    ),
    "en": {
        "title": "Contact us",
        "intro": "Associations, liaison stations and readers are welcome to write to us.",
        "paragraphs": [
            "News tips and contributions: newsroom@qiaoyin.example.org",
            "Liaison station partnerships and technical set-up: stations@qiaoyin.example.org",
            "Corrections and letters: corrections@qiaoyin.example.org",
        ],
        "facts": (
            "Newsroom",
            ["Hangzhou, Zhejiang (example address)", "Staffed 8:00–23:00 Beijing time"],
        ),
    },
}

COPYRIGHT_PAGE = {
    "slug": "copyright",
    "title": "版权声明",
    "intro": "本站刊发的文字、图片和音视频，版权归侨音融媒体中心或原作者所有。",
    "paragraphs": [
        "海外联络站按合作协议转载本站稿件，须注明来源“侨音”并保留作者署名。",
        "其他媒体和个人转载、摘编，请先与编辑部联系取得授权：rights@qiaoyin.example.org",
        "读者分享文章链接不受限制，欢迎转发。",
    ],
    "facts": ("转载须知", ["注明来源“侨音”", "保留作者与摄影署名", "不得歪曲原意"]),
    "en": {
        "title": "Copyright",
        "intro": "Texts, photos, audio and video on this site belong to the Qiaoyin Media "
        "Centre or their authors.",
        "paragraphs": [
            "Liaison stations republish our stories under their agreements, crediting "
            "Qiaoyin and keeping the author's byline.",
            "Other media and individuals ask the newsroom for permission first: "
            "rights@qiaoyin.example.org",
            "Sharing links to our articles needs no permission.",
        ],
        "facts": (
            "When republishing",
            ["Credit Qiaoyin", "Keep the author's and photographer's credits", "Do not alter"],
        ),
    },
}
# The fixed pages the site's footer links to, in this order (website/article_extras.py).
FOOTER_PAGES = (ABOUT_PAGE, CONTACT_PAGE, COPYRIGHT_PAGE)


def country_name(code):
    return next(zh for iso, zh, _en in COUNTRIES if iso == code)


def country_name_en(code):
    return next(en for iso, _zh, en in COUNTRIES if iso == code)
