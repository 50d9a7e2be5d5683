"""Advice and fixes data (read by advice.py and fixes.py): Simplified Chinese; advice is shown in the
profile's script (wording.py), replacements in the draft's own script. A Python module, not YAML,
so that a pre-commit run never imports a YAML parser for it."""

from __future__ import annotations

# Named in a template when the sentence, its line, its paragraph or the title names one (the
# leftmost, longest first). Folded text: Taiwan/Hong Kong wording is mainland wording here.
DISEASES: tuple[str, ...] = (
    "类风湿关节炎", "类风湿性关节炎", "类风湿", "系统性红斑狼疮", "红斑狼疮", "1型糖尿病", "2型糖尿病", "糖尿病足",
    "糖尿病", "重度抑郁症", "抑郁症", "抑郁障碍",
    "缺血性脑卒中", "脑卒中", "中风", "脑梗死", "脑梗", "脊髓损伤", "帕金森病", "阿尔茨海默病", "渐冻症",
    "肌萎缩侧索硬化", "多发性硬化", "自闭症", "孤独症",
    "肝硬化", "肝衰竭", "心力衰竭", "心衰", "心肌梗死", "膝骨关节炎", "骨关节炎", "炎症性肠病", "克罗恩病",
    "溃疡性结肠炎", "系统性硬化病", "干燥综合征", "银屑病",
    "特应性皮炎", "慢阻肺", "肺纤维化", "卵巢早衰", "不孕症", "白血病", "淋巴瘤", "骨髓瘤", "癌症", "肿瘤",
    "股骨头坏死", "脑瘫", "视网膜色素变性", "黄斑变性",
)

THERAPIES: tuple[str, ...] = (
    "间充质干细胞", "脐带间充质干细胞", "脐带血干细胞", "造血干细胞", "诱导多能干细胞", "iPS细胞", "神经干细胞",
    "干细胞外泌体", "外泌体", "CAR-T", "NK细胞",
    "免疫细胞", "细胞治疗", "基因治疗", "干细胞", "MSCs", "MSC",
)

ANIMALS: tuple[str, ...] = (
    "小鼠", "大鼠", "模型鼠", "猴", "食蟹猴", "犬", "猪", "斑马鱼", "动物模型", "体外实验", "细胞实验", "类器官",
)

# Replacement wording for matched terms, per rule, beside the rule's own `suggestions:`. A
# replacement is an unsafe fix (it changes what the article says). Keys are folded (Simplified).
REWRITES: dict[str, dict[str, str]] = {
    "CLM001": {
        "最佳": "较好",
        "最好": "较好",
        "最优": "较优",
        "最先进": "较新",
        "最有效": "有效",
        "最安全": "安全性较好",
        "最新技术": "新技术",
        "最新疗法": "新疗法",
        "顶级": "专业",
        "顶尖": "专业",
        "全球首款": "一款",
        "全球首个": "一个",
        "全国首家": "一家",
        "首款": "一款",
        "首个": "一个",
        "首家": "一家",
        "独家": "",
        "史无前例": "少见",
        "独一无二": "特殊",
    },
    "CLM002": {
        "治愈": "改善症状",
        "根治": "控制病情",
        "痊愈": "症状缓解",
        "治好": "改善",
        "彻底治愈": "明显改善症状",
        "完全治愈": "明显改善症状",
        "永不复发": "随访期内未见复发",
        "不再复发": "随访期内未见复发",
        "不复发": "随访期内未见复发",
        "彻底修复": "部分改善",
        "恢复如初": "部分恢复",
        "康复如初": "部分恢复",
        "一针见效": "部分患者在治疗后症状改善",
        "立竿见影": "较快起效",
        "根除": "控制",
    },
    "CLM006": {
        "突破性": "新",
        "革命性": "新",
        "颠覆性": "新",
        "重大突破": "新进展",
        "历史性突破": "新进展",
        "彻底改写": "改变",
        "彻底改变": "改变",
        "改写历史": "带来新进展",
        "改写了历史": "带来了新进展",
        "里程碑": "进展",
        "划时代": "新",
        "曙光": "新的研究方向",
        "希望之光": "新的研究方向",
        "福音": "新的治疗选择（仍在研究中）",
        "新纪元": "新阶段",
        "必将": "可能",
        "一定能": "可能",
        "终将攻克": "有望改善",
        "奇迹": "进展",
        "医学奇迹": "医学进展",
        "神药": "新药",
        "神奇疗效": "疗效",
        "救星": "新选择",
        "万能细胞": "多能干细胞",
    },
}

# A matched span that starts with one of these is rewritten at its start only
# (修复了受损关节 → 改善了受损关节).
PREFIX_REWRITES: dict[str, dict[str, str]] = {
    "CLM002": {
        "修复了": "改善了",
        "重建了": "部分恢复了",
        "逆转": "延缓",
    },
}

# The disclaimer DSC001's safe fix adds at the end of a draft (per profile; tw/hk converted).
DISCLAIMER: dict[str, str] = {
    "cn": "免责声明：本文仅供科普参考，不构成任何医疗建议。如有不适请及时就医，具体诊疗请咨询专业医生。",
    "tw": "免责声明：本文仅供卫教参考，不构成任何医疗建议。如有不适请及时就医，具体诊疗请咨询专业医师。",
    "hk": "免责声明：本文仅供科普参考，不构成任何医疗建议。如有不适请及时就医，具体诊疗请咨询注册医生。",
}

