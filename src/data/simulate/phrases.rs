//! Phrase banks for simulated open answers: short clauses in Chinese and English that customers
//! write in "what should we improve?" / "其他意见和建议", grouped by topic and tone.
//!
//! The simulator ties a respondent's weakest (or strongest) dimensions to topics through
//! [`Topic::keywords`] and draws clauses from the matching bank, so text analysis (jieba word
//! segmentation, term statistics, theme coding, log-odds between satisfied and dissatisfied
//! groups) has real signal to find. Composition rules:
//! - no phrase ends with punctuation; an answer is clause, optionally join + clause, optionally
//!   a closing; the caller may end it with "。" / "." or leave it bare as many respondents do;
//! - English topic and general phrases begin in lower case (except "I" and acronyms), so they
//!   read right after any [`EN_JOIN`]; capitalise the first letter of the whole answer;
//! - [`TOPICS`] is ordered most specific first: a matcher that takes the first hit gets, for
//!   example, `app_stability` for "APP 稳定性" rather than `usability`;
//! - ASCII keywords are meant to be matched as whole words (ASCII letters and digits as word
//!   characters), Chinese keywords as substrings.

/// One topic customers write about.
pub struct Topic {
    /// ASCII id, e.g. "logistics".
    pub id: &'static str,
    /// Lower-case keywords (ASCII words and Chinese words) that tie a tree node or question to
    /// this topic when found in its id, name or text.
    pub keywords: &'static [&'static str],
    /// Complaints or requests, Chinese (a respondent dissatisfied with this topic).
    pub zh_neg: &'static [&'static str],
    /// Praise, Chinese.
    pub zh_pos: &'static [&'static str],
    /// Complaints or requests, English.
    pub en_neg: &'static [&'static str],
    /// Praise, English.
    pub en_pos: &'static [&'static str],
}

