"""The JSON API of Duban, mounted at ``/api/v1/``: thin endpoints over ``duban.items`` services and
selectors (one implementation behind the pages and the API). OpenAPI at ``/api/v1/openapi.json``,
docs at ``/api/v1/docs``."""

from __future__ import annotations

from pathlib import Path

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .auth import BearerToken
from .auth import router as auth_router
from .routers import accountability, assessment, calendar, circulars, dashboard, documents, files, items, org, plans, proposals

WALKTHROUGH = Path(__file__).with_name("walkthrough.md")

DESCRIPTION = f"""督查督办系统的 JSON 接口。页面与接口调用同一套业务规则（`duban.items.services`），
接口只做解析和转换。

- **认证**：`POST /api/v1/auth/token` 用用户名和密码换取令牌，之后每个请求带
  `Authorization: Bearer <令牌>`。缺少或无效的令牌返回 401。
- **错误**：所有错误都是 `{{"detail": "中文说明", "field": "字段名或 null"}}`。
  400 输入不正确，401 未登录，403 无权操作，404 不存在或无权查看，409 状态不允许或已被他人更新。
  输入校验失败另带 `errors`（逐项的位置与说明）。
- **类型严格**：id 是整数（`"1"`、`false` 都不是），布尔值只接受 `true`/`false`，日期为 `YYYY-MM-DD`
  且在 2000—2099 年之间，字符串有长度上限，请求体中未知的字段会被拒绝。
- **乐观锁**：改变事项状态的操作可带事项的 `version`；与服务器不一致时返回 409，请重新读取事项。
- **可执行的操作**：`GET /items/{{id}}` 的 `actions` 列出您现在可以做的操作及其接口，来自状态机声明；
  每份报告的 `actions` 同理。

{WALKTHROUGH.read_text(encoding="utf-8")}
"""


class ChineseJSON(JSONRenderer):
    """Chinese as it is, not as \\uXXXX escapes: readable in curl and in logs."""

    json_dumps_params = {"ensure_ascii": False}


# The first routers' operations keep their bare function names (clients may use them); later
# routers' are prefixed with their module, so "approve" of circulars, assessments and proposals stay
# apart (tests/api/test_openapi.py checks that no operationId repeats).
BARE_IDS = {"items", "auth", "org", "calendar", "files", "plans"}


class DubanAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        func = operation.view_func
        module = func.__module__.rsplit(".", 1)[-1]
        return func.__name__ if module in BARE_IDS else f"{module}_{func.__name__}"


api = DubanAPI(
    title="督查督办系统接口（Duban API）",
    version="1",
    description=DESCRIPTION,
    auth=BearerToken(),
    urls_namespace="api",
    renderer=ChineseJSON(),
)
errors.install(api)
api.add_router("", auth_router)
api.add_router("", org.router)
api.add_router("", items.router)
api.add_router("", items.actions)
api.add_router("", items.reports)
api.add_router("", calendar.router)
api.add_router("", files.router)
api.add_router("", plans.router)
api.add_router("", dashboard.router)
api.add_router("", circulars.router)
api.add_router("", accountability.router)
api.add_router("", assessment.router)
api.add_router("", proposals.router)
api.add_router("", documents.router)
