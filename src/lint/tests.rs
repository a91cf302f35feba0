//! Table-driven tests of the lint rules: every rule has at least one case that fires and one that
//! does not. A case is a base survey (Chinese or English, which itself has no findings) plus
//! textual edits; `#PROFILE_FIRST`, `#PROFILE`, `#SCALES`, `#QUESTIONS`, `#END` and `#TREE` mark
//! where snippets go.

use super::*;

const BASE_ZH: &str = r#"[survey]
id = "lint-base"
title = "书店满意度调查"
language = "zh"

[plan]
objective = "了解顾客满意度。"
population = "会员顾客。"
methods = ["questionnaire"]
sample_size = 300

[preface]
purpose = "您好！我们想了解您对本店的看法。"
confidentiality = "问卷匿名，结果只以汇总形式使用。"
minutes = 2

[closing]
thanks = "感谢您的参与！"

[scales.sat5]
points = [1, 5]
labels = ["非常不满意", "不满意", "一般", "满意", "非常满意"]
na_code = 99
na_label = "不适用"
#SCALES

#PROFILE_FIRST
[[profile]]
id = "visit_frequency"
text = "您多久来一次本店？"
type = "single"
topic = "frequency"
choices = ["每周多次", "每周一次", "每月一两次", "更少"]
#PROFILE

[[question]]
id = "staff_overall"
text = "总体而言，您对店员的服务是否满意？"
type = "rating"
scale = "sat5"

[[question]]
id = "staff_attitude"
text = "您对店员的服务态度是否满意？"
type = "rating"
scale = "sat5"

[[question]]
id = "book_range"
text = "您对图书品种是否满意？"
type = "rating"
scale = "sat5"
#QUESTIONS

[[question]]
id = "overall_sat"
text = "总体而言，您对本店的满意程度如何？"
type = "rating"
scale = "sat5"
role = "overall"
#END

[[question]]
id = "comments"
text = "还有什么想告诉我们的？"
type = "text"
required = false

[tree]
name = "满意度"

[tree.staff]
name = "店员"
weight = 0.5
questions = ["staff_overall", "staff_attitude"]

[tree.books]
name = "图书"
weight = 0.5
questions = ["book_range"]
#TREE
"#;

const BASE_EN: &str = r#"[survey]
id = "lint-base-en"
title = "Bookshop customer survey"
language = "en"

[preface]
purpose = "We would like to hear what you think of our shop."
confidentiality = "Answers are anonymous and reported only in aggregate."
minutes = 2

[closing]
thanks = "Thank you for your time."

[scales.sat5]
points = [1, 5]
labels = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]
na_code = 99
na_label = "Not applicable"
#SCALES

#PROFILE_FIRST
[[profile]]
id = "visit_frequency"
text = "How often do you visit our shop?"
type = "single"
topic = "frequency"
choices = ["Several times a week", "Once a week", "Once or twice a month", "Less often"]
#PROFILE

[[question]]
id = "staff_overall"
text = "Overall, how satisfied are you with our staff?"
type = "rating"
scale = "sat5"

[[question]]
id = "staff_attitude"
text = "How satisfied are you with the attitude of the staff?"
type = "rating"
scale = "sat5"

[[question]]
id = "book_range"
text = "How satisfied are you with the range of books?"
type = "rating"
scale = "sat5"
#QUESTIONS

[[question]]
id = "overall_sat"
text = "Overall, how satisfied are you with the shop?"
type = "rating"
scale = "sat5"
role = "overall"
#END

[[question]]
id = "comments"
text = "Is there anything else you would like to tell us?"
type = "text"
required = false

[tree]
name = "Satisfaction"

[tree.staff]
name = "Staff"
weight = 0.5
questions = ["staff_overall", "staff_attitude"]

[tree.books]
name = "Books"
weight = 0.5
questions = ["book_range"]
#TREE
"#;

