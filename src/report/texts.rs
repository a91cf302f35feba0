//! Fixed texts of the analysis report, one `Texts` value per language (`ZH`, `EN`).
//!
//! Only wording lives here: labels that come from the survey (node names, item texts) are taken
//! from the results. Templates mark their slots with `{}` and are filled in order by [`fill`].

use crate::model::Language;

/// Every fixed string the report uses.
pub struct Texts {
    pub html_lang: &'static str,
    pub report: &'static str,
    pub contents: &'static str,
    pub generated: &'static str,
    pub missing: &'static str,
    pub list_sep: &'static str,
    /// Between a label and its value.
    pub colon: &'static str,
    /// A bracketed remark after a value.
    pub paren: &'static str,

    // Section titles.
    pub sec_headline: &'static str,
    pub sec_tree: &'static str,
    pub sec_priorities: &'static str,
    pub sec_items: &'static str,
    pub sec_gaps: &'static str,
    pub sec_segments: &'static str,
    pub sec_quality: &'static str,
    pub sec_method: &'static str,

    // Headline.
    pub index: &'static str,
    pub ci95: &'static str,
    pub respondents: &'static str,
    pub field_period: &'static str,
    pub margin: &'static str,
    pub nps: &'static str,
    /// promoters {}, detractors {}
    pub nps_detail: &'static str,
    pub csat: &'static str,
    /// top-{k}-box of {item} (mean {})
    pub csat_detail: &'static str,
    pub strongest: &'static str,
    pub concentrate: &'static str,
    /// name score (importance {}, priority {}; quadrant)
    pub priority_item: &'static str,
    pub no_priorities: &'static str,

    // Indicator tree.
    pub tree_intro: &'static str,
    pub col_node: &'static str,
    pub col_score: &'static str,
    pub col_ci: &'static str,
    pub col_weight: &'static str,
    pub col_effective_weight: &'static str,
    pub col_n: &'static str,
    pub col_fuzzy: &'static str,
    /// Fuzzy evaluation: operator {}, grades {}.
    pub fuzzy_note: &'static str,
    /// Where the maximum-membership grade differs from the weighted score's grade: the list of
    /// "node: grade / score grade".
    pub fuzzy_disagree: &'static str,

    // Priorities.
    /// Drivers of {}.
    pub priorities_intro: &'static str,
    /// {level}: R² {}, adjusted R² {} (n = {}).
    pub r2_line: &'static str,
    pub priorities_none: &'static str,
    pub col_rank: &'static str,
    pub col_level: &'static str,
    pub col_quadrant: &'static str,
    pub col_importance: &'static str,
    pub col_performance: &'static str,
    pub col_priority: &'static str,
    pub meaning: &'static str,
    /// importance ({} = measure name)
    pub def_importance: &'static str,
    pub def_performance: &'static str,
    pub def_priority: &'static str,
    pub def_quadrant: &'static str,
    /// The crosshairs sit at {}.
    pub crosshairs_mean: &'static str,
    pub crosshairs_midpoint: &'static str,
    pub q_concentrate: &'static str,
    pub q_keep_up: &'static str,
    pub q_low_priority: &'static str,
    pub q_overkill: &'static str,
    pub q_concentrate_def: &'static str,
    pub q_keep_up_def: &'static str,
    pub q_low_priority_def: &'static str,
    pub q_overkill_def: &'static str,
    pub level_dimension: &'static str,
    pub level_indicator: &'static str,
    pub measure_relative_weight: &'static str,
    pub measure_beta: &'static str,

    // Items.
    pub items_intro: &'static str,
    /// Means and shares are weighted by column {}.
    pub items_weighted: &'static str,
    pub reverse_note: &'static str,
    pub col_item: &'static str,
    pub col_text: &'static str,
    pub col_scale: &'static str,
    pub col_mean: &'static str,
    pub col_top2: &'static str,
    pub col_bottom2: &'static str,

