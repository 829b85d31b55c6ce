"""The demo articles: twenty story templates written by the Qiaoyin team, each placed in a
city of a liaison station. Article number `i` takes story `i % 20` and a different station
each round, so `--articles N` always yields the same N articles, in the same order.

Slots filled per article: {city} {country} {station} {hometown} {people} {count}, and in
English text {city_en} {country_en} {station_en} {hometown_en}.
"""

from dataclasses import dataclass
from datetime import timedelta

from .reference import HOMETOWNS, STATIONS, country_name, country_name_en

HOMETOWNS_EN = {
    "青田": "Qingtian",
    "温州": "Wenzhou",
    "文成": "Wencheng",
    "瑞安": "Rui'an",
    "丽水": "Lishui",
    "义乌": "Yiwu",
    "宁波": "Ningbo",
    "绍兴": "Shaoxing",
}

FACT_PLATFORM = (
    "关于侨音融媒体中心",
    [
        "由省侨联与浙江日报集团联合组建",
        "“侨连天下”云平台全球用户近100万",
        "在海外设立30个联络站",
        "“海外传播官”分布五大洲",
    ],
)
FACT_PLATFORM_EN = (
    "About Qiaoyin",
    [
        "Founded by the provincial federation of returned overseas Chinese and Zhejiang Daily",
        "Close to one million users on the Qiaolian Tianxia platform",
        "30 overseas liaison stations",
        "Overseas correspondents on five continents",
    ],
)
FACT_CHUANGYE = (
    "“创业中华”峰会",
    ["在杭州连续举办12年", "累计签约项目600余个", "品牌活动覆盖全省11个设区市"],
)
FACT_CHUANGYE_EN = (
    "The Chuangye Zhonghua summit",
    [
        "Held in Hangzhou for 12 years in a row",
        "More than 600 projects signed",
        "Events in all 11 cities of Zhejiang",
    ],
)
FACT_GONGFU = (
    "侨助共富数字",
    [
        "“千个侨团（企）帮千村”累计结对765个，到位资金28亿元",
        "“侨助工坊”覆盖山区26县，带动就业1.9万人",
        "“乡村侨舍”累计建成238家",
    ],
)
FACT_GONGFU_EN = (
    "Overseas Chinese and rural revival",
    [
        "765 pairings between associations or firms and villages, 2.8 billion yuan invested",
        "Workshops in all 26 mountain counties, 19,000 jobs",
        "238 guesthouses opened by returning families",
    ],
)
FACT_FAZHI = (
    "涉侨纠纷多元化解",
    [
        "51个市、县侨联与法院、检察院建立合作机制",
        "58个调解组织、178名调解员入驻法院调解平台",
        "侨联法顾委基层工作站13个，覆盖全部设区市",
    ],
)
FACT_QINQING = (
    "“亲情中华”",
    [
        "“为你讲故事”网上营共办27期",
        "37个国家和地区的2.5万余名华裔青少年参加",
        "华侨网络学院开课90余门，在线观看300余万人次",
    ],
)
FACT_QINQING_EN = (
    "Roots programmes",
    [
        "27 online storytelling camps",
        "More than 25,000 young people from 37 countries and regions took part",
        "Over 90 online courses watched more than 3 million times",
    ],
)
FACT_GONGYI = (
    "侨界公益",
    [
        "侨缘会累计收到爱心捐款7336.7万元",
        "公羊会累计执行救援任务289次，救援7898人",
        "锦麟公益基金会服务城乡儿童超过11万名",
    ],
)
FACT_GONGYI_EN = (
    "Overseas Chinese charity",
    [
        "73.367 million yuan donated through the Qiaoyuan association",
        "289 rescue missions and 7,898 people rescued by the Gongyang volunteers",
        "More than 110,000 children served by the Jinlin foundation",
    ],
)
FACT_ZHONGCAN = (
    "海外中餐提升",
    [
        "已举办海外中餐烹饪技能培训班15期",
        "85个国家和地区的近千名从业者参训",
        "挂牌“中国浙菜海外体验店”14家",
    ],
)
FACT_STATIONS = (
    "海外联络站",
    ["全球共30个", "分布欧洲、美洲、非洲、大洋洲和亚洲", "与侨音编辑部每日连线"],
)
FACT_STATIONS_EN = (
    "Liaison stations",
    [
        "30 stations worldwide",
        "In Europe, the Americas, Africa, Oceania and Asia",
        "In touch with the Qiaoyin newsroom every day",
    ],
)


@dataclass(frozen=True)
class Story:
    key: str
    channel: str
    kicker: str
    title: str
    subtitle: str
    summary: str
    paragraphs: tuple
    quote: tuple  # (text, attribution)
    facts: tuple  # (title, items)
    tags: tuple
    source: str = "centre"
    editors_note: str = ""
    en: dict | None = None