pub const TOPICS: &[Topic] = &[
    Topic {
        id: "security",
        keywords: &[
            "security",
            "secure",
            "safe",
            "safety",
            "privacy",
            "trust",
            "trustworthy",
            "fraud",
            "scam",
            "escrow",
            "安全",
            "隐私",
            "信任",
            "诈骗",
            "担保",
            "保障",
            "个人信息",
            "骗子",
            "安保",
            "门禁",
        ],
        zh_neg: &[
            "个人信息泄露了，注册后就接到很多推销电话",
            "平台上骗子太多，审核要更严格",
            "担保交易规则不清楚，钱付了心里没底",
            "账户安全措施太少，连登录提醒都没有",
            "希望加强供应商资质审核，防止诈骗",
            "隐私设置藏得太深，找了半天",
            "资金保障不到位，出了问题没人负责",
            "收到很多冒充客服的诈骗短信",
            "门禁形同虚设，外人随便进出",
        ],
        zh_pos: &[
            "担保交易很放心，货到再放款",
            "账户安全做得很好，异地登录会提醒",
            "供应商都经过认证，值得信任",
            "隐私保护做得不错，没有乱打电话",
            "小区安保很到位，晚上巡逻很勤",
            "资金安全有保障，用着踏实",
        ],
        en_neg: &[
            "I started getting spam calls right after signing up",
            "too many scam sellers on the platform",
            "please add two-factor login",
            "I don't trust what happens to my personal data",
            "my card was used fraudulently and the response was slow",
            "the escrow rules are unclear, I never know when funds are released",
            "fake messages pretending to be from you are everywhere",
            "security at the entrance is basically non-existent",
            "verification of new suppliers is far too loose",
        ],
        en_pos: &[
            "I feel my money is safe with them",
            "security alerts for new logins are reassuring",
            "verified suppliers make trading feel safe",
            "they take privacy seriously",
            "the escrow service gives us real peace of mind",
            "fraud was spotted and blocked straight away",
        ],
    },
    Topic {
        id: "app_stability",
        keywords: &[
            "crash",
            "crashes",
            "bug",
            "bugs",
            "stability",
            "stable",
            "glitch",
            "outage",
            "downtime",
            "login",
            "闪退",
            "卡顿",
            "崩溃",
            "稳定性",
            "登录",
            "故障",
            "死机",
            "加载",
        ],
        zh_neg: &[
            "APP 经常闪退，尤其是上传图片的时候",
            "App 经常卡顿，切换页面要等好几秒",
            "登录老是失败，验证码收不到",
            "系统升级后 bug 更多了",
            "高峰期网站经常崩溃打不开",
            "页面加载太慢，一个列表要转半天",
            "希望先把稳定性做好再加新功能",
            "手机端下单时卡死，重复提交了两次",
            "每次更新版本都会出现新故障",
            "经常自动退出登录，要反复输密码",
        ],
        zh_pos: &[
            "APP 运行很流畅，很少卡顿",
            "系统很稳定，用了这么久没出过故障",
            "新版本加载速度快多了",
            "登录很方便，支持扫码登录",
            "网站高峰期也不卡，没崩溃过",
            "bug 修复得很快，反馈后第二天就更新了",
        ],
        en_neg: &[
            "the app crashes every time I try to upload a photo",
            "constant login problems, it keeps logging me out",
            "the site goes down at the busiest times",
            "pages take forever to load",
            "every update introduces new bugs",
            "the app freezes on the payment screen",
            "two-factor codes arrive too late to use",
            "please fix the stability before adding new features",
            "I lost my draft order because the system crashed",
        ],
        en_pos: &[
            "the app is fast and has never crashed on me",
            "rock solid, no downtime that I've noticed",
            "the latest update fixed the login issues",
            "pages load quickly now",
            "bugs get fixed quickly when reported",
            "very stable even at peak times",
        ],
    },
    Topic {
        id: "search",
        keywords: &[
            "search",
            "searching",
            "filter",
            "filters",
            "recommendation",
            "recommendations",
            "搜索",
            "检索",
            "筛选",
            "推荐",
            "查找",
        ],
        zh_neg: &[
            "搜索结果不准确，搜型号出来一堆无关的东西",
            "搜索功能太弱，不支持模糊搜索",
            "筛选条件太少，没法按价格和地区同时筛选",
            "推荐的商品和我的需求完全不相关",
            "希望搜索能支持英文和型号混合输入",
            "搜同一个词每次搜索结果都不一样",
            "推荐位全是广告，真正想要的排在后面",
            "查找供应商太费劲，翻好几页都找不到",
        ],
        zh_pos: &[
            "搜索很精准，一下就找到了",
            "筛选功能很好用，条件很全",
            "推荐的东西挺合我胃口的",
            "搜索速度很快，联想词也很准",
            "查找供应商比以前方便多了",
            "以图搜图的搜索功能很实用",
        ],
        en_neg: &[
            "search results are full of irrelevant stuff",
            "search can't handle a simple typo",
            "I can never find a product even when I know the exact name",
            "please add more filters, at least price and brand",
            "recommendations are nothing like what I buy",
            "sponsored listings push the useful results off the first page",
            "the filters reset every time I go back",
            "searching by part number doesn't work",
        ],
        en_pos: &[
            "search works really well",
            "the filters make it easy to narrow things down",
            "recommendations are spot on",
            "finding suppliers is quick and easy",
            "search suggestions save me a lot of time",
            "the new search is a big improvement",
        ],
    },
    Topic {
        id: "refunds",
        keywords: &[
            "refund", "refunds", "return", "returns", "exchange", "dispute", "disputes", "claim",
            "claims", "warranty", "退款", "退货", "换货", "纠纷", "争议", "理赔", "保修", "退换",
        ],
        zh_neg: &[
            "退款太慢，申请了半个月还没到账",
            "退货流程太麻烦，还要自己承担运费",
            "纠纷处理一边倒，平台明显偏向卖家",
            "申请换货被拒绝，理由说不清楚",
            "纠纷处理周期太长，一拖就是一个月",
            "希望退换货能上门取件",
            "理赔材料要求太多，折腾好几轮",
            "保修期内维修还要收费，说不过去",
            "退款只退了一部分，运费没退",
        ],
        zh_pos: &[
            "退款很快，当天就到账了",
            "退货很方便，快递上门取件",
            "纠纷处理公平公正，双方都能接受",
            "换货很顺利，没有为难我",
            "理赔流程简单，材料提交后很快就批了",
            "七天无理由退货执行得很好",
        ],
        en_neg: &[
            "my refund took over a month",
            "returns are a hassle and I had to pay the postage",
            "the dispute process always sides with the seller",
            "my warranty claim was rejected with no real explanation",
            "they refunded the item but kept the delivery charge",
            "please offer free return pickup",
            "I've been waiting three weeks for an exchange",
            "a dispute over a damaged shipment is still open after two months",
            "too much paperwork just to return something",
        ],
        en_pos: &[
            "the refund came through in two days",
            "returns were painless",
            "the dispute was resolved fairly",
            "swapping the wrong size was quick and free",
            "the warranty repair was done without any fuss",
            "they refunded me before the item even got back to them",
        ],
    },
    Topic {
        id: "payment",
        keywords: &[
            "payment",
            "payments",
            "pay",
            "checkout",
            "billing",
            "bill",
            "bills",
            "invoice",
            "invoices",
            "settlement",
            "transaction",
            "transactions",
            "cashier",
            "支付",
            "付款",
            "结算",
            "结账",
            "收银",
            "账单",
            "发票",
            "对账",
            "扣费",
            "交易",
        ],
        zh_neg: &[
            "支付方式太少，不支持对公转账",
            "结算周期太长，货款要两个月才到账",
            "结账排队太久，只开了一个收银台",
            "发票开得太慢，月底对账很麻烦",
            "付款页面经常报错，还重复扣款了",
            "账单看不懂，扣费项目不清楚",
            "希望支持分期付款和信用额度",
            "对账单和实际金额对不上",
            "自助收银机老是识别不了条码",
            "跨境支付手续复杂，汇率也不透明",
        ],
        zh_pos: &[
            "支付很方便，扫码就行",
            "结算很及时，货款按时到账",
            "发票开具很快，电子发票直接发邮箱",
            "结账速度快，不用等很久",
            "账单清晰，每笔扣费都有明细",
            "支持多种付款方式，很灵活",
        ],
        en_neg: &[
            "I was charged twice and it took ages to sort out",
            "the checkout keeps failing at the last step",
            "please accept more payment methods",
            "invoices arrive weeks late and are often wrong",
            "settlement takes far too long, our cash flow suffers",
            "my bill is impossible to understand",
            "only one till open and a long wait to pay",
            "the self-checkout machines never work properly",
            "direct debit was taken on the wrong date",
        ],
        en_pos: &[
            "paying is quick and easy",
            "checkout is smooth on both the app and website",
            "bills are clear and itemised",
            "invoices are accurate and on time",
            "settlement is always on schedule",
            "contactless at every till makes it fast",
        ],
    },
    Topic {
        id: "logistics",
        keywords: &[
            "logistics",
            "delivery",
            "deliveries",
            "deliver",
            "shipping",
            "shipment",
            "courier",
            "parcel",
            "物流",
            "配送",
            "快递",
            "发货",
            "送货",
            "交付",
            "到货",
            "运输",
        ],
        zh_neg: &[
            "物流太慢，等了一周才到",
            "快递三天了还没发货",
            "配送时间太长，说好两天到结果拖了五天",
            "物流信息好几天不更新，不知道货到哪了",
            "送货员不打电话直接放门口，东西差点丢了",
            "发货太慢，下单后一直显示待发货",
            "外包装破损，物流运输过程不够小心",
            "希望能支持指定时间配送，上班时间没法收货",
            "偏远地区配送费太高而且慢",
            "交付经常延期，影响我们的生产计划",
        ],
        zh_pos: &[
            "物流很快，第二天就到了",
            "快递小哥态度很好，还帮忙搬上楼",
            "发货及时，包装也很结实",
            "配送准时，跟承诺的时间一致",
            "物流信息更新及时，随时能查到进度",
            "交付周期比以前缩短了不少",
        ],
        en_neg: &[
            "delivery took almost three weeks",
            "the parcel sat in a depot for five days with no tracking update",
            "the courier left my package outside without knocking",
            "shipping is far too slow for the price you charge",
            "please offer a delivery time slot, I can't wait in all day",
            "my order arrived with the box crushed and one item broken",
            "tracking said delivered but nothing ever came",
            "deliveries to rural areas take forever",
            "the estimated delivery date kept moving back",
        ],
        en_pos: &[
            "delivery was fast, it arrived the next day",
            "the driver was friendly and called ahead",
            "everything arrived well packed and on time",
            "tracking was accurate the whole way",
            "shipping was quicker than promised",
            "same-day delivery in my area is a big plus",
        ],
    },
    Topic {
        id: "network",
        keywords: &[
            "network",
            "signal",
            "coverage",
            "reception",
            "connection",
            "connectivity",
            "broadband",
            "wifi",
            "4g",
            "5g",
            "网络",
            "信号",
            "覆盖",
            "网速",
            "通话",
            "掉线",
            "宽带",
            "上网",
        ],
        zh_neg: &[
            "信号太差，在家里经常没有信号",
            "地铁里网速慢得像 2G",
            "打电话老是掉线，一句话要说好几遍",
            "郊区网络覆盖不行，开车一出城就没信号",
            "宽带晚上高峰期网速很慢",
            "希望多建几个基站，小区里信号很弱",
            "5G 信号时有时无，还不如 4G 稳定",
            "通话质量差，总有杂音",
            "网络故障报修后好几天才修好",
        ],
        zh_pos: &[
            "信号很好，走到哪都有网络",
            "网速很快，看视频一点都不卡",
            "通话清晰，很少掉线",
            "5G 覆盖越来越广了",
            "宽带很稳定，晚上也不卡",
            "地下停车场都有信号，很满意",
        ],
        en_neg: &[
            "no signal at all in my house",
            "calls drop all the time on my commute",
            "mobile data is painfully slow in the city centre",
            "coverage outside town is patchy at best",
            "please improve reception on trains",
            "5G is advertised but I'm always on 4G",
            "broadband slows to a crawl every evening",
            "call quality is poor, lots of echo and static",
            "the network was down for a whole day with no explanation",
        ],
        en_pos: &[
            "great coverage everywhere I go",
            "data speeds are excellent",
            "calls are crystal clear",
            "I get signal even in the basement",
            "the network has been very reliable",
            "5G coverage has improved a lot",
        ],
    },
    Topic {
        id: "food",
        keywords: &[
            "food",
            "meal",
            "meals",
            "menu",
            "dish",
            "dishes",
            "taste",
            "breakfast",
            "canteen",
            "restaurant",
            "菜品",
            "口味",
            "饭菜",
            "菜单",
            "食堂",
            "早餐",
            "餐厅",
            "食材",
            "分量",
        ],
        zh_neg: &[
            "饭菜太咸了，口味偏重",
            "食堂菜品种类太少，一周都吃那几样",
            "菜都是凉的，饭菜端上来就不热了",
            "分量越来越少，价格倒是没降",
            "早餐品种单一，天天都一样",
            "希望食堂增加一些清淡和素食的菜品",
            "食材不新鲜，吃完肚子不舒服",
            "菜单上很多菜都点不了",
            "餐厅上菜太慢，等了四十分钟",
        ],
        zh_pos: &[
            "菜品味道很好，分量也足",
            "食堂饭菜可口，每天都有新花样",
            "早餐很丰富，中西式都有",
            "食材新鲜，吃得放心",
            "餐厅上菜速度快，服务也好",
            "口味很地道，会再来",
        ],
        en_neg: &[
            "the food was cold when it arrived at the table",
            "too salty and greasy",
            "the canteen menu is the same every week",
            "portions have got smaller but the price hasn't",
            "please add more vegetarian options",
            "breakfast was disappointing, hardly any choice",
            "half the dishes on the menu were unavailable",
            "we waited 45 minutes for our mains",
            "the ingredients didn't taste fresh",
        ],
        en_pos: &[
            "the food was delicious",
            "generous portions and great flavour",
            "a good variety on the canteen menu",
            "fresh ingredients you can taste",
            "breakfast was excellent",
            "the kitchen handled my allergy perfectly",
        ],
    },
    Topic {
        id: "information",
        keywords: &[
            "information",
            "info",
            "accuracy",
            "accurate",
            "timeliness",
            "completeness",
            "description",
            "descriptions",
            "documentation",
            "信息",
            "准确",
            "及时性",
            "完整",
            "描述",
            "详情",
            "资料",
            "文档",
        ],
        zh_neg: &[
            "商品信息不准确，参数和实物对不上",
            "供应商信息更新不及时，很多联系方式都失效了",
            "价格信息滞后，下单时才发现已经变了",
            "产品描述太简单，关键参数都没写",
            "希望信息能更完整，比如加上认证和检测报告",
            "库存信息不准，显示有货其实早没了",
            "行业资讯更新太慢，都是几个月前的信息",
            "帮助文档太旧，跟现在的界面对不上",
            "详情页信息前后矛盾，不知道信哪个",
        ],
        zh_pos: &[
            "商品信息很详细，参数写得清清楚楚",
            "信息更新及时，价格都是最新的",
            "供应商资料很完整，方便我们挑选",
            "描述和实物一致，信息准确",
            "行业资讯很有参考价值",
            "帮助文档写得很清楚，自己就能解决问题",
        ],
        en_neg: &[
            "product descriptions are often wrong",
            "the specs listed don't match what arrived",
            "information on the site is out of date",
            "supplier details are incomplete, no certificates or contact person",
            "prices shown weren't the prices charged",
            "the help documentation doesn't match the current version",
            "key details are missing from the product pages",
            "different pages give different information about the same thing",
            "please keep the stock information up to date",
        ],
        en_pos: &[
            "information is accurate and up to date",
            "product pages are detailed and honest",
            "the documentation is clear and complete",
            "I can always find the details I need",
            "supplier profiles are thorough and trustworthy",
            "updates on prices come through quickly",
        ],
    },
    Topic {
        id: "queue_hours",
        keywords: &[
            "queue",
            "queues",
            "queuing",
            "opening",
            "hours",
            "appointment",
            "appointments",
            "booking",
            "排队",
            "营业时间",
            "开门",
            "关门",
            "预约",
            "挂号",
            "叫号",
            "取号",
            "等位",
        ],
        zh_neg: &[
            "排队太久，前面才五个人等了半小时",
            "营业时间太短，下班过去已经关门了",
            "周末人多，只开两个窗口根本不够",
            "希望能网上预约，不用现场排队",
            "挂号排队一上午，看病五分钟",
            "叫号系统经常乱，插队的人也没人管",
            "节假日不营业，有急事没办法办",
            "高峰时段等位要一个多小时",
            "预约号太难抢，一放出来就没了",
        ],
        zh_pos: &[
            "不用排队，进去就能办",
            "营业时间长，晚上也能去",
            "网上预约很方便，到了直接办理",
            "叫号有序，排队时间也不长",
            "周末也开门，对上班族很友好",
            "高峰期会加开窗口，效率很高",
        ],
        en_neg: &[
            "the queue was out the door and only one counter was open",
            "opening hours are useless if you work nine to five",
            "please open on Sundays",
            "waited an hour even though I had an appointment",
            "the ticket system for queuing is chaotic",
            "it's impossible to get an appointment this month",
            "they close early without any notice",
            "lunchtime queues are ridiculous",
            "the booking system shows slots that don't exist",
        ],
        en_pos: &[
            "hardly any queue",
            "the late opening hours are really handy",
            "booking online was easy and I was seen on time",
            "extra staff at busy times keep the queues short",
            "open at weekends, which suits me",
            "the queue moved quickly",
        ],
    },
    Topic {
        id: "response_speed",
        keywords: &[
            "response",
            "responses",
            "responsive",
            "responsiveness",
            "prompt",
            "promptly",
            "speed",
            "waiting",
            "wait",
            "timely",
            "响应",
            "回复",
            "及时",
            "速度",
            "等待",
            "答复",
        ],
        zh_neg: &[
            "回复太慢，消息发过去半天没人理",
            "问题反馈了一周才有答复",
            "响应速度太慢，急事根本指望不上",
            "邮件发出去三天才收到回复",
            "希望能承诺响应时间，比如两小时内回复",
            "等待时间太长，每次都要等很久",
            "催了好几次才有人处理",
            "周末和节假日基本没有响应",
            "报修后等了四天才有人来",
        ],
        zh_pos: &[
            "响应速度很快，几分钟就有人回复",
            "回复很及时，问题当天就处理了",
            "报修后半小时就有人上门",
            "提出的需求很快就有答复",
            "处理速度比我预期的快",
            "基本不用等待，效率很高",
        ],
        en_neg: &[
            "it took them five days to answer a simple email",
            "responses are painfully slow",
            "I had to chase them three times before anything happened",
            "nobody responds at weekends",
            "please commit to a response time, even 24 hours would do",
            "they always say they are too busy to help",
            "waited over a week for someone to get back to me",
            "the repair request took four days to get a reply",
            "urgent issues get the same slow treatment as everything else",
        ],
        en_pos: &[
            "they replied within the hour",
            "very quick to respond to any request",
            "staff are always willing to help straight away",
            "my issue was dealt with the same day",
            "prompt service every time I've asked",
            "response times have got much better",
        ],
    },
    Topic {
        id: "staff_attitude",
        keywords: &[
            "staff",
            "attitude",
            "friendly",
            "friendliness",
            "courtesy",
            "courteous",
            "polite",
            "employee",
            "employees",
            "clerk",
            "态度",
            "店员",
            "服务员",
            "工作人员",
            "员工",
            "礼貌",
            "热情",
        ],
        zh_neg: &[
            "店员态度冷淡，问个问题都爱答不理",
            "服务员一直在玩手机，叫了好几次才过来",
            "工作人员说话很冲，让人很不舒服",
            "服务态度需要改善，感觉顾客在求他们",
            "前台员工不耐烦，问两句就皱眉",
            "希望加强员工礼貌培训",
            "工作人员之间聊天，顾客站半天没人理",
            "收银的店员态度很差，还催着我快点",
            "个别员工推销太强硬，让人反感",
        ],
        zh_pos: &[
            "店员很热情，主动帮我找书",
            "服务员态度特别好，一直微笑服务",
            "工作人员很有礼貌，让人感觉很舒服",
            "员工都很友善，有问必答",
            "前台小姐姐服务很热情",
            "服务态度比以前好多了",
        ],
        en_neg: &[
            "the staff were rude and acted like I was bothering them",
            "nobody greeted me when I walked in",
            "the cashier was on her phone the whole time",
            "staff seem bored and uninterested in helping",
            "I was spoken to in a condescending way",
            "please train your staff to be more polite",
            "the employee rolled his eyes when I asked a question",
            "too much pushy upselling from the staff",
            "staff chatting to each other while customers waited",
        ],
        en_pos: &[
            "the staff were lovely and really helpful",
            "everyone was polite and welcoming",
            "the cashier was cheerful and quick",
            "friendly staff who clearly enjoy their job",
            "staff always greet me with a smile",
            "the team at the counter were very courteous",
        ],
    },
    Topic {
        id: "expertise",
        keywords: &[
            "expertise",
            "knowledge",
            "knowledgeable",
            "professional",
            "professionalism",
            "competence",
            "competent",
            "skill",
            "skills",
            "assurance",
            "advice",
            "专业",
            "知识",
            "业务能力",
            "技能",
            "经验",
        ],
        zh_neg: &[
            "客服不够专业，问几个技术问题就答不上来",
            "店员对书不太了解，推荐的都不靠谱",
            "业务能力有待提高，一个简单的业务办了一小时",
            "新员工太多，很多问题都要去问领导",
            "给出的建议很笼统，不够专业",
            "希望加强产品知识培训",
            "技术支持人员经验不足，排查问题很慢",
            "专业问题要转好几个部门才有人懂",
            "理财经理只会推产品，讲不清风险",
        ],
        zh_pos: &[
            "工作人员很专业，讲得清楚明白",
            "技术支持经验丰富，很快找到了问题",
            "店员知识面很广，推荐的书都很好",
            "客户经理很懂行业，给了不少好建议",
            "业务能力很强，办事效率高",
            "专业性让人放心",
        ],
        en_neg: &[
            "staff don't know their own products",
            "support couldn't answer basic technical questions",
            "I was passed around because nobody knew the answer",
            "the advice I got was vague and generic",
            "please give your staff more training",
            "the adviser clearly didn't understand my situation",
            "I knew more about the plan than the person selling it",
            "the technician had to call someone else to fix it",
            "new staff seem to be left to learn on the job",
        ],
        en_pos: &[
            "very knowledgeable staff",
            "the adviser really knew her stuff",
            "professional and competent from start to finish",
            "tech support found the cause in minutes",
            "I trust their advice",
            "staff explain things clearly and confidently",
        ],
    },
    Topic {
        id: "empathy",
        keywords: &[
            "empathy",
            "personal",
            "personalised",
            "personalized",
            "individual",
            "caring",
            "understanding",
            "attention",
            "关怀",
            "关心",
            "个性化",
            "体贴",
            "人性化",
            "贴心",
            "用心",
        ],
        zh_neg: &[
            "感觉只是走流程，没有人真正关心我的需求",
            "服务太机械，一点都不人性化",
            "希望能有个性化的方案，而不是千篇一律",
            "老客户也没有任何关怀，跟新客户一样",
            "VIP 客户也没感受到什么特别待遇",
            "老人不会用手机，工作人员也不愿意帮忙",
            "住院时护士很少来看一眼，不够关心病人",
            "提的特殊需求直接被拒绝，没有商量余地",
            "规定太死板，不考虑客户的实际情况",
        ],
        zh_pos: &[
            "服务很贴心，会记得我的喜好",
            "工作人员很用心，考虑得很周到",
            "对老年人很有耐心，还专门有人引导",
            "根据我们的情况定制了方案，很人性化",
            "节日还会收到关怀问候，很暖心",
            "真正站在客户角度考虑问题，很体贴",
        ],
        en_neg: &[
            "I feel like just a number to them",
            "nobody takes the time to understand what I actually need",
            "everything is one size fits all",
            "long-standing customers get nothing special",
            "they were unsympathetic when I explained my situation",
            "please have someone help older customers who struggle with the app",
            "rules are applied rigidly with no common sense",
            "the nurse barely had a minute for me",
            "my special request was ignored",
        ],
        en_pos: &[
            "they treat me as an individual",
            "staff remember me and ask how things are going",
            "they went out of their way for my family",
            "really caring and understanding",
            "the personal touch makes a difference",
            "they tailored everything to our business",
        ],
    },
    Topic {
        id: "communication",
        keywords: &[
            "communication",
            "communications",
            "notification",
            "notifications",
            "notice",
            "message",
            "messages",
            "email",
            "emails",
            "sms",
            "informed",
            "沟通",
            "通知",
            "短信",
            "消息",
            "推送",
            "提醒",
            "告知",
        ],
        zh_neg: &[
            "推送消息太多了，一天好几条广告",
            "订单状态变了也不通知一下",
            "政策调整没有提前告知，突然就执行了",
            "停水停电的通知总是发得太晚",
            "沟通效率低，一件事要找好几个人",
            "希望重要通知能发短信，不要只在 APP 里提醒",
            "营销短信退订了还在发",
            "变更价格也不提前沟通，很被动",
            "邮件通知写得太官方，看半天不知道要干什么",
        ],
        zh_pos: &[
            "沟通很顺畅，有问题一说就明白",
            "订单每个环节都有短信提醒",
            "重要变化都会提前通知",
            "推送不多，而且都是有用的消息",
            "有专门的对接人，沟通效率很高",
            "物业通知很及时，停水停电都提前说",
        ],
        en_neg: &[
            "I get far too many marketing emails",
            "nobody told me my order was delayed",
            "changes to the terms were sprung on us without notice",
            "please send a text when the engineer is on the way",
            "I unsubscribed months ago and still get messages",
            "communication between departments is terrible",
            "the app notifications are mostly adverts",
            "I only found out about the outage on social media",
            "letters arrive after the date they're about",
        ],
        en_pos: &[
            "they keep me informed at every step",
            "clear, friendly emails",
            "the text alerts are really useful",
            "I always know what's going on with my order",
            "they let us know about changes well in advance",
            "communication has been excellent throughout",
        ],
    },
    Topic {
        id: "reliability",
        keywords: &[
            "reliability",
            "reliable",
            "dependable",
            "promise",
            "promises",
            "promised",
            "consistency",
            "consistent",
            "commitment",
            "error",
            "errors",
            "可靠",
            "承诺",
            "守信",
            "兑现",
            "靠谱",
            "失误",
            "差错",
        ],
        zh_neg: &[
            "说好的事情总是做不到，一点都不靠谱",
            "承诺三天内处理，结果拖了两周",
            "经常出差错，账户记录都弄错了",
            "同样的问题出现好几次了，没有彻底解决",
            "服务水平时好时坏，不够可靠",
            "活动规则临时变更，承诺的优惠没有兑现",
            "约好上门的时间没人来，也不提前说一声",
            "希望做到言出必行，别让客户一次次失望",
            "办理的业务出了差错还要我自己发现",
        ],
        zh_pos: &[
            "说到做到，非常靠谱",
            "承诺的时间都能按时完成",
            "合作多年从来没出过差错",
            "每次服务都很可靠，让人放心",
            "约好的时间准时上门",
            "答应的事情都兑现了",
        ],
        en_neg: &[
            "they never do what they say they will",
            "promised to fix it by Friday and nothing happened",
            "mistakes on my statement again",
            "the same problem keeps coming back",
            "service is hit and miss depending on who you get",
            "the engineer didn't turn up for the appointment",
            "a promised discount was never applied",
            "I can't rely on them for anything time-sensitive",
            "records are often wrong and I have to correct them",
        ],
        en_pos: &[
            "they always do what they promise",
            "completely reliable, never let me down",
            "everything is done right the first time",
            "consistent service every visit",
            "the engineer arrived exactly when promised",
            "no mistakes on my account in years",
        ],
    },
    Topic {
        id: "price",
        keywords: &[
            "price",
            "prices",
            "pricing",
            "fee",
            "fees",
            "charge",
            "charges",
            "cost",
            "costs",
            "tariff",
            "commission",
            "transparency",
            "价格",
            "收费",
            "费用",
            "手续费",
            "佣金",
            "涨价",
            "定价",
            "资费",
            "透明",
        ],
        zh_neg: &[
            "价格偏高，比同类平台贵不少",
            "手续费太高了，希望降低一些",
            "收费不透明，总有一些莫名其妙的费用",
            "会员费每年都在涨价，小企业负担不起",
            "价格变动太频繁，报价没法做",
            "希望推出针对中小客户的优惠价格",
            "额外费用事先没说清楚，付钱时才发现",
            "佣金比例太高，利润都被吃掉了",
            "资费套餐太复杂，看不懂到底怎么收费",
        ],
        zh_pos: &[
            "价格合理，比别家便宜",
            "收费标准很透明，没有隐藏费用",
            "手续费比以前降低了，点个赞",
            "经常有优惠活动，价格很实惠",
            "费用清楚明白，一目了然",
            "定价公道，老客户还有折扣",
        ],
        en_neg: &[
            "prices are higher than other places for the same thing",
            "the fees keep going up every year",
            "hidden charges that weren't mentioned when I signed up",
            "please make the pricing clearer, I can't tell what I'll pay",
            "the commission rate eats most of our margin",
            "the monthly tariff went up without any warning",
            "discounts only go to new customers, loyal ones pay more",
            "too many add-on costs at the end",
            "the fee structure is confusing and changes too often",
        ],
        en_pos: &[
            "prices are fair and clearly shown",
            "no hidden fees, which I really appreciate",
            "cheaper than the competition",
            "the price drop this year was welcome",
            "good discounts for regular customers",
            "fees are reasonable",
        ],
    },
    Topic {
        id: "value",
        keywords: &[
            "value",
            "worth",
            "benefit",
            "benefits",
            "roi",
            "gain",
            "gains",
            "性价比",
            "物有所值",
            "价值",
            "收益",
            "回报",
            "划算",
            "效益",
        ],
        zh_neg: &[
            "性价比不高，花的钱和得到的不成正比",
            "会员费交了但没看到带来多少收益",
            "这个价格买到这种东西不太划算",
            "投入不少，但实际业务收益很有限",
            "感觉不值这个价，同样的钱别家能买到更好的",
            "希望提升性价比，不然续费要考虑一下",
            "付费功能用处不大，回报太低",
            "套餐里很多内容根本用不上，不划算",
        ],
        zh_pos: &[
            "性价比很高，物有所值",
            "通过平台拿到了不少新客户，回报很明显",
            "这个价位能有这样的品质很划算",
            "付费服务带来的收益远超成本",
            "价格不贵，东西还好，性价比没得说",
            "整体来说很有价值，会继续用",
        ],
        en_neg: &[
            "not good value for money at all",
            "I pay a premium and get the same as everyone else",
            "the membership hasn't brought us any extra business",
            "feels overpriced for what you actually get",
            "half of the bundle is stuff I never use",
            "the paid tier doesn't add enough to justify the cost",
            "I'm seriously thinking of switching to a cheaper option",
            "the return on our subscription is hard to see",
        ],
        en_pos: &[
            "great value for money",
            "worth every penny",
            "the platform paid for itself within a few months",
            "you get a lot for the price",
            "better value than any other provider I've tried",
            "the upgrade was well worth it",
        ],
    },
    Topic {
        id: "product_quality",
        keywords: &[
            "product",
            "products",
            "goods",
            "defect",
            "defective",
            "durability",
            "workmanship",
            "产品质量",
            "商品质量",
            "品质",
            "做工",
            "正品",
            "次品",
            "瑕疵",
            "产品",
            "商品",
        ],
        zh_neg: &[
            "商品质量不稳定，同一款每次收到的都不一样",
            "收到的产品有瑕疵，做工粗糙",
            "用了不到一个月就坏了，品质太差",
            "商品图片和实物差距太大",
            "产品质量把关不严，次品率偏高",
            "希望加强对供应商产品质量的审核",
            "书的印刷质量一般，有几页字都糊了",
            "包装很好看但产品本身很一般",
            "收到的商品有明显使用痕迹，怀疑不是新品",
        ],
        zh_pos: &[
            "产品质量很好，用了很久都没问题",
            "做工精细，品质有保障",
            "实物比商品图片还好看",
            "商品都是正品，买得放心",
            "产品质量一直很稳定",
            "书的纸张和印刷品质都很好",
        ],
        en_neg: &[
            "the product broke after two weeks",
            "quality has gone downhill over the last year",
            "what arrived looked nothing like the photos",
            "poor build quality, it feels cheap",
            "we keep receiving defective units from suppliers",
            "please check products before they leave the warehouse",
            "the item was clearly used or returned by someone else",
            "stitching came apart after the first wash",
            "the product quality varies too much from batch to batch",
        ],
        en_pos: &[
            "excellent product quality",
            "the products are well made and last",
            "exactly as described and very good quality",
            "quality is consistent every time I order",
            "solid build, feels like it will last for years",
            "I've never had a faulty product from them",
        ],
    },
    Topic {
        id: "selection",
        keywords: &[
            "selection",
            "choice",
            "variety",
            "assortment",
            "catalogue",
            "catalog",
            "stock",
            "browse",
            "browsing",
            "种类",
            "品种",
            "品类",
            "选书",
            "库存",
            "缺货",
            "浏览",
            "货源",
            "新品",
        ],
        zh_neg: &[
            "品种太少，想买的书经常没有",
            "缺货太频繁，下单后才说没库存",
            "新书上架太慢，热门的都要等很久",
            "品类不够齐全，很多东西还得去别的地方买",
            "希望多引进一些进口新品",
            "供应商货源太单一，可选的不多",
            "专业类图书种类太少",
            "库存显示有货，结果到店没有",
            "分类比较乱，浏览起来找不到想要的",
        ],
        zh_pos: &[
            "品种很齐全，基本想要的都能找到",
            "新品上架很快",
            "图书种类丰富，经常能发现好书",
            "货源充足，很少缺货",
            "选书区分类清楚，浏览起来很方便",
            "品类越来越多了，一站式就能买齐",
        ],
        en_neg: &[
            "the selection is too limited",
            "things I want are always out of stock",
            "new releases take ages to appear",
            "please stock more local and independent brands",
            "the range has shrunk a lot recently",
            "the website says in stock but the shop never has it",
            "hardly any choice in larger sizes",
            "the catalogue is badly organised and hard to browse",
            "fewer suppliers than before so less variety",
        ],
        en_pos: &[
            "great range of products",
            "they always have what I'm looking for",
            "lots of choice at every price point",
            "new stock arrives regularly",
            "the variety keeps getting better",
            "easy to browse and discover new things",
        ],
    },
    Topic {
        id: "environment",
        keywords: &[
            "environment",
            "cleanliness",
            "clean",
            "hygiene",
            "facility",
            "facilities",
            "tangible",
            "tangibles",
            "equipment",
            "appearance",
            "atmosphere",
            "room",
            "rooms",
            "parking",
            "环境",
            "卫生",
            "清洁",
            "设施",
            "设备",
            "装修",
            "氛围",
            "停车",
            "座位",
            "房间",
            "噪音",
        ],
        zh_neg: &[
            "店内环境有点乱，书架上东西摆得乱七八糟",
            "卫生间很脏，好像很久没打扫",
            "座位太少，想坐下看会儿书都没地方",
            "空调太冷了，待久了受不了",
            "设施比较陈旧，希望翻新一下",
            "停车太难，附近车位很少",
            "房间隔音差，晚上很吵睡不好",
            "餐桌上油乎乎的，清洁不到位",
            "营业厅的设备老旧，自助机经常坏",
            "音乐声音太大，噪音让人烦躁",
        ],
        zh_pos: &[
            "环境很好，安静舒适",
            "店里干净整洁，卫生做得好",
            "装修很有格调，氛围特别好",
            "设施齐全，还有免费充电的地方",
            "房间打扫得非常干净",
            "停车方便，车位充足",
        ],
        en_neg: &[
            "the toilets were dirty",
            "the branch looks tired and needs a refurb",
            "not enough seating",
            "it was freezing inside, the air con is way too strong",
            "the room was noisy and we couldn't sleep",
            "tables were sticky and the floor hadn't been swept",
            "parking is a nightmare",
            "the machines in the branch are always out of order",
            "music is far too loud",
        ],
        en_pos: &[
            "lovely clean and modern branch",
            "a really pleasant atmosphere",
            "the facilities are excellent",
            "spotless rooms",
            "comfortable seating and good lighting",
            "easy parking right outside",
        ],
    },
    Topic {
        id: "customer_service",
        keywords: &[
            "support",
            "helpdesk",
            "hotline",
            "complaint",
            "complaints",
            "ticket",
            "tickets",
            "resolution",
            "客服",
            "客户服务",
            "售后",
            "投诉",
            "热线",
            "工单",
            "首次解决",
            "服务台",
        ],
        zh_neg: &[
            "客服电话打了三次才接通",
            "客服只会复制粘贴标准话术，问题根本没解决",
            "售后处理太拖沓，一个问题来回沟通了两周",
            "投诉之后一直没有人跟进",
            "希望增加夜间客服，晚上出问题找不到人",
            "在线客服全是机器人，转人工太难了",
            "每次联系客服都要重新描述一遍问题",
            "客服承诺回电，结果一直没有打来",
            "工单提交后三天没有任何进展",
            "售后网点太少，维修要寄回去等很久",
        ],
        zh_pos: &[
            "客服很耐心，一次就帮我解决了问题",
            "售后处理很快，第二天就有人上门",
            "在线客服回答问题很清楚",
            "投诉后很快有专人联系，处理结果满意",
            "客服服务热情周到",
            "售后有问题随时能找到人",
        ],
        en_neg: &[
            "I was on hold for 40 minutes before anyone picked up",
            "support kept closing my ticket without fixing anything",
            "please add live chat, email support is too slow",
            "every time I call I have to explain the whole problem again",
            "the chatbot is useless and there's no way to reach a human",
            "my complaint was never followed up",
            "they promised a call back that never came",
            "the helpline is only open during office hours",
            "three different agents gave me three different answers",
        ],
        en_pos: &[
            "support sorted out my problem on the first call",
            "the support team went above and beyond",
            "my complaint was handled quickly and fairly",
            "live chat is great, got an answer in minutes",
            "the agent followed up a day later to check everything was fine",
            "customer support has really improved this year",
        ],
    },
    Topic {
        id: "usability",
        keywords: &[
            "usability",
            "website",
            "app",
            "interface",
            "navigation",
            "function",
            "functions",
            "feature",
            "features",
            "rfq",
            "易用",
            "界面",
            "操作",
            "功能",
            "网站",
            "平台功能",
            "询价",
            "订单管理",
            "页面",
            "导航",
            "小程序",
        ],
        zh_neg: &[
            "界面太复杂，找个功能要点好几层",
            "操作流程太繁琐，下一个单要填一堆东西",
            "询价工具不好用，报价比较起来很麻烦",
            "订单管理页面信息太乱，看不清状态",
            "希望手机端也能用全部功能",
            "新版界面改得不习惯，老功能找不到了",
            "批量操作功能缺失，每次只能一单一单处理",
            "网站字体太小，老年人用起来很吃力",
            "网站导航不清晰，经常迷路",
            "希望 APP 能支持导出订单报表",
        ],
        zh_pos: &[
            "界面简洁，操作很方便",
            "功能很齐全，基本需求都能满足",
            "询价功能很实用，节省了不少时间",
            "订单管理很清楚，一眼能看到进度",
            "新版网站好用多了",
            "操作上手很快，不用培训就会用",
        ],
        en_neg: &[
            "the website is confusing to navigate",
            "too many clicks to do something simple",
            "the new layout hides the features I use most",
            "please add bulk actions, one order at a time is painful",
            "the RFQ tool is clunky and hard to compare quotes in",
            "the mobile app is missing half of the website's features",
            "text is tiny and hard to read on a phone",
            "the order management screen is cluttered",
            "forms ask for the same information again and again",
        ],
        en_pos: &[
            "the website is clean and easy to use",
            "really intuitive, I didn't need any help",
            "the app does everything I need",
            "the order overview is clear and handy",
            "the quote comparison tool saves us hours",
            "the redesign made things much simpler",
        ],
    },
];

