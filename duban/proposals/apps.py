from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "duban.proposals"
    verbose_name = "建议提案办理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from duban.items import workflow
        from duban.items.models import ItemKind

        from .models import Proposal

        kinds = (ItemKind.DEPUTY_SUGGESTION, ItemKind.CPPCC_PROPOSAL)

        def owns(item) -> bool:
            return item.kind in kinds and Proposal.objects.filter(item_id=item.pk).exists()

        # Extensions (3 → 6 months, seed 001 art. 10), the office's urges and archiving stay the
        # item's; assignment, answer, review and closing are the suggestion's own procedure.
        workflow.register_procedure(
            owns, shared={"request_extension", "decide_extension", "log_urge", "archive"},
            refusal="该事项按建议提案办理程序办理，请在“建议提案”页面操作",
        )