    // Gaps.
    pub gaps_intro: &'static str,
    pub gaps_by_dimension: &'static str,
    pub gaps_by_attribute: &'static str,
    pub col_dimension: &'static str,
    pub col_attribute: &'static str,
    pub col_expectation: &'static str,
    pub col_perception: &'static str,
    pub col_gap: &'static str,
    pub col_p: &'static str,
    pub col_not_met: &'static str,

    // Segments.
    /// Node scores by {}.
    pub segments_by: &'static str,
    pub segments_intro: &'static str,
    pub col_effect: &'static str,
    pub crosstabs: &'static str,
    pub col_question: &'static str,

    // Quality.
    pub reliability: &'static str,
    pub reliability_intro: &'static str,
    pub col_scope: &'static str,
    pub col_k: &'static str,
    pub col_alpha: &'static str,
    pub col_avg_r: &'static str,
    pub col_weakening: &'static str,
    pub validity: &'static str,
    /// KMO {} ({}); Bartlett χ² {}, df {}, p {}; n = {}.
    pub kmo_line: &'static str,
    /// {} factors ({} rule), {} extraction, {} rotation.
    pub factors_line: &'static str,
    pub no_factor: &'static str,
    pub loadings: &'static str,
    pub col_communality: &'static str,
    pub off_dimension: &'static str,
    pub off_dimension_intro: &'static str,
    pub off_dimension_none: &'static str,
    pub col_dimension_factor: &'static str,
    pub col_loads_on: &'static str,
    pub col_loading: &'static str,
    pub col_loading_dimension: &'static str,
    pub correlations_note: &'static str,

    // Method.
    pub sample: &'static str,
    pub n_analysed: &'static str,
    pub n_weighted: &'static str,
    pub n_effective: &'static str,
    pub population: &'static str,
    pub planned: &'static str,
    /// ±{} at 95% for a proportion of 50%
    pub margin_detail: &'static str,
    pub data_file: &'static str,
    pub weight_column: &'static str,
    pub weights_used: &'static str,
    pub col_method: &'static str,
    pub col_weights: &'static str,
    pub col_ahp_cr: &'static str,
    pub consistent: &'static str,
    pub inconsistent: &'static str,
    pub missing_data: &'static str,
    /// Correlations {}, reliability {}, factor analysis {}, node scores {}.
    pub missing_line: &'static str,
    pub flagged: &'static str,
    /// {} respondents carry a quality flag and are included.
    pub flagged_line: &'static str,
    pub notes: &'static str,
    pub omitted: &'static str,
    pub version: &'static str,
}