/// Topic-free general complaints, Chinese (when no topic matches a dimension).
pub const ZH_GENERAL_NEG: &[&str] = &[
    "整体体验一般，还有很大提升空间",
    "感觉这两年服务质量在下降",
    "希望多听听用户的意见，真正做出改变",
    "问题反映了很多次都没有改善",
    "跟同行比还有差距",
    "各方面都中规中矩，没有特别让人满意的地方",
    "希望管理层重视一下客户体验",
    "有些细节做得不到位",
    "不如以前了",
    "流程太多，办个事太累",
    "总体不太满意，考虑换一家",
];
/// Topic-free general praise, Chinese.
pub const ZH_GENERAL_POS: &[&str] = &[
    "总体很满意，继续保持",
    "服务越来越好了",
    "合作很愉快，希望长期合作下去",
    "挺好的，没什么需要改进的",
    "各方面都不错，会推荐给朋友",
    "比预期的好",
    "用了很多年了，一直很信赖",
    "整体体验很棒",
    "一直很满意，希望越做越好",
    "很省心，没遇到什么问题",
];
/// Topic-free general complaints, English.
pub const EN_GENERAL_NEG: &[&str] = &[
    "overall pretty average",
    "things have gone downhill over the past year",
    "please actually listen to customer feedback",
    "I've raised issues before and nothing changed",
    "competitors are doing a better job",
    "lots of small things that add up",
    "it just feels like nobody cares anymore",
    "not what it used to be",
    "I'm thinking of leaving",
    "too much hassle for something that should be simple",
];
/// Topic-free general praise, English.
pub const EN_GENERAL_POS: &[&str] = &[
    "keep up the good work",
    "really happy overall",
    "it keeps getting better",
    "I'd recommend you to anyone",
    "better than I expected",
    "I've been a customer for years and never had a real problem",
    "a pleasure to deal with",
    "no complaints at all",
    "great experience from start to finish",
    "everything just works",
];