/// (rule, does it fire?, base language, edits applied in order: replace the first occurrence)
type Case = (
    &'static str,
    bool,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const Q: &str = "#QUESTIONS";

const CASES: &[Case] = &[
    // --- structure
    (
        "preface_purpose",
        true,
        "zh",
        &[("purpose = \"您好！我们想了解您对本店的看法。\"\n", "")],
    ),
    (
        "preface_purpose",
        true,
        "en",
        &[(
            "[preface]\npurpose = \"We would like to hear what you think of our shop.\"\nconfidentiality = \"Answers are anonymous and reported only in aggregate.\"\nminutes = 2\n",
            "",
        )],
    ),
    ("preface_purpose", false, "zh", &[]),
    (
        "preface_confidentiality",
        true,
        "en",
        &[(
            "confidentiality = \"Answers are anonymous and reported only in aggregate.\"\n",
            "",
        )],
    ),
    ("preface_confidentiality", false, "en", &[]),
    ("preface_time", true, "zh", &[("minutes = 2\n", "")]),
    ("preface_time", false, "zh", &[]),
    (
        "closing_thanks",
        true,
        "zh",
        &[(
            "thanks = \"感谢您的参与！\"",
            "contact = \"cx@example.com\"",
        )],
    ),
    ("closing_thanks", false, "en", &[]),
    (
        "profile_section",
        true,
        "zh",
        &[
            ("topic = \"frequency\"", "topic = \"demographic\""),
            ("您多久来一次本店？", "您的年龄段是？"),
        ],
    ),
    (
        "profile_section",
        true,
        "en",
        &[(
            "[[profile]]\nid = \"visit_frequency\"\ntext = \"How often do you visit our shop?\"\ntype = \"single\"\ntopic = \"frequency\"\nchoices = [\"Several times a week\", \"Once a week\", \"Once or twice a month\", \"Less often\"]\n",
            "",
        )],
    ),
    (
        "profile_section",
        false,
        "zh",
        &[
            ("topic = \"frequency\"\n", ""),
            ("您多久来一次本店？", "您通常在哪里买书？"),
        ],
    ),
    (
        "indicator_unmeasured",
        true,
        "zh",
        &[("questions = [\"book_range\"]\n", "")],
    ),
    ("indicator_unmeasured", false, "zh", &[]),
    (
        "overall_item",
        true,
        "zh",
        &[
            ("role = \"overall\"\n", ""),
            (
                "总体而言，您对本店的满意程度如何？",
                "您对本店的环境是否满意？",
            ),
        ],
    ),
    ("overall_item", false, "en", &[("role = \"overall\"\n", "")]),
    (
        "open_last",
        true,
        "zh",
        &[(
            "[[question]]\nid = \"comments\"\ntext = \"还有什么想告诉我们的？\"\ntype = \"text\"\nrequired = false\n",
            "",
        )],
    ),
    ("open_last", false, "en", &[]),
    (
        "sensitive_early",
        true,
        "zh",
        &[(
            "#PROFILE_FIRST",
            "[[profile]]\nid = \"income\"\ntext = \"您的月收入是多少元？\"\ntype = \"numeric\"\ntopic = \"demographic\"\n",
        )],
    ),
    (
        "sensitive_early",
        true,
        "en",
        &[(
            "#PROFILE_FIRST",
            "[[profile]]\nid = \"age_band\"\ntext = \"Which age group are you in?\"\ntype = \"single\"\ntopic = \"demographic\"\nchoices = [\"Under 30\", \"30 or over\"]\n",
        )],
    ),
    (
        "sensitive_early",
        false,
        "en",
        &[(
            "#PROFILE\n",
            "[[profile]]\nid = \"age_band\"\ntext = \"Which age group are you in?\"\ntype = \"single\"\ntopic = \"demographic\"\nchoices = [\"Under 30\", \"30 or over\"]\n",
        )],
    ),
    (
        "sensitive_early",
        false,
        "zh",
        &[(
            "#END",
            "[[question]]\nid = \"phone\"\ntext = \"如愿意参加回访，请留下您的手机号。\"\ntype = \"text\"\nrequired = false\n",
        )],
    ),
    (
        "general_before_specific",
        true,
        "zh",
        &[
            (
                Q,
                "[[question]]\nid = \"book_overall\"\ntext = \"总体而言，您对图书是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
            ),
            (
                "questions = [\"book_range\"]",
                "questions = [\"book_range\", \"book_overall\"]",
            ),
        ],
    ),
    ("general_before_specific", false, "zh", &[]),
    // --- wording
    (
        "double_barrelled",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对本店的价格和服务质量是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "double_barrelled",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How satisfied are you with the price and the quality of our books?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "double_barrelled",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"店员是否和蔼、及时地回应您？\"\ntype = \"single\"\nchoices = [\"是\", \"否\"]\n",
        )],
    ),
    (
        "double_barrelled",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对支付方式（扫码和银行卡）是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "double_barrelled",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您最常购买哪类商品？\"\ntype = \"single\"\nchoices = [\"图书和杂志\", \"文具与文创\"]\n",
        )],
    ),
    (
        "double_barrelled",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"Have you complained to us, formally or informally?\"\ntype = \"single\"\nchoices = [\"Yes\", \"No\"]\n",
        )],
    ),
    (
        "double_barrelled",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How long did you wait between ordering and delivery?\"\ntype = \"single\"\nchoices = [\"A day\", \"Longer\"]\n",
        )],
    ),
    (
        "double_barrelled",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对商品图片与实物的一致程度是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "double_barrelled",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"When your contract or plan ends, how likely are you to stay?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "double_barrelled",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How satisfied are you with the price or the quality of our books?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "double_barrelled",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\n# satkit-lint: allow(double_barrelled)\ntext = \"您对退换货的流程和时效是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\nna = true\n",
        )],
    ),
    (
        "leading_question",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"难道您不认为我们的配送很快吗？\"\ntype = \"single\"\nchoices = [\"是\", \"否\"]\n",
        )],
    ),
    (
        "leading_question",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"Don't you agree that our staff are friendly?\"\ntype = \"single\"\nchoices = [\"Yes\", \"No\"]\n",
        )],
    ),
    (
        "leading_question",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您认为本店的营业时间是否方便？\"\ntype = \"single\"\nchoices = [\"是\", \"否\"]\n",
        )],
    ),
    (
        "leading_question",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How friendly were the staff?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "presupposition",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对我们优质的服务是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "presupposition",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How much do you love our reading corner?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "presupposition",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对我们的服务质量是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "presupposition",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"Excellent bookshops have staff who know their books.\"\ntype = \"rating\"\nscale = \"agree5\"\n",
        )],
    ),
    (
        "jargon",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对 SKU 的丰富程度是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "jargon",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How satisfied are you with the POS terminal?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "jargon",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对会员复购率奖励是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "jargon",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对在线询价（RFQ）功能是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\nna = true\n",
        )],
    ),
    (
        "jargon",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How satisfied are you with the ATM in the shop?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "vague_quantifier",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您经常在网上买书吗？\"\ntype = \"single\"\nchoices = [\"是\", \"否\"]\n",
        )],
    ),
    (
        "vague_quantifier",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"Do you regularly buy books as gifts?\"\ntype = \"single\"\nchoices = [\"Yes\", \"No\"]\n",
        )],
    ),
    (
        "vague_quantifier",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您经常（每周至少一次）在网上买书吗？\"\ntype = \"single\"\nchoices = [\"是\", \"否\"]\n",
        )],
    ),
    ("vague_quantifier", false, "en", &[]),
    (
        "long_question",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"考虑到您在过去一段时间里通过我们的门店、网站、手机应用等多种渠道与我们打交道时所获得的全部体验，请问您对我们的服务感到满意吗？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "long_question",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"Thinking about every visit you have made to any of our shops recently, including browsing, asking staff for help and paying, how satisfied are you?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "long_question",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对收银速度是否满意？（从开始排队到付款完成的全部时间，包括排队、扫码、打包和开具发票的时间）\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "double_negative",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"店员并非不愿意帮助顾客。\"\ntype = \"rating\"\nscale = \"agree5\"\n",
        )],
    ),
    (
        "double_negative",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"The staff were not unhelpful.\"\ntype = \"rating\"\nscale = \"agree5\"\n",
        )],
    ),
    (
        "double_negative",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"店员不够热情，收银也慢。\"\ntype = \"rating\"\nscale = \"agree5\"\nreverse = true\n",
        )],
    ),
    (
        "double_negative",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"The staff were not helpful.\"\ntype = \"rating\"\nscale = \"agree5\"\nreverse = true\n",
        )],
    ),
    (
        "recall_period",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"过去三年里，您投诉过几次？\"\ntype = \"numeric\"\n",
        )],
    ),
    (
        "recall_period",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您去年在本店买了几本书？\"\ntype = \"numeric\"\n",
        )],
    ),
    (
        "recall_period",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How many times have you visited us in the last five years?\"\ntype = \"numeric\"\n",
        )],
    ),
    (
        "recall_period",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"过去 6 个月内，您是否投诉过？\"\ntype = \"single\"\nchoices = [\"是\", \"否\"]\n",
        )],
    ),
    (
        "recall_period",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您成为本店会员几年了？\"\ntype = \"numeric\"\n",
        )],
    ),
    (
        "recall_period",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"In the last 12 months, have you complained to us?\"\ntype = \"single\"\nchoices = [\"Yes\", \"No\"]\n",
        )],
    ),
    (
        "calculation",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您的图书开支中百分之多少花在本店？\"\ntype = \"numeric\"\n",
        )],
    ),
    (
        "calculation",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"On average, how much do you spend with us each month?\"\ntype = \"numeric\"\n",
        )],
    ),
    (
        "calculation",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您最近一次在本店花了多少钱？\"\ntype = \"numeric\"\n",
        )],
    ),
    (
        "calculation",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How much did you spend on your last visit?\"\ntype = \"numeric\"\n",
        )],
    ),
    (
        "hypothetical",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"如果我们开设夜间门店，您会来吗？\"\ntype = \"single\"\nchoices = [\"会\", \"不会\"]\n",
        )],
    ),
    (
        "hypothetical",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"Would you visit us more if we opened on Sundays?\"\ntype = \"single\"\nchoices = [\"Yes\", \"No\"]\n",
        )],
    ),
    (
        "hypothetical",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您最近一次来本店是在晚上吗？\"\ntype = \"single\"\nchoices = [\"是\", \"否\"]\n",
        )],
    ),
    (
        "hypothetical",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"Did you visit us on a Sunday in the last month?\"\ntype = \"single\"\nchoices = [\"Yes\", \"No\"]\n",
        )],
    ),
    // --- scales
    (
        "unbalanced_scale",
        true,
        "zh",
        &[
            (
                "#SCALES",
                "[scales.sat4]\npoints = [1, 4]\nlabels = [\"不满意\", \"一般\", \"满意\", \"非常满意\"]\n",
            ),
            (
                Q,
                "[[question]]\nid = \"x\"\ntext = \"您对店内环境是否满意？\"\ntype = \"rating\"\nscale = \"sat4\"\n",
            ),
        ],
    ),
    (
        "unbalanced_scale",
        true,
        "en",
        &[
            (
                "#SCALES",
                "[scales.quality5]\npoints = [1, 5]\nlabels = [\"Poor\", \"Fair\", \"Good\", \"Very good\", \"Excellent\"]\n",
            ),
            (
                Q,
                "[[question]]\nid = \"x\"\ntext = \"How would you rate the shop?\"\ntype = \"rating\"\nscale = \"quality5\"\n",
            ),
        ],
    ),
    (
        "unbalanced_scale",
        false,
        "zh",
        &[
            (
                "#SCALES",
                "[scales.likely5]\npoints = [1, 5]\nlabels = [\"肯定不会\", \"可能不会\", \"不确定\", \"可能会\", \"肯定会\"]\n",
            ),
            (
                Q,
                "[[question]]\nid = \"x\"\ntext = \"您再次来本店购书的可能性有多大？\"\ntype = \"rating\"\nscale = \"likely5\"\n",
            ),
        ],
    ),
    (
        "unbalanced_scale",
        false,
        "en",
        &[
            (
                "#SCALES",
                "[scales.quality5]\npoints = [1, 5]\nlabels = [\"Very poor\", \"Poor\", \"Fair\", \"Good\", \"Very good\"]\n",
            ),
            (
                Q,
                "[[question]]\nid = \"x\"\ntext = \"How would you rate the shop?\"\ntype = \"rating\"\nscale = \"quality5\"\n",
            ),
        ],
    ),
    (
        "grid_inconsistent",
        true,
        "zh",
        &[
            (
                Q,
                "[[question]]\nid = \"staff_speed\"\ntext = \"您对店员的响应速度打几分？\"\ntype = \"rating\"\nscale = \"score10\"\n",
            ),
            (
                "questions = [\"staff_overall\", \"staff_attitude\"]",
                "questions = [\"staff_overall\", \"staff_attitude\", \"staff_speed\"]",
            ),
        ],
    ),
    (
        "grid_inconsistent",
        false,
        "zh",
        &[
            (
                Q,
                "[[question]]\nid = \"staff_speed\"\ntext = \"您对店员的响应速度是否满意？\"\ntype = \"rating\"\nscale = \"likert5\"\n",
            ),
            (
                "questions = [\"staff_overall\", \"staff_attitude\"]",
                "questions = [\"staff_overall\", \"staff_attitude\", \"staff_speed\"]",
            ),
        ],
    ),
    (
        "reverse_undeclared",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"网站上的信息难以找到。\"\ntype = \"rating\"\nscale = \"agree5\"\n",
        )],
    ),
    (
        "reverse_undeclared",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"The checkout is difficult to use.\"\ntype = \"rating\"\nscale = \"agree5\"\n",
        )],
    ),
    (
        "reverse_undeclared",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"网站上的信息难以找到。\"\ntype = \"rating\"\nscale = \"agree5\"\nreverse = true\n",
        )],
    ),
    (
        "reverse_undeclared",
        false,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"The staff are never too busy to help me.\"\ntype = \"rating\"\nscale = \"agree5\"\n",
        )],
    ),
    (
        "na_option",
        true,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对配送速度是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "na_option",
        true,
        "en",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"How satisfied are you with our app?\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    ),
    (
        "na_option",
        false,
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对配送速度是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\nna = true\n",
        )],
    ),
    // --- weights
    (
        "weights_sum",
        true,
        "zh",
        &[(
            "name = \"图书\"\nweight = 0.5",
            "name = \"图书\"\nweight = 0.7",
        )],
    ),
    ("weights_sum", false, "zh", &[]),
    (
        "ahp_consistency",
        true,
        "zh",
        &[
            ("weight = 0.5\n", ""),
            ("weight = 0.5\n", ""),
            (
                Q,
                "[[question]]\nid = \"env\"\ntext = \"您对店内环境是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
            ),
            (
                "#TREE",
                "[tree.extra]\nname = \"环境\"\nquestions = [\"env\"]\n\n[tree.ahp]\norder = [\"staff\", \"books\", \"extra\"]\nmatrix = [[1, 3, \"1/3\"], [\"1/3\", 1, 3], [3, \"1/3\", 1]]\n",
            ),
        ],
    ),
    (
        "ahp_consistency",
        false,
        "zh",
        &[
            ("weight = 0.5\n", ""),
            ("weight = 0.5\n", ""),
            (
                Q,
                "[[question]]\nid = \"env\"\ntext = \"您对店内环境是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
            ),
            (
                "#TREE",
                "[tree.extra]\nname = \"环境\"\nquestions = [\"env\"]\n\n[tree.ahp]\norder = [\"staff\", \"books\", \"extra\"]\nmatrix = [[1, 2, 4], [\"1/2\", 1, 2], [\"1/4\", \"1/2\", 1]]\n",
            ),
        ],
    ),
    (
        "zero_weight",
        true,
        "zh",
        &[
            (
                "name = \"图书\"\nweight = 0.5",
                "name = \"图书\"\nweight = 0",
            ),
            (
                "name = \"店员\"\nweight = 0.5",
                "name = \"店员\"\nweight = 1",
            ),
        ],
    ),
    ("zero_weight", false, "zh", &[]),
    // --- length
    (
        "completion_time",
        true,
        "zh",
        &[("minutes = 2\n", "minutes = 30\n")],
    ),
    (
        "completion_time",
        true,
        "en",
        &[("minutes = 2\n", "minutes = 0.5\n")],
    ),
    ("completion_time", false, "en", &[]),
];