STORIES = [
    Story(
        key="city-channel",
        channel="yaowen",
        kicker="侨音融媒体中心海外布局再添一站",
        title="“侨连天下”云平台{city}频道上线",
        subtitle="{country}侨胞用一部手机即可收看家乡新闻",
        summary="{station}与侨音融媒体中心共建的“侨连天下”{city}频道正式开通，"
        "首批内容涵盖侨乡新闻、办事指南和社区活动。",
        paragraphs=(
            "记者从侨音融媒体中心获悉，“侨连天下”云平台{city}频道于近日开通。频道由{station}"
            "负责本地采编，杭州编辑部统一审核发布，{country}各地侨胞在手机上即可订阅。",
            "上线当天，频道推送了侨乡近期的重要新闻、护照和公证业务的办理提示，以及当地侨团的"
            "活动预告。平台统计显示，首日就有{people}多名{country}侨胞完成注册。",
            "“侨连天下”云平台的全球用户已接近100万。中心负责人表示，联络站熟悉当地侨情，"
            "由他们牵头开设城市频道，内容更贴近侨胞的实际需要。",
            "按照计划，{city}频道每周推出一期本地侨界新闻汇编，并开设读者来信栏目，收集侨胞"
            "关心的问题，由编辑部联系国内有关部门作答。",
        ),
        quote=("以前看家乡新闻要翻好几个网站，现在一个频道就够了。", "{city}读者代表"),
        facts=FACT_PLATFORM,
        tags=("侨连天下", "海外联络站", "融媒体"),
        editors_note="海外联络站是侨音连接五大洲侨胞的桥梁。本报即日起推出“联络站在行动”"
        "系列报道，讲述各地联络站的新探索。",
        en={
            "kicker": "The Qiaoyin Media Centre extends its reach",
            "title": "Qiaolian Tianxia platform opens a {city_en} channel",
            "subtitle": "Overseas Chinese in {country_en} can follow hometown news on one phone",
            "summary": "The {station_en} and the Qiaoyin Media Centre have launched a {city_en} "
            "channel carrying hometown news, practical guides and community events.",
            "paragraphs": (
                "A {city_en} channel on the Qiaolian Tianxia platform went live this week, the "
                "Qiaoyin Media Centre said. The {station_en} gathers local stories, and editors "
                "in Hangzhou review and publish them for readers across {country_en}.",
                "On its first day the channel carried news from the home towns in Zhejiang, "
                "tips on passport and notarisation services and a calendar of community "
                "events. More than {people} readers in {country_en} signed up within hours.",
                "The platform now has close to one million users worldwide. The centre says "
                "the stations know their communities best, which is why they lead the city "
                "channels.",
            ),
            "quote": (
                "I used to check several websites for news from home. One channel is enough now.",
                "A reader in {city_en}",
            ),
            "facts": FACT_PLATFORM_EN,
        },
    ),
    Story(
        key="community-gala",
        channel="qiaojie",
        kicker="乡音乡情聚一堂",
        title="{city}华侨华人联欢会举行 {people}余人共叙乡情",
        subtitle="三代侨胞同台演出，家乡菜香飘会场",
        summary="{city}华侨华人日前举办年度联欢会，{people}余名侨胞和当地友人欢聚一堂，"
        "越剧、舞狮和华裔孩子的合唱轮番登场。",
        paragraphs=(
            "联欢会在{city}市中心的一座礼堂举行，由当地{count}个侨团联合主办，{station}协办。"
            "不少侨胞全家出动，最年长的已经八十多岁，最小的刚刚学会走路。",
            "节目单上既有越剧选段和舞狮，也有华裔孩子用中文演唱的童谣。中场休息时，侨团志愿者"
            "端出了从{hometown}带来的特色小吃，会场里乡音不断。",
            "{country}当地政府和社区代表应邀出席。一位市议员在致辞中说，华人社区为城市的商业和"
            "文化生活带来了活力，希望双方在教育和公益领域有更多合作。",
            "主办方介绍，今年的联欢会首次通过“侨连天下”云平台同步直播，远在家乡的亲人也能在"
            "屏幕前看到孩子们的表演。",
        ),
        quote=("每年这一天，大家就像回到了老家。", "{city}侨团负责人"),
        facts=FACT_PLATFORM,
        tags=("侨团", "乡情", "文化交流"),
    ),
    Story(
        key="summit-roadshow",
        channel="chuangye",
        kicker="“创业中华”走进海外",
        title="侨界创新创业项目{city}路演 {count}个项目寻求合作",
        subtitle="人工智能、跨境电商和绿色能源项目受关注",
        summary="“创业中华——侨界精英创新创业峰会”海外推介会在{city}举行，"
        "{count}个侨界项目现场路演，部分项目将赴杭州参加峰会对接。",
        paragraphs=(
            "推介会由{station}承办，吸引了{country}及周边国家的侨商、留学人员和投资机构代表"
            "约{people}人参加。路演项目涉及人工智能、跨境电商、新能源和生物医药等领域。",
            "一位在{city}读完博士后创业的青年介绍了团队研发的工业检测软件。他说，家乡的制造业"
            "企业对这类产品需求很大，希望借峰会找到第一批国内客户。",
            "“创业中华”峰会已在杭州连续举办12年，累计签约项目600余个。主办方表示，把推介会"
            "开到海外，是为了让更多新侨在出发前就能对接国内园区和资本。",
            "推介会结束后，评审团从中选出部分项目，推荐参加今年在杭州举行的峰会，并由国内园区"
            "提供落地咨询。",
        ),
        quote=("我们在海外积累了技术，也想把它用在家乡。", "参加路演的青年创业者"),
        facts=FACT_CHUANGYE,
        tags=("创业中华", "侨商", "新侨创业"),
        en={
            "kicker": "Chuangye Zhonghua goes abroad",
            "title": "{count} overseas Chinese start-ups pitch in {city_en}",
            "subtitle": "Artificial intelligence, cross-border trade and clean energy draw "
            "interest",
            "summary": "An overseas roadshow of the Chuangye Zhonghua summit was held in "
            "{city_en}, where {count} projects by overseas Chinese pitched for partners in "
            "Zhejiang.",
            "paragraphs": (
                "The roadshow, hosted by the {station_en}, drew about {people} entrepreneurs, "
                "students and investors from {country_en} and its neighbours. The projects "
                "ranged from artificial intelligence to cross-border trade and clean energy.",
                "A young engineer who founded a company after his doctorate in {city_en} "
                "presented software that inspects factory parts. Manufacturers back home need "
                "such tools, he said, and he hopes to win his first customers at the summit.",
                "The Chuangye Zhonghua summit has been held in Hangzhou for 12 years and has "
                "signed more than 600 projects. The best pitches from {city_en} will be "
                "invited to this year's edition.",
            ),
            "quote": (
                "We built our technology abroad, and we want to put it to work at home.",
                "A young founder at the roadshow",
            ),
            "facts": FACT_CHUANGYE_EN,
        },
    ),
    Story(
        key="roots-camp",
        channel="qinqing",
        kicker="中国寻根之旅",
        title="{country}华裔青少年走进侨乡{hometown} 寻根之旅开营",
        subtitle="{people}名营员将在侨乡学习中文、书法和传统手工艺",
        summary="“中国寻根之旅”夏令营{hometown}营日前开营，来自{country}的{people}名"
        "华裔青少年将在祖籍地度过两周时光。",
        paragraphs=(
            "开营仪式在{hometown}一所中学举行。营员年龄在十岁到十八岁之间，大多出生在{country}，"
            "不少人是第一次回到父母和祖辈生活过的地方。",
            "两周里，营员们将上中文课、学书法和剪纸，走访古村落和侨史陈列馆，还会到结对家庭"
            "住上两天。带队老师说，孩子们最期待的是和当地同龄人一起上课。",
            "“亲情中华”是侨联面向海外华裔青少年的品牌项目。疫情期间，“为你讲故事”网上营共办了"
            "27期，37个国家和地区的2.5万余名华裔青少年在线上参加。",
            "{station}负责本次营员的招募和行前培训。联络站表示，营员回国后将通过“侨连天下”"
            "云平台分享营地见闻。",
        ),
        quote=("爷爷常说起老家的石板路，这次我终于自己走了一遍。", "来自{city}的营员"),
        facts=FACT_QINQING,
        tags=("亲情中华", "寻根之旅", "华裔青少年"),
        source="station",
        editors_note="暑期是华裔青少年回乡寻根的高峰。本报特派记者跟随营员，记录他们在侨乡的"
        "日日夜夜。",
    ),
    Story(
        key="open-day",
        channel="lianluozhan",
        kicker="联络站在行动",
        title="{station}举办开放日 当地市民体验中国文化",
        subtitle="茶艺、书法和侨乡摄影展吸引{people}余名访客",
        summary="{station}日前举办开放日活动，向{city}市民介绍中国文化和浙江侨乡的发展变化，"
        "{people}余名访客到场参观。",
        paragraphs=(
            "开放日当天，联络站所在的小楼被布置成一个个体验区：一楼是茶艺和书法，二楼展出了"
            "侨音摄影记者在{hometown}拍摄的侨乡照片，三楼放映介绍杭州和宁波的纪录短片。",
            "不少{country}市民带着孩子前来。一位退休教师在书法桌前写下了自己的中文名字，"
            "她说，以后想去照片里的村子看一看。",
            "联络站负责人介绍，开放日已连续举办多届，今年首次邀请了{city}当地的中学和图书馆"
            "合作，还准备把侨乡摄影展带进社区巡展。",
        ),
        quote=("联络站不仅服务侨胞，也应该成为当地人了解中国的一扇窗。", "{station}负责人"),
        facts=FACT_STATIONS,
        tags=("海外联络站", "文化交流", "开放日"),
        source="station",
    ),
    Story(
        key="workshop",
        channel="qiaoxiang",
        kicker="侨助共富",
        title="{country}侨商订单落地{hometown}山村 侨助工坊让村民家门口就业",
        subtitle="来料加工年发放工资逾百万元",
        summary="在{country}经营服装和日用品贸易的侨商把订单带回{hometown}，"
        "村里的侨助工坊吸纳{people}名村民就业，其中多数是留守妇女。",
        paragraphs=(
            "清晨七点，{hometown}山区一座村子的侨助工坊已经坐满了人。村民们把一批批纽扣、"
            "拉链缝到衣片上，这些半成品几周后将出现在{city}的商店货架上。",
            "工坊的订单来自一位旅居{country}三十年的侨商。他说，过去这些活儿都在海外或沿海工厂"
            "完成，如今物流方便，把一部分工序放回家乡，既控制了成本，也帮了乡亲。",
            "目前工坊固定用工{people}人，按件计酬，熟练工每月收入三四千元。村干部介绍，"
            "工坊让不少原本外出打工的妇女回到了村里，能够照顾老人和孩子。",
            "侨助工坊已覆盖全省山区26县，带动从业人员1.9万人。侨联表示，下一步将推动更多"
            "海外侨团与山区村结对，把订单和市场信息源源不断地送进山里。",
        ),
        quote=("在家门口上班，孩子放学就能看到我。", "工坊里的村民"),
        facts=FACT_GONGFU,
        tags=("侨助工坊", "共同富裕", "乡村振兴"),
        en={
            "kicker": "Overseas Chinese and shared prosperity",
            "title": "Orders from {country_en} bring jobs to a mountain village in {hometown_en}",
            "subtitle": "A village workshop pays more than a million yuan a year in wages",
            "summary": "A trader living in {country_en} has moved part of his production "
            "back to {hometown_en}, where a village workshop now employs {people} people, "
            "most of them women.",
            "paragraphs": (
                "At seven in the morning the workshop in a mountain village near "
                "{hometown_en} is already full. Villagers sew buttons and zips on to garment "
                "panels that will reach shop shelves in {city_en} a few weeks later.",
                "The orders come from a trader who has lived in {country_en} for thirty "
                "years. Logistics are easy now, he said, so moving some steps back home "
                "keeps costs down and helps his old neighbours.",
                "Workshops like this one now operate in all 26 mountain counties of "
                "Zhejiang and employ about 19,000 people.",
            ),
            "quote": (
                "I work next door to home, so I see my children when school is out.",
                "A villager at the workshop",
            ),
            "facts": FACT_GONGFU_EN,
        },
    ),
    Story(
        key="online-mediation",
        channel="fazhi",
        kicker="法治护侨",
        title="旅居{country}侨胞与{hometown}亲属的继承纠纷经“云调解”化解",
        subtitle="旅居{country}侨胞足不出户参加调解",
        summary="一位旅居{country}的侨胞与{hometown}亲属因老宅继承产生纠纷，"
        "经侨联调解员和法院在线调解，双方达成协议。",
        paragraphs=(
            "这起纠纷源于一套位于{hometown}老城区的祖屋。旅居{city}多年的王先生与留在家乡的"
            "亲属对继承份额看法不一，双方多次沟通未果。",
            "因工作繁忙、往返不便，王先生无法回国出庭。侨联法顾委工作站的调解员"
            "在了解情况后，建议通过法院调解平台进行线上调解。",
            "调解前后进行了三次，{station}为王先生提供了视频连线的场地和翻译协助。一个月后，"
            "双方在线签署了调解协议，法院随即进行了司法确认。",
            "侨联介绍，涉侨纠纷多元化解工作开展以来，全省已有58个调解组织和178名调解员"
            "入驻法院调解平台，不少海外侨胞的家事纠纷得以在线解决。",
        ),
        quote=("隔着大半个地球，事情却办得这么顺，我很感激。", "参加调解的侨胞"),
        facts=FACT_FAZHI,
        tags=("法治护侨", "涉侨纠纷", "云调解"),
    ),
    Story(
        key="chinatown-photos",
        channel="tupian",
        kicker="图片故事",
        title="图集｜{city}唐人街的一天",
        subtitle="从清晨进货到深夜打烊，镜头里的侨胞日常",
        summary="摄影记者用一天时间记录{city}唐人街的烟火气：早市、中文学校、"
        "中餐馆的后厨和夜里仍亮着灯的小超市。",
        paragraphs=(
            "清晨五点半，{city}唐人街的批发店开始卸货，蔬菜和豆腐从城郊的华人农场运来。"
            "到了上午，中文学校的周末课堂坐满了孩子。",
            "午后的中餐馆最忙。一位从{hometown}来的厨师已在这里掌勺{count}年，他说，本地顾客"
            "越来越懂中国菜，点单时会特意要求“正宗一点”。",
            "夜幕降临，街口的小超市依然亮着灯。老板是第二代侨胞，白天在律师事务所上班，"
            "晚上帮父母看店。",
        ),
        quote=("这条街变了很多，但早上的豆浆味一直没变。", "唐人街老住户"),
        facts=FACT_PLATFORM,
        tags=("唐人街", "图片故事", "侨胞生活"),
        source="correspondent",
    ),
    Story(
        key="school-donation",
        channel="gongyi",
        kicker="侨爱心工程",
        title="{city}侨胞捐资助学 {hometown}山区学校新教室启用",
        subtitle="{count}个侨团接力捐款，覆盖{people}名学生",
        summary="由{city}侨团发起的助学项目在{hometown}山区落地，新建的多媒体教室和图书室"
        "日前投入使用。",
        paragraphs=(
            "新教室启用当天，{hometown}山区一所小学的孩子们第一次在多媒体屏幕上上了一堂英语课。"
            "教室的设备和图书室的三千册图书，都来自{city}侨胞的捐款。",
            "项目由{station}牵线，{count}个侨团接力募捐，款项通过侨联的公益平台定向拨付，"
            "每一笔支出都在平台上公示。",
            "学校校长说，学校里不少孩子的父母在海外或外地打工，新图书室开放后，放学后的阅读课"
            "成了孩子们最喜欢的时光。",
            "侨联介绍，侨界公益近年来更加注重项目化运作，侨缘会累计收到的爱心捐款已超过"
            "7300万元，重点用于助学、助老和帮困。",
        ),
        quote=("我们小时候在这样的山村读书，现在能为家乡孩子做点事，很踏实。", "参与捐款的侨胞"),
        facts=FACT_GONGYI,
        tags=("侨爱心工程", "助学", "公益"),
        en={
            "kicker": "Overseas Chinese charity",
            "title": "Donors in {city_en} open new classrooms in the hills of {hometown_en}",
            "subtitle": "{count} associations raised the money for {people} pupils",
            "summary": "A school project started by overseas Chinese in {city_en} has given a "
            "mountain primary school near {hometown_en} a multimedia classroom and a library.",
            "paragraphs": (
                "On the day the new classroom opened, pupils at a mountain school near "
                "{hometown_en} had their first English lesson on a big screen. The equipment "
                "and the library's 3,000 books were paid for by overseas Chinese in {city_en}.",
                "The {station_en} brought the partners together, and {count} associations "
                "raised the money. Every payment is published on the federation's charity "
                "platform.",
                "Many pupils have parents working abroad or in other provinces, the head "
                "teacher said, and the after-school reading hour has become their favourite "
                "part of the day.",
            ),
            "quote": (
                "We grew up in villages like this. Doing something for these children feels right.",
                "One of the donors",
            ),
            "facts": FACT_GONGYI_EN,
        },
    ),
    Story(
        key="correspondent-day",
        channel="shipin",
        kicker="侨音视频",
        title="视频｜在{city}，一位海外传播官的一天",
        subtitle="白天经营生意，晚上剪辑视频",
        summary="镜头跟随一位{city}的海外传播官，看他如何在生意和采访之间安排时间，"
        "把身边侨胞的故事讲给家乡听。",
        paragraphs=(
            "早上八点，他先去自家仓库清点货物，再赶到当地侨团参加一个关于华文教育的座谈。"
            "相机和三脚架一直放在车后座。",
            "作为侨音的海外传播官，他每月要向编辑部提交至少两条稿件。他说，最难的不是拍摄，"
            "而是在有限的篇幅里把一个人的故事讲清楚。",
            "晚上十点，孩子睡下后，他在餐桌上打开电脑剪辑当天的素材，并通过“侨连天下”"
            "云平台把成片发回杭州。",
        ),
        quote=("我拍的都是身边人，他们的故事值得被更多人看到。", "{city}的海外传播官"),
        facts=FACT_PLATFORM,
        tags=("海外传播官", "视频", "侨音"),
        source="video",
    ),
    Story(
        key="correspondent-training",
        channel="yaowen",
        kicker="讲好侨的故事",
        title="{count}名海外传播官完成培训 {country}分队成立",
        subtitle="课程涵盖新闻写作、短视频拍摄与事实核查",
        summary="侨音融媒体中心在{city}举办海外传播官培训班，来自{country}各地的学员结业，"
        "当地海外传播官分队同时成立。",
        paragraphs=(
            "培训为期三天，由侨音编辑部的资深记者和摄影记者授课，课程包括新闻写作、"
            "手机拍摄、短视频剪辑和事实核查。",
            "学员中有餐馆老板、中文教师、留学生和退休工程师。一位学员说，以前只会在朋友圈发"
            "照片，现在知道一条新闻需要交代清楚时间、地点和消息来源。",
            "结业仪式上，{country}海外传播官分队正式成立，由{station}负责日常联络。分队成员"
            "将为“侨连天下”云平台供稿，并参与侨音的多语种报道。",
        ),
        quote=("每一位海外传播官，都是家乡看世界的一双眼睛。", "侨音融媒体中心编辑部"),
        facts=FACT_PLATFORM,
        tags=("海外传播官", "培训", "融媒体"),
    ),
    Story(
        key="online-school",
        channel="qinqing",
        kicker="华文教育",
        title="{city}中文学校接入华侨网络学院课程",
        subtitle="{people}名学生可在线学习中文和中华文化",
        summary="{city}一所周末中文学校与华侨网络学院合作，把在线课程引入课堂，"
        "学生可在家复习老师布置的内容。",
        paragraphs=(
            "这所中文学校创办于二十多年前，最初只有两个班。如今在校学生已有{people}人，"
            "大多是在{country}出生的华裔孩子。",
            "校长介绍，学校师资有限，高年级的历史、地理和书法课一直难以开齐。接入华侨网络学院"
            "后，学生可以在线观看国内老师录制的课程，课堂上再由本校老师答疑。",
            "华侨网络学院依托温州大学建立，已开设华文教育等各类课程90余门，在线观看超过300万人次。",
            "{station}表示，将协助更多当地中文学校开通课程账号，并组织教师参加线上培训。",
        ),
        quote=("孩子们在网上看到了家乡的课堂，学中文的劲头更足了。", "中文学校校长"),
        facts=FACT_QINQING,
        tags=("华文教育", "亲情中华", "中文学校"),
        en={
            "kicker": "Chinese-language education",
            "title": "A Chinese school in {city_en} joins the Overseas Chinese Online Academy",
            "subtitle": "{people} pupils can now study language and culture online",
            "summary": "A weekend Chinese school in {city_en} has brought the online academy's "
            "courses into its classrooms, so pupils can revise at home.",
            "paragraphs": (
                "The school opened more than twenty years ago with two classes. Today it "
                "teaches {people} pupils, most of them born in {country_en}.",
                "With few teachers, the older classes could never offer history, geography "
                "and calligraphy, the head teacher said. Now pupils watch lessons recorded in "
                "China, and local teachers answer their questions in class.",
                "The academy, set up with Wenzhou University, offers more than 90 courses "
                "that have been watched over 3 million times.",
            ),
            "quote": (
                "Seeing classrooms back home online has made the children keener on Chinese.",
                "The head teacher",
            ),
            "facts": FACT_QINQING_EN,
        },
    ),
    Story(
        key="ecommerce-class",
        channel="qiaojie",
        kicker="侨界青年",
        title="{city}侨界青年跨境电商培训班结业",
        subtitle="{people}名学员学习直播带货与海外仓运营",
        summary="面向侨界青年的跨境电商培训班在{city}结业，学员多为侨二代，"
        "不少人计划把家乡的特色产品卖到{country}。",
        paragraphs=(
            "培训班由当地侨团青年委员会和{station}联合举办，讲师来自义乌和杭州的电商企业，"
            "课程内容包括平台规则、直播带货、海外仓运营和跨境支付。",
            "学员中不少是侨二代，从小在{country}长大，熟悉当地消费习惯。一位学员打算在网上销售"
            "{hometown}的茶叶和竹制品，她说，父辈做的是批发，自己想试试线上零售。",
            "结业时，主办方为优秀学员对接了国内供应链企业，并承诺为创业学员提供半年的法律和"
            "财税咨询。",
        ),
        quote=("父辈靠一家店起家，我们这一代想靠一块屏幕。", "培训班学员"),
        facts=FACT_CHUANGYE,
        tags=("侨界青年", "跨境电商", "新侨"),
    ),
    Story(
        key="zhejiang-cuisine",
        channel="chuangye",
        kicker="舌尖上的中国故事",
        title="“中国浙菜海外体验店”在{city}挂牌",
        subtitle="东坡肉、西湖醋鱼走上{country}食客餐桌",
        summary="{city}一家经营多年的中餐馆日前挂牌“中国浙菜海外体验店”，"
        "店主曾回国参加海外中餐烹饪技能培训。",
        paragraphs=(
            "挂牌仪式当晚，餐馆推出了一份浙菜套餐：东坡肉、西湖醋鱼、龙井虾仁和宁波汤圆。"
            "{people}多位当地食客和侨胞预约了座位。",
            "店主来自{hometown}，年轻时在{city}的中餐馆当学徒，后来自己开店。他去年回国参加了"
            "海外中餐烹饪技能培训，系统学习了浙菜的刀工和火候。",
            "侨联介绍，海外中餐烹饪技能培训班已举办15期，来自85个国家和地区的近千名从业者"
            "参加培训，目前全球挂牌的浙菜海外体验店共有14家。",
        ),
        quote=("菜做地道了，客人自然会回来，也会问起菜背后的故事。", "餐馆店主"),
        facts=FACT_ZHONGCAN,
        tags=("海外中餐", "浙菜", "侨商"),
    ),
    Story(
        key="media-partnership",
        channel="lianluozhan",
        kicker="联络站在行动",
        title="{station}与当地媒体签约 共享侨界新闻",
        subtitle="侨音稿件将以{country}当地语言刊发",
        summary="{station}与{city}一家社区媒体签署内容合作协议，侨音的部分稿件将被翻译成"
        "当地语言，在对方的网站和周报上刊发。",
        paragraphs=(
            "根据协议，侨音编辑部每周向对方提供{count}篇左右的侨界和侨乡新闻，由联络站组织"
            "翻译和审校，对方可在网站和纸质周报上使用。",
            "对方媒体的主编说，{city}的华人社区规模不小，但当地读者对他们的了解大多来自"
            "零散的报道，希望这次合作能让读者看到更完整的华人社区。",
            "联络站负责人表示，联络站接收侨音稿件的方式已经实现自动化，编辑部发布后几分钟内"
            "就能收到，为翻译和转载节省了时间。",
        ),
        quote=("让当地读者用自己的语言读到侨胞的故事，这是我们一直想做的事。", "{station}负责人"),
        facts=FACT_STATIONS,
        tags=("海外联络站", "媒体合作", "国际传播"),
        source="station",
        en={
            "kicker": "Liaison stations at work",
            "title": "The {station_en} signs a news-sharing deal with a local paper",
            "subtitle": "Qiaoyin stories will appear in the language of {country_en}",
            "summary": "The {station_en} has agreed to share news with a community outlet in "
            "{city_en}, which will translate and print Qiaoyin stories on its website and in "
            "its weekly.",
            "paragraphs": (
                "Under the agreement the Qiaoyin newsroom will send about {count} stories a "
                "week on overseas Chinese communities and their home towns. The station "
                "organises translation and review.",
                "The paper's editor said the Chinese community in {city_en} is large, yet "
                "most readers only know it from scattered reports. She hopes the deal will "
                "give them a fuller picture.",
                "Stations now receive Qiaoyin stories automatically, within minutes of "
                "publication, which leaves more time for translation.",
            ),
            "quote": (
                "Letting local readers meet overseas Chinese in their own language is what we "
                "always wanted to do.",
                "Head of the {station_en}",
            ),
            "facts": FACT_STATIONS_EN,
        },
    ),
    Story(
        key="village-guesthouse",
        channel="qiaoxiang",
        kicker="乡村侨舍",
        title="侨胞回乡改造老宅 {hometown}山村多了一家“侨舍”",
        subtitle="民宿带动周边农户增收",
        summary="在{country}生活多年的一对侨胞夫妇回到{hometown}，把闲置的祖屋改造成"
        "乡村侨舍，开业以来接待游客{people}多批次。",
        paragraphs=(
            "侨舍保留了老宅的木梁和石墙，房间里摆放着主人从{city}带回的旧物和照片。"
            "每个房间都以一座海外城市命名。",
            "女主人说，二十多年前他们从这里出发去{country}打拼，如今孩子在当地成家立业，"
            "夫妻俩想回来，把老房子重新住热闹。",
            "侨舍的蔬菜、土鸡和茶叶都从周边农户收购，还雇了四位村民帮忙打理。村干部介绍，"
            "村里已有三户人家在侨舍带动下办起了农家乐。",
            "目前全省已建成乡村侨舍238家，户均增收超过2万元。",
        ),
        quote=("在外面闯了半辈子，最想念的还是这片山。", "侨舍女主人"),
        facts=FACT_GONGFU,
        tags=("乡村侨舍", "乡村振兴", "侨乡"),
        source="correspondent",
    ),
    Story(
        key="lawyers-pairing",
        channel="fazhi",
        kicker="百名律师结百个侨团",
        title="律师团与{city}侨团结对 每月开设法律咨询日",
        subtitle="劳动、租赁和签证问题最受关注",
        summary="{hometown}的律师志愿团与{city}{count}个侨团结对，每月通过视频连线为侨胞提供"
        "免费法律咨询。",
        paragraphs=(
            "首次咨询日当天，{people}多名侨胞在线排队。问题最多的是店铺租赁合同、雇工纠纷"
            "和居留签证续期，也有人咨询国内房产和继承手续。",
            "律师团负责人介绍，团队熟悉国内法律，对{country}当地法律则与当地华人律师合作，"
            "必要时三方连线，尽量让侨胞一次把问题问清楚。",
            "结对活动是“百名律师结百个侨团”行动的一部分。{station}负责收集侨胞的问题，"
            "并协助预约咨询时间。",
        ),
        quote=("很多纠纷在萌芽时有人提醒一句，就不会闹大。", "志愿律师"),
        facts=FACT_FAZHI,
        tags=("法治护侨", "法律咨询", "侨团"),
    ),
    Story(
        key="classroom-photos",
        channel="tupian",
        kicker="图片故事",
        title="图集｜{country}华裔孩子的周末中文课",
        subtitle="写汉字、包饺子、学唱童谣",
        summary="周末的中文学校是华裔孩子们的另一个课堂，镜头记录下{city}一所中文学校的一天。",
        paragraphs=(
            "上午九点，{city}一所中文学校的教室里响起了朗读声。一年级的孩子在描红本上写下"
            "自己的名字，高年级学生在准备诗歌朗诵。",
            "课间，老师带着孩子们学包饺子。不少孩子是第一次碰面团，饺子包得形状各异，"
            "却个个吃得开心。",
            "下午的文化课上，孩子们跟着老师学唱家乡童谣。学校每学期都会把优秀作品上传到"
            "“侨连天下”云平台，让远方的祖辈也能看到。",
        ),
        quote=("周末来这里，就像回到了另一个家。", "中文学校学生"),
        facts=FACT_QINQING,
        tags=("华文教育", "图片故事", "华裔青少年"),
        source="correspondent",
    ),
    Story(
        key="rescue-team",
        channel="gongyi",
        kicker="侨界志愿服务",
        title="{city}侨团组建志愿救援队 首批{count}名队员完成培训",
        subtitle="急救、防灾与应急联络列入必修课",
        summary="在国内民间救援组织的指导下，{city}侨团组建了一支志愿救援队，"
        "首批队员完成了急救和应急培训。",
        paragraphs=(
            "培训由国内一家民间救援组织的教官线上授课，{station}负责组织线下实操。队员们"
            "学习了心肺复苏、止血包扎和火灾逃生，还演练了侨胞聚集区的应急联络。",
            "队员中有餐馆老板、货车司机和大学生。一位队员说，几年前社区发生火灾时大家手足无措，"
            "这次培训让他知道了第一时间该做什么。",
            "救援队计划每季度举办一次社区急救课，面向侨胞和当地居民开放。侨团表示，救援队"
            "也将与当地消防和红十字组织保持联系。",
        ),
        quote=("关键时刻多一个懂急救的人，可能就多一条生命。", "救援队队长"),
        facts=FACT_GONGYI,
        tags=("志愿服务", "应急救援", "侨团"),
    ),
    Story(
        key="cooking-video",
        channel="shipin",
        kicker="侨音视频",
        title="视频｜{city}侨胞学做家乡菜",
        subtitle="一锅{hometown}小吃里的乡愁",
        summary="{city}的侨胞在社区厨房里跟着家乡来的厨师学做{hometown}小吃，"
        "视频记录下这堂特别的烹饪课。",
        paragraphs=(
            "烹饪课安排在{city}一家侨团的社区厨房，{people}多位侨胞报名参加，其中不少是"
            "在{country}长大的年轻人。",
            "厨师从和面讲起，一步步示范家乡小吃的做法。一位侨二代说，小时候奶奶常做这道点心，"
            "自己却从没学过，这次终于记下了步骤。",
            "课程视频将在“侨连天下”云平台播出，侨团也计划把烹饪课办成系列，每期介绍一道侨乡菜。",
        ),
        quote=("味道对了，记忆就回来了。", "参加烹饪课的侨胞"),
        facts=FACT_ZHONGCAN,
        tags=("侨乡美食", "视频", "乡情"),
        source="video",
    ),
]

