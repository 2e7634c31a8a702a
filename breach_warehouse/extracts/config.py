"""``extracts.yml``: extract definitions, the refresh schedule and the retry policy.

Each extract is checked on its own, so one bad definition is reported (file, extract name,
reason) without stopping the others. ``check_against_warehouse`` adds the checks that need
the warehouse: the mart exists, the SQL reads only marts, and the columns can be written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import yaml
from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from breach_warehouse.sql import WriteRefusedError, ensure_read_only
from groundwork.paths import PROJECT_DIR

DEFAULT_CONFIG_PATH = PROJECT_DIR / "extracts.yml"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
Format = Literal["parquet", "csv", "xlsx"]
Scalar = bool | int | float | date | str


class ConfigError(ValueError):
    """The file as a whole cannot be used (unreadable, not YAML, wrong top-level shape)."""


def check_cron(expression: str) -> str:
    """A standard five-field cron expression (minute hour day month weekday)."""
    if len(expression.split()) != 5 or not croniter.is_valid(expression):
        raise ValueError(
            f"invalid cron expression {expression!r}: expected five fields "
            "(minute hour day-of-month month day-of-week), e.g. '30 5 * * *'"
        )
    return expression


class Condition(BaseModel):
    """Comparisons on one column; every given one must hold."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    eq: Scalar | None = None
    ne: Scalar | None = None
    lt: Scalar | None = None
    lte: Scalar | None = None
    gt: Scalar | None = None
    gte: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    not_in: list[Scalar] | None = None
    is_null: bool | None = None


FilterValue = Condition | list[Scalar] | Scalar


class ExtractDefinition(BaseModel):
    """One extract: a mart (or a SELECT over the marts), filters, formats, schedule."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    mart: str | None = None
    sql: str | None = None
    columns: list[str] | None = None
    filters: dict[str, FilterValue] = Field(default_factory=dict)
    order_by: list[str] = Field(default_factory=list)
    formats: list[Format] = Field(default_factory=lambda: ["parquet", "csv"], min_length=1)
    schedule: str
    retention: int = Field(default=7, ge=1)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError("name must be lower case letters, digits and _ (a folder name)")
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str) -> str:
        return check_cron(value)

    @field_validator("formats")
    @classmethod
    def _formats(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _source(self) -> ExtractDefinition:
        if (self.mart is None) == (self.sql is None):
            raise ValueError("give exactly one of `mart` or `sql`")
        if self.mart is not None and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", self.mart):
            raise ValueError(f"mart {self.mart!r} is not a table name")
        if self.sql is not None:
            self.sql = check_select(self.sql)
        return self


def check_select(sql: str) -> str:
    """The text of a single read-only SELECT statement, without a trailing semicolon."""
    try:
        ensure_read_only(sql)
        statements = duckdb.extract_statements(sql)
    except WriteRefusedError as exc:
        raise ValueError(f"sql must only read: {exc}") from None
    except duckdb.Error as exc:
        raise ValueError(f"sql does not parse: {exc}") from None
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise ValueError("sql must be exactly one SELECT statement")
    return statements[0].query.strip().rstrip(";").strip()


class RefreshSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schedule: str | None = None
    options: list[str] = Field(default_factory=list)

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        return None if value is None else check_cron(value)


class RetrySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attempts: int = Field(default=3, ge=1, le=20)
    backoff_seconds: float = Field(default=60.0, ge=0)
    max_backoff_seconds: float = Field(default=900.0, ge=0)


class _FileShape(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str = "UTC"
    refresh: RefreshSettings = Field(default_factory=RefreshSettings)
    retry: RetrySettings = Field(default_factory=RetrySettings)
    extracts: list[dict[str, object]] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


@dataclass(frozen=True)
class DefinitionError:
    """A rejected extract definition."""

    file: Path
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: extract {self.name!r}: {self.reason}"


@dataclass
class ExtractsConfig:
    path: Path
    timezone: str = "UTC"
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    retry: RetrySettings = field(default_factory=RetrySettings)
    extracts: list[ExtractDefinition] = field(default_factory=list)
    errors: list[DefinitionError] = field(default_factory=list)

    def reject(self, definition: ExtractDefinition, reason: str) -> None:
        self.extracts = [e for e in self.extracts if e.name != definition.name]
        self.errors.append(DefinitionError(self.path, definition.name, reason))


def resolve_config_path(path: str | os.PathLike[str] | None) -> Path:
    """The extracts file: the given path, else $BW_EXTRACTS_CONFIG, else extracts.yml."""
    if path is None:
        path = os.environ.get("BW_EXTRACTS_CONFIG") or DEFAULT_CONFIG_PATH
    return Path(path).expanduser().resolve()


def _reason(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def load_config(path: Path) -> ExtractsConfig:
    """Read ``path``; each bad extract lands in ``errors``, the good ones in ``extracts``."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read extract definitions: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping with an `extracts` list")
    try:
        shape = _FileShape.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_reason(exc)}") from None
    config = ExtractsConfig(
        path=path, timezone=shape.timezone, refresh=shape.refresh, retry=shape.retry
    )
    seen: set[str] = set()
    for index, item in enumerate(shape.extracts):
        name = str(item.get("name") or f"#{index + 1}")
        try:
            definition = ExtractDefinition.model_validate(item)
        except ValidationError as exc:
            config.errors.append(DefinitionError(path, name, _reason(exc)))
            continue
        if definition.name in seen:
            config.errors.append(DefinitionError(path, name, "duplicate extract name"))
            continue
        seen.add(definition.name)
        config.extracts.append(definition)
    return config
