"""The forms of supervision work (seed 004: 交办单、电话记录、催办通知书、督办卡、转办单、
整改建议书、归档目录) and which of them carry a number of their own."""

from django.db import models


class FormKind(models.TextChoices):
    ASSIGNMENT_NOTICE = "assignment_notice", "督查事项交办通知单"
    INSTRUCTION_SLIP = "instruction_slip", "领导批示呈批单"
    HANDLING_CARD = "handling_card", "督办卡"
    URGE_NOTICE = "urge_notice", "催办单"
    SUPERVISION_ORDER = "supervision_order", "督办令"
    EXTENSION_FORM = "extension_form", "延期申请审批表"
    EXPLANATION = "explanation", "情况说明"
    COMPLETION_REPORT = "completion_report", "办结报告"
    SPECIAL_REPORT = "special_report", "督查专报"
    RECTIFICATION_NOTICE = "rectification_notice", "整改通知书"
    RECOMMENDATION_LETTER = "recommendation_letter", "督查建议书"
    CATALOGUE = "catalogue", "卷内文件目录"
    NOTE_SHEET = "note_sheet", "备考表"


# Kinds that draw a number from their own gapless yearly series at issue (督专〔2026〕7号), with the
# organisation's prefix; the presets below until the organisation sets its own.
NUMBERED = (FormKind.SPECIAL_REPORT, FormKind.RECTIFICATION_NOTICE, FormKind.RECOMMENDATION_LETTER)
DEFAULT_PREFIXES = {
    FormKind.SPECIAL_REPORT: "督专",
    FormKind.RECTIFICATION_NOTICE: "督改",
    FormKind.RECOMMENDATION_LETTER: "督建",
}
# Forms that exist once per record of another kind; ``ref`` names that record.
REF_KINDS = {
    FormKind.URGE_NOTICE: "notice", FormKind.SUPERVISION_ORDER: "notice", FormKind.EXTENSION_FORM: "extension",
    FormKind.EXPLANATION: "report", FormKind.COMPLETION_REPORT: "report", FormKind.SPECIAL_REPORT: "issued",
    FormKind.RECTIFICATION_NOTICE: "issued", FormKind.RECOMMENDATION_LETTER: "issued",
}


class Retention(models.TextChoices):
    """保管期限 (机关文件材料归档范围和文书档案保管期限规定: 永久、定期30年、定期10年)."""

    PERMANENT = "permanent", "永久"
    THIRTY = "30y", "30年"
    TEN = "10y", "10年"


# Presets by item kind; each organisation may set its own (RetentionRule).
DEFAULT_RETENTION = {
    "instruction": Retention.THIRTY,
    "meeting_decision": Retention.PERMANENT,
    "policy_document": Retention.PERMANENT,
    "annual_key_task": Retention.PERMANENT,
    "rectification": Retention.PERMANENT,
    "deputy_suggestion": Retention.THIRTY,
    "cppcc_proposal": Retention.THIRTY,
    "petition": Retention.TEN,
    "media_concern": Retention.TEN,
    "other": Retention.TEN,
}