/// Chinese report texts.
pub const ZH: Texts = Texts {
    html_lang: "zh-CN",
    report: "满意度调查分析报告",
    contents: "目录",
    generated: "生成时间",
    missing: "–",
    list_sep: "、",
    colon: "：",
    paren: "（{}）",

    sec_headline: "摘要",
    sec_tree: "指标体系得分",
    sec_priorities: "改进优先级",
    sec_items: "题项结果",
    sec_gaps: "期望与感知差距",
    sec_segments: "分组比较",
    sec_quality: "问卷质量",
    sec_method: "方法说明",

    index: "总体满意度指数",
    ci95: "95% 置信区间",
    respondents: "有效样本",
    field_period: "调查时间",
    margin: "抽样误差",
    nps: "净推荐值（NPS）",
    nps_detail: "推荐者 {}，贬损者 {}",
    csat: "总体满意度（CSAT）",
    csat_detail: "总体评价题前 {} 档占比（{}，均值 {}）",
    strongest: "表现最好的维度",
    concentrate: "优先改进",
    priority_item: "{} {}（重要性 {}，优先指数 {}；{}）",
    no_priorities: "未能计算改进优先级。",

    tree_intro: "各节点得分为 0–100 分：受访者在该节点下题项得分的加权平均。权重为同级节点之间的权重，综合权重为从总指数到该节点各级权重的乘积。",
    col_node: "指标",
    col_score: "得分",
    col_ci: "95% 置信区间",
    col_weight: "权重",
    col_effective_weight: "综合权重",
    col_n: "样本量",
    col_fuzzy: "模糊评价等级",
    fuzzy_note: "模糊综合评价：算子 {}，评语集 {}。",
    fuzzy_disagree: "以下节点的最大隶属度等级与加权得分等级不一致（括号内为最大隶属度等级 / 加权得分等级，α 为最大隶属度原则的有效度）：{}。α ≥ 0.5 时报告最大隶属度等级，否则按加权平均原则报告加权得分等级。",

    priorities_intro: "驱动分析的因变量：“{}”。",
    r2_line: "{}模型 R² = {}，调整后 R² = {}（n = {}）",
    priorities_none: "未能计算改进优先级：",
    col_rank: "排序",
    col_level: "层级",
    col_quadrant: "象限",
    col_importance: "重要性",
    col_performance: "表现得分",
    col_priority: "优先指数",
    meaning: "各数字的含义",
    def_importance: "该指标对因变量的影响在同层级中所占的份额（{}），同层级合计为 100%。",
    def_performance: "该指标的 0–100 分得分。",
    def_priority: "重要性 × (100 − 表现得分)：重要且得分低的指标排在前面。",
    def_quadrant: "重要性–表现分析（IPA）中的位置。{}",
    crosshairs_mean: "分界线位于重要性和表现的均值处。",
    crosshairs_midpoint: "分界线位于表现 50 分和重要性均值处。",
    q_concentrate: "重点改进区",
    q_keep_up: "继续保持区",
    q_low_priority: "次要改进区",
    q_overkill: "过度投入区",
    q_concentrate_def: "重要性高、表现低：最需要改进。",
    q_keep_up_def: "重要性高、表现高：保持优势。",
    q_low_priority_def: "重要性低、表现低：资源有余时再改进。",
    q_overkill_def: "重要性低、表现高：投入可能超过需要。",
    level_dimension: "维度",
    level_indicator: "指标",
    measure_relative_weight: "相对权重",
    measure_beta: "标准化回归系数",

    items_intro: "分歧条形图显示各选项的占比；前两档为最满意两档的占比，后两档为最不满意两档的占比。",
    items_weighted: "均值和占比按权重列「{}」加权。",
    reverse_note: "（反）表示反向计分题，此处为原始方向的结果。",
    col_item: "题号",
    col_text: "题目",
    col_scale: "量表",
    col_mean: "均值",
    col_top2: "前两档",
    col_bottom2: "后两档",

    gaps_intro: "差距 = 感知 − 期望，负值表示服务未达到顾客期望。p 值来自配对 t 检验。",
    gaps_by_dimension: "按维度",
    gaps_by_attribute: "按属性",
    col_dimension: "维度",
    col_attribute: "属性",
    col_expectation: "期望",
    col_perception: "感知",
    col_gap: "差距",
    col_p: "p 值",
    col_not_met: "未达期望",

    segments_by: "按「{}」分组",
    segments_intro: "各组的节点得分（0–100）。* 表示组间差异显著（p < 0.05，Welch 检验）。",
    col_effect: "效应量",
    crosstabs: "交叉表检验",
    col_question: "题目",

    reliability: "信度",
    reliability_intro: "Cronbach's α：0.7 以上通常视为可接受。最后一列列出删除后 α 会升高的题项（括号内为删除后的 α）。",
    col_scope: "范围",
    col_k: "题数",
    col_alpha: "α",
    col_avg_r: "平均题间相关",
    col_weakening: "削弱信度的题项",
    validity: "结构效度",
    kmo_line: "KMO = {}（{}）；Bartlett 球形检验 χ² = {}，df = {}，p {}；n = {}。",
    factors_line: "提取 {} 个因子（规则：{}），{}法提取，{}旋转。",
    no_factor: "未进行因子分析。",
    loadings: "因子载荷",
    col_communality: "共同度",
    off_dimension: "偏离所属维度的题项",
    off_dimension_intro: "这些题项在其他因子上的载荷最高，而不是在本维度多数题项所在的因子上。",
    off_dimension_none: "所有题项都主要载荷在其所属维度的因子上。",
    col_dimension_factor: "维度所在因子",
    col_loads_on: "最高载荷因子",
    col_loading: "载荷",
    col_loading_dimension: "在维度因子上的载荷",
    correlations_note: "题项之间的 Pearson 相关系数见相关热图和 tables/correlations.csv。",

    sample: "样本",
    n_analysed: "分析样本",
    n_weighted: "加权样本量",
    n_effective: "有效样本量（Kish）",
    population: "总体规模",
    planned: "计划样本量",
    margin_detail: "±{}（95% 置信度，比例为 50% 时）",
    data_file: "数据文件",
    weight_column: "权重列",
    weights_used: "使用的权重",
    col_method: "方法",
    col_weights: "下级权重",
    col_ahp_cr: "AHP 一致性比率",
    consistent: "通过",
    inconsistent: "未通过",
    missing_data: "缺失数据处理",
    missing_line: "相关分析：{}；信度分析：{}；因子分析：{}；节点得分：{}（使用已回答的下级并重新归一化权重）。",
    flagged: "标记的受访者",
    flagged_line: "{} 名受访者带有质量标记（如直线作答、作答过快），仍纳入分析。",
    notes: "提示",
    omitted: "未计算的统计量",
    version: "软件版本",
};