# Advice per rule. Placeholders: {match} the matched text; {replacement} the match rewritten
# (`replace` templates are used only when there is a rewrite); {suggestion} the rule's suggestion
# for the match (`suggest`); {therapy} {disease} {patients} {animal} {topic} {trial} from the
# context; {disclaimer}. A document check picks its template by id (META001: author, date…).
TEMPLATES: dict[str, dict[str, str]] = {
    "ADV001": {
        "default": ("删除“{match}”所在的导流信息：科普文章不放联系方式、预约、价格或购买渠道；想了解{therapy}临床"
                    "试验的读者，可引导到正规医院或临床试验登记平台。"),
    },
    "ADV002": {
        "default": ("删除“{match}”这类个案证言或名人背书，改写为研究结果：“一项纳入 n 名{patients}的试验中，X% 的"
                    "受试者……（注明出处）”。"),
    },
    "CIT001": {
        "default": ("给“{match}”注明出处：在句末加文献编号或具名来源，如“……{match}（作者/机构，期刊，年份）[1]”；"
                    "找不到出处就删去这个数字。"),
    },
    "CIT002": {
        "default": ("把“{match}”改为具名来源：“某大学某团队 2024 年发表于《期刊名》的{topic}研究显示……[1]”，并在"
                    "文末列出该文献。"),
    },
    "CLM001": {
        "replace": "把“{match}”改为“{replacement}”，或写明可核实的来源（批准机构、日期与公告）。",
        "suggest": "“{match}”：{suggestion}。",
        "default": "删除“{match}”，或写明可核实的来源（批准机构、日期与公告）。",
    },
    "CLM002": {
        "replace": ("把“{match}”改为“{replacement}”，并写出研究实际测得的结果与证据阶段：“{therapy}在一项小样本早"
                    "期试验中使部分{patients}症状缓解（注明样本量与随访时长）”。"),
        "default": ("“{match}”是疗效保证：改写为研究实际测得的结果，如“{therapy}在一项小样本早期试验中使部分{pati"
                    "ents}症状缓解（注明样本量与随访时长）”。"),
    },
    "CLM003": {
        "suggest": ("把“{match}”改为具体数据：{suggestion}，如“{therapy}试验中不良事件发生率为 X%（n=…，随访…个月"
                    "，来源）”。"),
        "default": ("把“{match}”改为具体数据：写明已知风险与不良事件发生率，如“{therapy}试验中不良事件发生率为 X%"
                    "（n=…，随访…个月，来源）”。"),
    },
    "CLM004": {
        "suggest": "“{match}”：{suggestion}；推广性质的文章不得出现有效率或治愈率。",
        "default": ("“{match}”须写明研究设计、样本量、随访时间与出处，如“一项纳入 n 名{patients}的单臂试验报告……"
                    "（来源）”；推广性质的文章不得出现有效率或治愈率。"),
    },
    "CLM005": {
        "suggest": "“{match}”：{suggestion}；停药或调整用药须遵医嘱。",
        "default": "删除“{match}”这样的比较，或只引用头对头随机对照试验并注明出处与样本量；停药或调整用药须遵医嘱。",
    },
    "CLM006": {
        "replace": "把“{match}”改为“{replacement}”，用研究本身的结论代替评价。",
        "default": "删除“{match}”，用研究本身的结论代替评价：“一项 I 期试验显示{therapy}耐受性良好”。",
    },
    "DSC001": {
        "default": "在文末加一段免责声明：“{disclaimer}”",
    },
    "DSC002": {
        "default": "把免责声明“{match}”移到文首或文末，让读者一眼看到。",
    },
    "EVD001": {
        "default": "“{match}”的证据来自{animal}：写明研究对象（“在{animal}中……”），并说明尚未在{patients}中证实。",
    },
    "EVD002": {
        "default": "“{match}”把相关写成了因果：观察性研究只能说“与……相关”，写明研究类型，并提示可能的混杂因素。",
    },
    "EVD003": {
        "default": ("“{match}”：{therapy}用于{disease}目前仍属临床研究，改写为“仅在经备案的临床研究中使用”，并给"
                    "出登记号；不要写费用或疗程。"),
    },
    "KPL001": {
        "default": "在指令“{match}”后写明理由：“<!-- kepulint-disable 代码 -- 理由 -->”。",
    },
    "KPL002": {
        "default": "删除不再抑制任何诊断的指令“{match}”。",
    },
    "KPL003": {
        "default": "改正指令“{match}”中的规则代码或指令名（kepulint rules 列出全部代码）。",
    },
    "META001": {
        "author": "在文首署名作者与审核专家：“作者：姓名（职称、单位）；审核：姓名（职称、单位）”。",
        "date": "在文首或文末写明日期：“发布于 YYYY-MM-DD”，修订后加“更新于 YYYY-MM-DD”。",
        "references": "在文末加“参考文献”一节，列出文中引用的研究（作者、题目、期刊、年份、DOI）。",
    },
    "TRL001": {
        "default": ("给“{match}”附上登记号与平台：“{trial}（NCT0000000X，ClinicalTrials.gov）{match}，截至 YYYY "
                    "年 MM 月”。"),
    },
    "TRL002": {
        "default": ("在“{match}”旁注明状态的截至日期：“{match}（截至 YYYY 年 MM 月，据 ClinicalTrials.gov）”；状"
                    "态超过 24 个月的请重新核对。"),
    },
    "TRL003": {
        "default": ("核对登记号“{match}”：NCT 后接 8 位数字，ChiCTR 后接 10 位数字（如 ChiCTR2000012345），CTR 后"
                    "接 8 位数字，在登记平台检索确认。"),
    },
}
