"""What an installation holds, found by introspection so that a new app, model or file field is
covered without editing a list: every table of every installed app (many-to-many tables and
history tables included) and every file that a FileField names."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.db import models


def concrete_models() -> list[type[models.Model]]:
    """Every model that owns a table, once per table: installed apps' models, the automatic
    many-to-many tables, history tables; not proxies or unmanaged models. Sorted by label."""
    seen, found = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """(model, field) for every FileField (ImageField included) on a concrete model."""
    return [
        (model, field)
        for model in concrete_models()
        for field in model._meta.local_concrete_fields
        if isinstance(field, models.FileField)
    ]


@dataclass(frozen=True)
class FileRef:
    name: str  # the storage name, e.g. "items/12/202611/ab12…"
    ref: str  # where it is named, e.g. "items.Attachment.file#34"


def referenced_files(using: str = "default") -> list[FileRef]:
    """Every non-empty file name that a FileField of any row names, in a stable order."""
    refs = []
    for model, field in file_fields():
        rows = model._base_manager.using(using).exclude(**{field.attname: ""}).exclude(
            **{f"{field.attname}__isnull": True}).order_by("pk").values_list("pk", field.attname)
        refs.extend(FileRef(name, f"{model._meta.label}.{field.name}#{pk}") for pk, name in rows)
    return sorted(refs, key=lambda r: (r.name, r.ref))


def sha256_of(storage, name: str) -> tuple[str, int]:
    """SHA-256 and size of a stored file, read in 1 MB pieces through the storage API (so an S3
    store works as well as the local one)."""
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