/// English report texts.
pub const EN: Texts = Texts {
    html_lang: "en",
    report: "Satisfaction survey report",
    contents: "Contents",
    generated: "Generated",
    missing: "–",
    list_sep: ", ",
    colon: ": ",
    paren: " ({})",

    sec_headline: "Headline",
    sec_tree: "Indicator tree",
    sec_priorities: "Improvement priorities",
    sec_items: "Items",
    sec_gaps: "Gaps between expectation and perception",
    sec_segments: "Segments",
    sec_quality: "Quality of the instrument",
    sec_method: "Method",

    index: "Satisfaction index",
    ci95: "95% CI",
    respondents: "Respondents",
    field_period: "Field period",
    margin: "Margin of error",
    nps: "Net Promoter Score",
    nps_detail: "promoters {}, detractors {}",
    csat: "CSAT",
    csat_detail: "top-{}-box of {} (mean {})",
    strongest: "Strongest areas",
    concentrate: "Concentrate here",
    priority_item: "{} {} (importance {}, priority {}; {})",
    no_priorities: "Improvement priorities could not be computed.",

    tree_intro: "Each node's score is on 0–100: the weighted mean of respondents' scores on the items under it. Weight is the weight among siblings; effective weight is the product of the weights from the index down to the node.",
    col_node: "Node",
    col_score: "Score",
    col_ci: "95% CI",
    col_weight: "Weight",
    col_effective_weight: "Effective weight",
    col_n: "n",
    col_fuzzy: "Fuzzy grade",
    fuzzy_note: "Fuzzy comprehensive evaluation: operator {}, grades {}.",
    fuzzy_disagree: "The maximum-membership grade differs from the grade of the weighted score at: {} (maximum membership / weighted score, with the effectiveness α of the maximum-membership principle). The grade reported is the maximum membership's where α ≥ 0.5 and the weighted score's otherwise.",

    priorities_intro: "Drivers of “{}”.",
    r2_line: "R² of the {} model {}, adjusted {} (n = {})",
    priorities_none: "Improvement priorities could not be computed: ",
    col_rank: "Rank",
    col_level: "Level",
    col_quadrant: "Quadrant",
    col_importance: "Importance",
    col_performance: "Score",
    col_priority: "Priority",
    meaning: "What the numbers mean",
    def_importance: "the node's share of the influence on the outcome among nodes of its level ({}); shares of a level add up to 100%.",
    def_performance: "the node's score on 0–100.",
    def_priority: "importance × (100 − score): important nodes with low scores come first.",
    def_quadrant: "the node's place in the importance–performance analysis (IPA). {}",
    crosshairs_mean: "The crosshairs sit at the mean importance and mean score.",
    crosshairs_midpoint: "The crosshairs sit at the mean importance and a score of 50.",
    q_concentrate: "concentrate here",
    q_keep_up: "keep up the good work",
    q_low_priority: "low priority",
    q_overkill: "possible overkill",
    q_concentrate_def: "important and scored low: improve these first.",
    q_keep_up_def: "important and scored high: protect the strength.",
    q_low_priority_def: "less important and scored low: improve when resources allow.",
    q_overkill_def: "less important and scored high: effort may exceed what customers need.",
    level_dimension: "dimension",
    level_indicator: "indicator",
    measure_relative_weight: "relative weight",
    measure_beta: "standardised beta",

    items_intro: "The diverging bars show the share of every answer; top-2-box is the share in the two best answers, bottom-2-box in the two worst.",
    items_weighted: "Means and shares are weighted by column '{}'.",
    reverse_note: "(R) marks reverse-coded items, shown in their original direction.",
    col_item: "Item",
    col_text: "Question",
    col_scale: "Scale",
    col_mean: "Mean",
    col_top2: "Top-2-box",
    col_bottom2: "Bottom-2-box",

    gaps_intro: "Gap = perception − expectation; a negative gap means the service falls short of what customers expect. p-values are from paired t-tests.",
    gaps_by_dimension: "By dimension",
    gaps_by_attribute: "By attribute",
    col_dimension: "Dimension",
    col_attribute: "Attribute",
    col_expectation: "Expectation",
    col_perception: "Perception",
    col_gap: "Gap",
    col_p: "p",
    col_not_met: "Not met",

    segments_by: "By '{}'",
    segments_intro: "Node scores (0–100) per group. * marks a significant difference between groups (p < 0.05, Welch test).",
    col_effect: "Effect size",
    crosstabs: "Cross-tabulations",
    col_question: "Question",

    reliability: "Reliability",
    reliability_intro: "Cronbach's alpha: 0.7 or more is usually acceptable. The last column lists items whose removal would raise alpha (alpha if deleted in brackets).",
    col_scope: "Scope",
    col_k: "Items",
    col_alpha: "Alpha",
    col_avg_r: "Mean inter-item r",
    col_weakening: "Items that weaken it",
    validity: "Construct validity",
    kmo_line: "KMO = {} ({}); Bartlett's test χ² = {}, df = {}, p {}; n = {}.",
    factors_line: "{} factors (rule: {}), {} extraction, {} rotation.",
    no_factor: "No factor analysis was run.",
    loadings: "Factor loadings",
    col_communality: "Communality",
    off_dimension: "Items off their dimension",
    off_dimension_intro: "These items load highest on another factor than the one most items of their dimension load on.",
    off_dimension_none: "Every item loads highest on its dimension's factor.",
    col_dimension_factor: "Dimension's factor",
    col_loads_on: "Loads on",
    col_loading: "Loading",
    col_loading_dimension: "Loading on dimension's factor",
    correlations_note: "Pearson correlations between items: see the correlation heatmap and tables/correlations.csv.",

    sample: "Sample",
    n_analysed: "Respondents analysed",
    n_weighted: "Weighted n",
    n_effective: "Effective n (Kish)",
    population: "Population size",
    planned: "Planned n",
    margin_detail: "±{} at 95% for a proportion of 50%",
    data_file: "Data file",
    weight_column: "Weight column",
    weights_used: "Weights used",
    col_method: "Method",
    col_weights: "Weights of the children",
    col_ahp_cr: "AHP consistency ratio",
    consistent: "consistent",
    inconsistent: "inconsistent",
    missing_data: "Missing data",
    missing_line: "Correlations: {}; reliability: {}; factor analysis: {}; node scores: {} (answered children with weights renormalised).",
    flagged: "Flagged respondents",
    flagged_line: "{} respondents carry a quality flag (such as straight-lining or speeding) and are included.",
    notes: "Notes",
    omitted: "Statistics not computed",
    version: "Software",
};