/// One-word or near-empty answers, Chinese.
pub const ZH_SHORT: &[&str] = &[
    "无",
    "没有",
    "暂无",
    "挺好的",
    "很好",
    "不错",
    "满意",
    "还行",
    "一般",
    "没意见",
    "没有建议",
    "暂时没有",
    "无意见",
    "好",
    "继续加油",
    "没什么",
];
/// One-word or near-empty answers, English.
pub const EN_SHORT: &[&str] = &[
    "N/A",
    "n/a",
    "none",
    "nothing",
    "good",
    "fine",
    "ok",
    "no",
    "nope",
    "all good",
    "no comment",
    "nothing to add",
    "great",
    "na",
];

/// Off-topic answers, Chinese.
pub const ZH_OFF_TOPIC: &[&str] = &[
    "问卷太长了",
    "题目太多了，填到后面都不想认真填了",
    "祝贵公司生意兴隆",
    "能不能抽奖送点礼品",
    "今天天气不错",
    "我是帮同事填的，不太清楚",
    "这个问卷和我有什么关系",
    "希望问卷能简短一点",
    "新年快乐",
    "我只是随便看看",
    "填完有红包吗",
];
/// Off-topic answers, English.
pub const EN_OFF_TOPIC: &[&str] = &[
    "I was told to fill this in",
    "this survey is way too long",
    "do I get a voucher for doing this",
    "happy holidays",
    "why do you need my age",
    "I'm filling this in for my manager",
    "test",
    "asdf",
    "the weather has been awful lately",
    "too many surveys from you",
    "good luck with the new office",
];

