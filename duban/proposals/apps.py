from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "duban.proposals"
    verbose_name = "建议提案办理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from duban.items import workflow
        from duban.items.models import Item, ItemKind

        from .models import Proposal

        kinds = (ItemKind.DEPUTY_SUGGESTION, ItemKind.CPPCC_PROPOSAL)

        def owns(item) -> bool:
            if item.kind not in kinds:
                return False
            # Asked once per transition on the item page (14 times): remembered on the instance,
            # and what was found is kept as ``item.proposal`` (none: the accessor raises
            # DoesNotExist without asking again), which the page links to: one query for both.
            # Proposal(item=item) replaces it, as it does the forward cache.
            cached = item.__dict__.get("_owned_by_proposal")
            if cached is None:
                found = list(Proposal.objects.filter(item_id=item.pk).order_by()[:1])
                Item.proposal.related.set_cached_value(item, found[0] if found else None)
                cached = item.__dict__["_owned_by_proposal"] = bool(found)
            return cached

        # Extensions (3 → 6 months, seed 001 art. 10), the office's urges and archiving stay the
        # item's; assignment, answer, review and closing are the suggestion's own procedure.
        workflow.register_procedure(
            owns, shared={"request_extension", "decide_extension", "log_urge", "archive"},
            refusal="该事项按建议提案办理程序办理，请在“建议提案”页面操作",
        )