/// The texts for a survey language.
pub fn texts(language: Language) -> &'static Texts {
    match language {
        Language::Zh => &ZH,
        Language::En => &EN,
    }
}

/// Fill the `{}` slots of a template in order; surplus arguments are ignored and missing ones
/// leave the slot empty.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        if let Some(a) = args.next() {
            out.push_str(a);
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

impl Texts {
    /// A quadrant id as words.
    pub fn quadrant(&self, id: &str) -> String {
        match id {
            "concentrate_here" => self.q_concentrate,
            "keep_up" => self.q_keep_up,
            "low_priority" => self.q_low_priority,
            "possible_overkill" => self.q_overkill,
            other => other,
        }
        .to_string()
    }

    /// A tree level (dimension or indicator) as words.
    pub fn level(&self, id: &str) -> String {
        match id {
            "dimension" => self.level_dimension,
            "indicator" => self.level_indicator,
            other => other,
        }
        .to_string()
    }

    /// Kaiser's KMO label, weight methods, missing policies and similar codes as words.
    pub fn term(&self, code: &str) -> String {
        let zh = self.html_lang == "zh-CN";
        let w = match (code, zh) {
            ("marvelous", true) => "极好",
            ("meritorious", true) => "很好",
            ("middling", true) => "中等",
            ("mediocre", true) => "一般",
            ("miserable", true) => "较差",
            ("unacceptable", true) => "不可接受",
            ("explicit", true) => "指定",
            ("explicit", false) => "stated",
            ("equal", true) => "等权",
            ("ahp", true) => "层次分析法（AHP）",
            ("ahp", false) => "AHP",
            ("entropy", true) => "熵权法",
            ("regression", true) => "回归",
            ("pairwise", true) => "成对删除",
            ("pairwise", false) => "pairwise deletion",
            ("listwise", true) => "列表删除",
            ("listwise", false) => "listwise deletion",
            ("available", true) => "可用数据",
            ("available", false) => "available data",
            ("weighted_average", true) => "加权平均型 M(·,⊕)",
            ("weighted_average", false) => "weighted average M(·,⊕)",
            ("max_min", true) => "主因素决定型 M(∧,∨)",
            ("max_min", false) => "max–min M(∧,∨)",
            ("dimensions", true) => "按维度数",
            ("dimensions", false) => "one per dimension",
            ("kaiser", true) => "特征值大于 1",
            ("kaiser", false) => "eigenvalues above 1",
            ("fixed", true) => "指定",
            ("fixed", false) => "fixed",
            ("minres", true) => "最小残差",
            ("principal", true) => "主成分",
            ("varimax", true) => "方差最大",
            ("welch_t", true) => "Welch t 检验",
            ("welch_t", false) => "Welch t",
            ("welch_anova", true) => "Welch 方差分析",
            ("welch_anova", false) => "Welch ANOVA",
            ("dimension", _) | ("indicator", _) => return self.level(code),
            _ => code,
        };
        w.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_slots_in_order() {
        assert_eq!(fill("a {} b {} c", &["1", "2"]), "a 1 b 2 c");
        assert_eq!(fill("{}{}", &["x"]), "x");
        assert_eq!(fill("none", &["x"]), "none");
    }

    #[test]
    fn both_languages_name_every_section() {
        for t in [&ZH, &EN] {
            for s in [
                t.sec_headline,
                t.sec_tree,
                t.sec_priorities,
                t.sec_items,
                t.sec_gaps,
                t.sec_segments,
                t.sec_quality,
                t.sec_method,
            ] {
                assert!(!s.is_empty());
            }
        }
    }
}