fn build_case(lang: &str, edits: &[(&str, &str)]) -> String {
    let mut s = if lang == "zh" {
        BASE_ZH.to_string()
    } else {
        BASE_EN.to_string()
    };
    for (from, to) in edits {
        assert!(
            s.contains(from),
            "edit target {from:?} not in the {lang} base survey"
        );
        s = s.replacen(from, to, 1);
    }
    s
}

fn run(text: &str, cfg: &LintConfig) -> Vec<Diagnostic> {
    match load_str("case.toml", text) {
        Outcome::Loaded(l) => lint(&l, cfg),
        Outcome::Invalid(d) => {
            panic!(
                "case does not load:\n{}\n---\n{text}",
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
    }
}

#[test]
fn base_surveys_have_no_findings() {
    for lang in ["zh", "en"] {
        let found = run(&build_case(lang, &[]), &LintConfig::default());
        assert!(
            found.is_empty(),
            "{lang} base: {}",
            found
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn every_rule_case() {
    let cfg = LintConfig::default();
    let mut failures = Vec::new();
    for (i, (rule, fires, lang, edits)) in CASES.iter().enumerate() {
        assert!(rules::rule(rule).is_some(), "case {i}: unknown rule {rule}");
        let text = build_case(lang, edits);
        let found = match load_str("case.toml", &text) {
            Outcome::Loaded(l) => lint(&l, &cfg),
            Outcome::Invalid(d) => {
                failures.push(format!("case {i} ({rule}, {lang}) does not load: {}", d[0]));
                continue;
            }
        };
        let hits: Vec<&Diagnostic> = found
            .iter()
            .filter(|d| d.rule.as_deref() == Some(*rule))
            .collect();
        if hits.is_empty() == *fires {
            failures.push(format!(
                "case {i} ({rule}, {lang}) expected {}; findings:\n  {}",
                if *fires { "a finding" } else { "none" },
                found
                    .iter()
                    .map(|d| d.to_string().replace('\n', "\n  "))
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
        for d in hits {
            assert!(
                !d.help.is_empty(),
                "{rule}: every finding has a one-line fix"
            );
            assert!(!d.help.contains('\n'), "{rule}: the fix is one line");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_a_positive_and_a_negative_case() {
    let mut ids = std::collections::HashSet::new();
    for r in RULES {
        assert!(ids.insert(r.id), "rule id {} is used twice", r.id);
        assert!(
            CASES.iter().any(|c| c.0 == r.id && c.1),
            "rule {} has no case that fires",
            r.id
        );
        assert!(
            CASES.iter().any(|c| c.0 == r.id && !c.1),
            "rule {} has no case that does not fire",
            r.id
        );
        assert!(
            !r.bad.is_empty() && !r.good.is_empty() && !r.description.is_empty(),
            "rule {} lacks docs",
            r.id
        );
    }
}

#[test]
fn finding_points_at_the_offending_text() {
    let text = build_case(
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对本店的价格和服务质量是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    );
    let found = run(&text, &LintConfig::default());
    let d = found
        .iter()
        .find(|d| d.rule.as_deref() == Some("double_barrelled"))
        .unwrap();
    let line = text.lines().nth(d.line - 1).unwrap();
    let at: String = line.chars().skip(d.column - 1).take(1).collect();
    assert_eq!(at, "和", "{d}");
}

#[test]
fn rules_file_turns_rules_off_and_regrades_them() {
    let text = build_case(
        "zh",
        &[(
            Q,
            "[[question]]\nid = \"x\"\ntext = \"您对本店的价格和服务质量是否满意？\"\ntype = \"rating\"\nscale = \"sat5\"\n",
        )],
    );
    let table: toml::Table = toml::from_str("[rules]\ndouble_barrelled = \"error\"").unwrap();
    let cfg = LintConfig::from_table(&table, Path::new("r.toml"), "").unwrap();
    let found = run(&text, &cfg);
    assert!(found.iter().any(|d| d.rule.as_deref() == Some("double_barrelled") && d.severity == Severity::Error));
    let table: toml::Table = toml::from_str("[rules]\ndouble_barrelled = \"off\"").unwrap();
    let cfg = LintConfig::from_table(&table, Path::new("r.toml"), "").unwrap();
    assert!(run(&text, &cfg).is_empty());
    let bad: toml::Table = toml::from_str("[rules]\ndouble_barreled = \"off\"").unwrap();
    let e = LintConfig::from_table(
        &bad,
        Path::new("r.toml"),
        "[rules]\ndouble_barreled = \"off\"",
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("did you mean 'double_barrelled'"),
        "{e}"
    );
    assert!(e.to_string().contains("r.toml:2"), "{e}");
}

#[test]
fn settings_change_limits() {
    let text = build_case("zh", &[]);
    let table: toml::Table =
        toml::from_str("max_question_chars_zh = 8\n[settings]\nreading_speed_zh = 10").unwrap();
    let cfg = LintConfig::from_table(&table, Path::new("r.toml"), "").unwrap();
    let found = run(&text, &cfg);
    assert!(
        found
            .iter()
            .any(|d| d.rule.as_deref() == Some("long_question"))
    );
    assert!(
        found
            .iter()
            .any(|d| d.rule.as_deref() == Some("completion_time"))
    );
}

#[test]
fn docs_list_every_rule() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lint-rules.md"))
        .expect("docs/lint-rules.md");
    for r in RULES {
        assert!(
            doc.contains(&format!("### {}", r.id)),
            "docs/lint-rules.md lacks rule {}",
            r.id
        );
    }
    assert_eq!(
        doc,
        rules::markdown(),
        "docs/lint-rules.md is out of date: run `satkit lint --list-rules --format markdown > docs/lint-rules.md`"
    );
}