/// Connectors used to join two clauses, Chinese.
pub const ZH_JOIN: &[&str] = &[
    "，",
    "；",
    "；另外",
    "，还有就是",
    "。另外",
    "，而且",
    "。还有",
    "，另外",
];
/// Connectors used to join two clauses, English (the next clause follows in lower case).
pub const EN_JOIN: &[&str] = &[
    "; also ",
    ". Also ",
    ". And ",
    ", and ",
    ", plus ",
    ". Oh and ",
    ". Another thing, ",
    "; and ",
];

/// Closing clauses appended sometimes, Chinese.
pub const ZH_CLOSE: &[&str] = &[
    "，希望尽快改进",
    "，谢谢",
    "。谢谢",
    "，希望能重视一下",
    "，期待越来越好",
    "，辛苦了",
    "，希望早日解决",
];
/// Closing clauses appended sometimes, English.
pub const EN_CLOSE: &[&str] = &[
    ". Please fix this",
    ". Thanks",
    ", thanks",
    ". Thank you",
    ". Please sort it out",
    ". Hope this helps",
    ". Cheers",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const END_PUNCT: &[char] = &[
        '。', '，', '、', '；', '：', '！', '？', '…', '.', ',', ';', ':', '!', '?', '～', '~',
    ];

    fn is_cjk(c: char) -> bool {
        ('\u{4e00}'..='\u{9fff}').contains(&c)
    }

    fn all_banks() -> Vec<(String, &'static [&'static str])> {
        let mut banks: Vec<(String, &'static [&'static str])> = Vec::new();
        for t in TOPICS {
            banks.push((format!("{}.zh_neg", t.id), t.zh_neg));
            banks.push((format!("{}.zh_pos", t.id), t.zh_pos));
            banks.push((format!("{}.en_neg", t.id), t.en_neg));
            banks.push((format!("{}.en_pos", t.id), t.en_pos));
        }
        for (name, bank) in [
            ("ZH_GENERAL_NEG", ZH_GENERAL_NEG),
            ("ZH_GENERAL_POS", ZH_GENERAL_POS),
            ("EN_GENERAL_NEG", EN_GENERAL_NEG),
            ("EN_GENERAL_POS", EN_GENERAL_POS),
            ("ZH_SHORT", ZH_SHORT),
            ("EN_SHORT", EN_SHORT),
            ("ZH_OFF_TOPIC", ZH_OFF_TOPIC),
            ("EN_OFF_TOPIC", EN_OFF_TOPIC),
        ] {
            banks.push((name.to_string(), bank));
        }
        banks
    }

    #[test]
    fn every_topic_has_the_minimum_phrase_counts() {
        assert!(TOPICS.len() >= 18);
        for t in TOPICS {
            assert!(t.zh_neg.len() >= 8, "{}.zh_neg", t.id);
            assert!(t.zh_pos.len() >= 5, "{}.zh_pos", t.id);
            assert!(t.en_neg.len() >= 8, "{}.en_neg", t.id);
            assert!(t.en_pos.len() >= 5, "{}.en_pos", t.id);
        }
    }

    #[test]
    fn topic_ids_are_unique_ascii() {
        let mut seen = HashSet::new();
        for t in TOPICS {
            assert!(!t.id.is_empty());
            assert!(
                t.id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                t.id
            );
            assert!(seen.insert(t.id), "duplicate id {}", t.id);
        }
    }

    #[test]
    fn keywords_are_lower_case_words_unique_across_topics() {
        let mut seen = HashSet::new();
        for t in TOPICS {
            assert!(!t.keywords.is_empty(), "{}", t.id);
            for k in t.keywords {
                assert!(!k.is_empty(), "{}", t.id);
                assert_eq!(*k, k.to_lowercase(), "{}: {k}", t.id);
                assert!(!k.chars().any(char::is_whitespace), "{}: {k}", t.id);
                if k.chars().any(is_cjk) {
                    assert!(k.chars().all(is_cjk), "{}: {k}", t.id);
                    assert!(k.chars().count() >= 2, "{}: {k}", t.id);
                } else {
                    assert!(
                        k.chars().all(|c| c.is_ascii_alphanumeric()),
                        "{}: {k}",
                        t.id
                    );
                }
                assert!(seen.insert(*k), "keyword {k} in two topics");
            }
        }
    }

    #[test]
    fn no_phrase_is_empty_or_ends_with_punctuation() {
        for (name, bank) in all_banks() {
            assert!(!bank.is_empty(), "{name}");
            for p in bank {
                assert!(!p.is_empty(), "{name}");
                assert_eq!(p.trim(), *p, "{name}: {p:?}");
                let last = p.chars().last().unwrap_or(' ');
                assert!(!END_PUNCT.contains(&last), "{name}: {p}");
            }
        }
    }

    #[test]
    fn no_phrase_appears_twice_in_the_file() {
        let mut seen = HashSet::new();
        for (name, bank) in all_banks() {
            for p in bank {
                assert!(seen.insert(*p), "{name}: duplicate {p}");
            }
        }
    }

    #[test]
    fn languages_match_their_banks() {
        for (name, bank) in all_banks() {
            for p in bank {
                if name.contains("zh") || name.starts_with("ZH") {
                    assert!(p.chars().any(is_cjk), "{name}: {p}");
                } else {
                    assert!(p.is_ascii(), "{name}: {p}");
                }
            }
        }
    }

    #[test]
    fn english_clauses_start_in_lower_case_except_i_and_acronyms() {
        let mut banks: Vec<&[&str]> = vec![EN_GENERAL_NEG, EN_GENERAL_POS];
        for t in TOPICS {
            banks.push(t.en_neg);
            banks.push(t.en_pos);
        }
        for p in banks.into_iter().flatten() {
            let word = p.split(' ').next().unwrap_or("");
            let ok = !word.starts_with(|c: char| c.is_ascii_uppercase())
                || word == "I"
                || word.starts_with("I'")
                || !word.chars().any(|c| c.is_ascii_lowercase());
            assert!(ok, "{p}");
        }
    }

    #[test]
    fn most_chinese_phrases_contain_a_topic_keyword() {
        for t in TOPICS {
            let zh: Vec<&str> = t.zh_neg.iter().chain(t.zh_pos).copied().collect();
            let hits = zh
                .iter()
                .filter(|p| t.keywords.iter().any(|k| p.to_lowercase().contains(k)))
                .count();
            assert!(hits * 2 >= zh.len(), "{}: {hits} of {}", t.id, zh.len());
        }
    }

    #[test]
    fn joins_and_closings_attach_without_ending_the_answer() {
        for j in ZH_JOIN.iter().chain(ZH_CLOSE) {
            assert!(j.starts_with(['，', '；', '。']), "{j}");
        }
        for j in EN_JOIN {
            assert!(j.starts_with([',', ';', '.']) && j.ends_with(' '), "{j:?}");
        }
        for c in EN_CLOSE.iter().chain(ZH_CLOSE) {
            let last = c.chars().last().unwrap_or(' ');
            assert!(!END_PUNCT.contains(&last), "{c}");
        }
    }
}
