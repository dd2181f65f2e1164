"""Every error the API returns has one shape: ``{"detail": "<中文说明>", "field": "<字段>" | null}``.

Domain errors keep their own status (400/403/404/409) and message; input that does not parse is
a 400 whose detail names the field in Chinese; nothing a client sends should produce a 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from duban.items.errors import DomainError


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Error(Schema):
    detail: str
    field: str | None = None
    errors: list[FieldError] | None = None


AUTH_REQUIRED = "未登录或令牌无效，请先通过 POST /api/v1/auth/token 获取令牌"
BAD_CREDENTIALS = "用户名或密码不正确"
NOT_FOUND = "未找到，或您无权查看"

ERROR_DESCRIPTIONS = {
    400: "输入不正确（格式、取值或业务规则）",
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "不存在或无权查看",
    409: "状态不允许此操作，或已被他人更新（version 不一致）",
    413: "请求体过大",
}


def errors(*codes: int) -> dict[int, type[Error]]:
    """Declare the error responses of an operation, so the OpenAPI document lists them."""
    return {code: Error for code in codes}


READ = (400, 401, 404)
WRITE = (400, 401, 403, 404, 409, 413)


# --- pydantic's messages, in Chinese -----------------------------------------------------------

def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "缺少必填项"
    if kind in ("string_type",):
        return "应为字符串"
    if kind == "string_too_long":
        return f"不能超过{ctx.get('max_length')}个字符"
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length") == 1 else f"至少{ctx.get('min_length')}个字符"
    if kind == "string_unicode":
        return "包含无效的字符"
    if kind == "string_pattern_mismatch":
        return "格式不正确"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "应为整数"
    if kind in ("int_parsing_size",):
        return "整数超出范围"
    if kind == "greater_than_equal":
        return f"不能小于{ctx.get('ge')}"
    if kind == "greater_than":
        return f"须大于{ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不能大于{ctx.get('le')}"
    if kind == "less_than":
        return f"须小于{ctx.get('lt')}"
    if kind in ("bool_type", "bool_parsing"):
        return "应为 true 或 false"
    if kind.startswith("date_") and not kind.startswith("datetime"):
        return "不是有效日期（应为 YYYY-MM-DD）"
    if kind.startswith("datetime"):
        return "不是有效时间（应为 YYYY-MM-DDTHH:MM:SS）"
    if kind in ("literal_error", "enum"):
        return f"取值应为以下之一：{ctx.get('expected', '')}"
    if kind == "list_type":
        return "应为数组"
    if kind == "too_long":
        return f"最多{ctx.get('max_length')}项"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "应为 JSON 对象"
    if kind == "extra_forbidden":
        return "不支持此字段"
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message.
        return str(ctx.get("error", "")) or "取值不正确"
    return "格式不正确"


SOURCES = {"body": "请求体", "query": "查询参数", "path": "路径参数", "header": "请求头"}


def _field_name(loc: list) -> str | None:
    names = [str(x) for x in loc[1:] if not isinstance(x, int)]
    return ".".join(names) or None


def translate(exc: ValidationError) -> dict[str, Any]:
    items = []
    for err in exc.errors:
        loc = list(err.get("loc", ()))
        if loc[:1] == ["body"] and len(loc) >= 2:
            # ninja puts the view's argument name after "body"; the client never sent it.
            loc = ["body", *loc[2:]]
        items.append({"loc": loc, "msg": _message(err), "type": err.get("type", "")})
    first = items[0] if items else {"loc": [], "msg": "输入不正确"}
    field = _field_name(first["loc"])
    where = SOURCES.get(str(first["loc"][0]), "") if first["loc"] else ""
    detail = f"{where}{'“' + field + '”' if field else ''}{'：' if (where or field) else ''}{first['msg']}"
    if len(items) > 1:
        detail += f"（另有{len(items) - 1}处错误）"
    return {"detail": detail, "field": field, "errors": items}


# --- handlers ----------------------------------------------------------------------------------

# Services name the model's field; the API's request names the id it was given.
FIELD_ALIASES = {
    "lead_unit": "lead_unit_id", "co_units": "co_unit_ids", "responsible_leader": "responsible_leader_id",
    "unit": "unit_id",
}


def install(api) -> None:
    def domain_error(request, exc: DomainError):
        field = FIELD_ALIASES.get(exc.field, exc.field)
        return api.create_response(request, {"detail": exc.message, "field": field}, status=exc.status_code)

    def validation_error(request, exc: ValidationError):
        return api.create_response(request, translate(exc), status=400)

    def authentication_error(request, exc: AuthenticationError):
        response = api.create_response(request, {"detail": AUTH_REQUIRED, "field": None}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="duban"'
        return response

    def http_error(request, exc: HttpError):
        detail = str(exc)
        if detail.startswith("Cannot parse request body"):
            detail = "请求体不是有效的 JSON"
        return api.create_response(request, {"detail": detail, "field": None}, status=exc.status_code)

    def not_found(request, exc):
        return api.create_response(request, {"detail": NOT_FOUND, "field": None}, status=404)

    def too_big(request, exc):
        return api.create_response(request, {"detail": "请求体过大", "field": None}, status=413)

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, authentication_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(RequestDataTooBig, too_big)