ROUND = len(STORIES)
CORRECTIONS = {
    2: (
        "本文首发时路演项目数量有误，现已根据{station}提供的信息更正。",
        "Correction: an earlier version gave the wrong number of projects.",
    ),
    4: (
        "本文首发时访客人数有误，现已根据{station}提供的信息更正。",
        "Correction: an earlier version gave the wrong number of visitors.",
    ),
}
HOURS_BETWEEN_ARTICLES = 17  # 40 articles span about four weeks; the first few are fresh


@dataclass(frozen=True)
class ArticleSpec:
    """One demo article: a story placed in a station's city, with its numbers and date."""

    index: int
    story: Story
    station: object  # reference.StationSpec
    hometown: str

    @property
    def slug(self):
        city = self.station.host.removesuffix("-qiaoyin")
        return f"{self.story.key}-{city}" + (f"-{self.index}" if self.index >= ROUND * 3 else "")

    @property
    def slots(self):
        return {
            "city": self.station.city,
            "country": country_name(self.station.code),
            "station": self.station.name,
            "hometown": self.hometown,
            "people": (40 + (self.index * 53) % 260) // 10 * 10,  # 余/多 follow round numbers
            "count": 5 + (self.index * 7) % 16,
            "city_en": self.station.city_en,
            "country_en": country_name_en(self.station.code),
            "station_en": self.station.name_en,
            "hometown_en": HOMETOWNS_EN[self.hometown],
        }

    def fill(self, text):
        return text.format(**self.slots)

    def published_ago(self):
        return timedelta(hours=2 + self.index * HOURS_BETWEEN_ARTICLES)

    @property
    def is_headline(self):
        return self.index % 13 == 0

    @property
    def translate_to_traditional(self):
        return self.index % 4 == 0

    @property
    def translate_to_english(self):
        # One English edition of each English-ready story (the first round has them all).
        return self.story.en is not None and self.index < ROUND

    @property
    def correction(self):
        """(中文, English) note of the visible corrections log, on two articles only."""
        note = CORRECTIONS.get(self.index)
        return tuple(self.fill(text) for text in note) if note else None


def article_spec(index):
    """Each round places every story in a different station's city."""
    round_number = index // ROUND
    station = STATIONS[(index * 7 + round_number * 11) % len(STATIONS)]
    hometown = HOMETOWNS[(index * 3 + round_number) % len(HOMETOWNS)]
    return ArticleSpec(
        index=index, story=STORIES[index % ROUND], station=station, hometown=hometown
    )
