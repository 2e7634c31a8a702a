"""Checks that the fact and taxonomy seeds carry the founding documents' figures exactly.

Reads the CSVs in seeds/ with the csv module only (no warehouse needed).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from groundwork.paths import PROJECT_DIR

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
DOCS_DIR = Path(
    os.environ.get("BW_SOURCE_DOCUMENTS", PROJECT_DIR.parent / "shared" / "source-documents")
)


def require_documents() -> None:
    """The documents sit in ../shared beside the repo; CI must have them."""
    if DOCS_DIR.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"source documents not found at {DOCS_DIR}")
    pytest.skip(f"source documents not found at {DOCS_DIR}")


DOC000 = "000_f1ac4a5b6479954a.txt"
DOC001 = "001_ef68335a6c917527.txt"
DOC002 = "002_e29a30944bfd2f5e.txt"
DOC003 = "003_871be56f077f3e05.txt"
DOC004 = "004_454712b2a0958f61.txt"
DOCS = [DOC000, DOC001, DOC002, DOC003, DOC004]

# The seeds whose every row cites a source.
CITING_SEEDS = [
    "organizations",
    "organization_aliases",
    "breaches",
    "breach_records",
    "penalties",
    "regulatory_actions",
    "regulatory_action_targets",
]
FACT_SEEDS = [
    "sources",
    "sectors",
    "breach_types",
    "data_types",
    "regulatory_action_types",
    *CITING_SEEDS,
]
PRECISIONS = {"day", "month", "quarter", "year"}
REFERENCE_SOURCES = {
    "ref_iso3166_pycountry": "reference",
    "ref_countryinfo_population": "dataset",
    "ref_us_census_2020": "government_record",
    "ref_china_census_2020": "government_record",
    "ref_ecb_eurofxref_hist": "dataset",
    "ref_iso4217": "reference",
    "ref_naics_2022": "reference",
}


@cache
def rows(seed: str) -> tuple[dict[str, str], ...]:
    with open(SEEDS_DIR / f"{seed}.csv", newline="", encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


@cache
def header(seed: str) -> list[str]:
    with open(SEEDS_DIR / f"{seed}.csv", newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


@cache
def declared_types() -> dict[str, dict[str, str]]:
    """column_types per seed, in declared order.

    Parsed from the raw flow mapping because YAML would split ``decimal(18,2)`` at the comma.
    """
    spec = yaml.safe_load((SEEDS_DIR / "_seeds__seeds.yml").read_text())
    raw = (SEEDS_DIR / "_seeds__seeds.yml").read_text()
    flows = re.findall(r"column_types:\s*\{(.*?)\}\s*$", raw, flags=re.MULTILINE)
    names = [s["name"] for s in spec["seeds"]]
    assert len(flows) == len(names)
    out: dict[str, dict[str, str]] = {}
    for name, flow in zip(names, flows, strict=True):
        parts = re.split(r",\s*(?![^()]*\))", flow)
        out[name] = dict(
            tuple(x.strip().strip("\"'") for x in part.split(":", 1)) for part in parts
        )
    return out


def declared_columns() -> dict[str, list[str]]:
    return {name: list(types) for name, types in declared_types().items()}


def ids(seed: str, column: str) -> set[str]:
    return {r[column] for r in rows(seed)}


def one(seed: str, **where: str) -> dict[str, str]:
    found = [r for r in rows(seed) if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, (seed, where, found)
    return found[0]


# ------------------------------------------------------------------ structure


@pytest.mark.parametrize("seed", FACT_SEEDS)
def test_header_matches_declared_columns(seed: str) -> None:
    assert header(seed) == declared_columns()[seed]


@pytest.mark.parametrize("seed", FACT_SEEDS)
def test_rows_are_rectangular(seed: str) -> None:
    with open(SEEDS_DIR / f"{seed}.csv", newline="", encoding="utf-8") as f:
        widths = {len(r) for r in csv.reader(f)}
    assert widths == {len(declared_columns()[seed])}


@pytest.mark.parametrize(
    ("seed", "key"),
    [
        ("sources", "source_id"),
        ("sectors", "sector_code"),
        ("breach_types", "breach_type"),
        ("data_types", "data_type"),
        ("regulatory_action_types", "action_type"),
        ("organizations", "organization_id"),
        ("breaches", "breach_id"),
        ("penalties", "penalty_id"),
        ("regulatory_actions", "action_id"),
    ],
)
def test_keys_unique_and_present(seed: str, key: str) -> None:
    values = [r[key] for r in rows(seed)]
    assert all(values)
    assert not [v for v, n in Counter(values).items() if n > 1]


def test_column_types_parse() -> None:
    types = declared_types()
    for seed in FACT_SEEDS:
        for r in rows(seed):
            for col, typ in types[seed].items():
                v = r[col]
                if v == "":
                    continue
                if typ == "date":
                    dt.date.fromisoformat(v)
                elif typ == "boolean":
                    assert v in {"true", "false"}, (seed, col, v)
                elif typ in {"bigint", "integer"}:
                    assert re.fullmatch(r"-?\d+", v), (seed, col, v)
                elif typ.startswith("decimal"):
                    assert re.fullmatch(r"-?\d+(\.\d+)?", v), (seed, col, v)


# ------------------------------------------------------------------ taxonomies


def test_sectors_are_naics_2022_plus_unknown() -> None:
    naics = {r["sector_code"] for r in rows("sectors") if r["taxonomy"] == "naics_2022"}
    assert naics == {
        "11",
        "21",
        "22",
        "23",
        "31-33",
        "42",
        "44-45",
        "48-49",
        "51",
        "52",
        "53",
        "54",
        "55",
        "56",
        "61",
        "62",
        "71",
        "72",
        "81",
        "92",
    }
    assert "unknown" in ids("sectors", "sector_code")
    assert len(rows("sectors")) == 21


def test_breach_types() -> None:
    assert ids("breach_types", "breach_type") == {
        "hacking",
        "malware",
        "ransomware",
        "phishing_social",
        "insider_misuse",
        "unauthorized_access",
        "theft",
        "loss",
        "improper_disposal",
        "accidental_exposure",
        "physical",
        "espionage",
        "unknown",
        "other",
    }


def test_data_types() -> None:
    required = {
        "ssn",
        "national_id",
        "fingerprint",
        "biometric_face",
        "genetic",
        "health",
        "financial",
        "payment_card",
        "credentials",
        "contact",
        "personal_record",
        "background_investigation_form",
        "account",
        "ip_address",
        "other",
        "unknown",
    }
    assert required <= ids("data_types", "data_type")


def test_regulatory_action_types() -> None:
    assert ids("regulatory_action_types", "action_type") == {
        "law",
        "regulation",
        "standard",
        "ban",
        "procurement_rule",
        "sanctions_list",
        "campaign",
        "enforcement_action",
        "guidance",
        "agreement",
        "industry_code",
        "consultation",
        "petition",
        "statement",
    }


def test_enumerations() -> None:
    source_types = {
        "news",
        "trade_press",
        "law_firm_bulletin",
        "regulator_notice",
        "court_record",
        "government_record",
        "legislation",
        "dataset",
        "reference",
    }
    assert {r["source_type"] for r in rows("sources")} <= source_types
    assert {r["organization_type"] for r in rows("organizations")} <= {
        "company",
        "government_agency",
        "regulator",
        "legislature",
        "industry_association",
        "standards_body",
        "court",
        "other",
    }
    assert {r["records_unit"] for r in rows("breaches")} <= {
        "records",
        "individuals",
        "accounts",
        "",
    }
    assert {r["penalty_kind"] for r in rows("penalties")} <= {
        "fine",
        "civil_penalty",
        "settlement",
        "class_action_settlement",
        "resolution_agreement",
    }
    assert {r["status"] for r in rows("penalties")} <= {
        "proposed",
        "final",
        "amended",
        "reduced_on_appeal",
        "appealed",
        "overturned",
        "withdrawn",
    }
    assert {r["status"] for r in rows("regulatory_actions")} <= {
        "draft",
        "consultation",
        "submitted",
        "adopted",
        "signed",
        "in_force",
        "announced",
        "ongoing",
        "completed",
        "withdrawn",
    }
    assert {r["target_role"] for r in rows("regulatory_action_targets")} <= {
        "target",
        "named",
        "signatory",
    }
    assert {r["currency"] for r in rows("penalties")} <= {"GBP", "USD", "EUR"}
    slug = re.compile(r"[a-z0-9][a-z0-9_]*")
    assert all(slug.fullmatch(r["organization_id"]) for r in rows("organizations"))
    jur = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?")
    for seed, col in [
        ("organizations", "jurisdiction_code"),
        ("breaches", "jurisdiction_code"),
        ("penalties", "jurisdiction_code"),
        ("regulatory_actions", "jurisdiction_code"),
    ]:
        assert all(jur.fullmatch(r[col]) for r in rows(seed)), seed


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("seed", "date_col", "precision_col"),
    [
        ("sources", "published_on", "published_precision"),
        ("breaches", "reported_on", "reported_precision"),
        ("breaches", "occurred_on", "occurred_precision"),
        ("penalties", "announced_on", "announced_precision"),
        ("regulatory_actions", "action_on", "action_precision"),
    ],
)
def test_date_precision(seed: str, date_col: str, precision_col: str) -> None:
    for r in rows(seed):
        value, precision = r[date_col], r[precision_col]
        assert bool(value) == bool(precision), (seed, r)
        if not value:
            continue
        assert precision in PRECISIONS, (seed, r)
        day = dt.date.fromisoformat(value)
        if precision in {"month", "quarter", "year"}:
            assert day.day == 1, (seed, r)
        if precision == "quarter":
            assert day.month in {1, 4, 7, 10}, (seed, r)
        if precision == "year":
            assert day.month == 1, (seed, r)


# ------------------------------------------------------------------ referential integrity


def test_every_source_id_exists() -> None:
    known = ids("sources", "source_id")
    refs = [
        ("organizations", "source_id"),
        ("organization_aliases", "source_id"),
        ("breaches", "source_id"),
        ("breaches", "reported_on_source_id"),
        ("breaches", "records_source_id"),
        ("breach_records", "source_id"),
        ("penalties", "source_id"),
        ("regulatory_actions", "source_id"),
        ("regulatory_actions", "action_on_source_id"),
        ("regulatory_action_targets", "source_id"),
    ]
    for seed, col in refs:
        missing = {r[col] for r in rows(seed) if r[col]} - known
        assert not missing, (seed, col, missing)
    for seed in CITING_SEEDS:
        assert all(r["source_id"] for r in rows(seed)), seed


def test_source_ids_cited_in_descriptions_exist() -> None:
    known = ids("sources", "source_id")
    pattern = re.compile(r"\b((?:pub|court|leg|reg|gov|ref)_[a-z0-9_]+)")
    for seed in ("breaches", "penalties", "regulatory_actions", "sources"):
        for r in rows(seed):
            text = r.get("description", "") + " " + r.get("notes", "")
            for cited in pattern.findall(text):
                assert cited in known, (seed, cited)


def test_documents_and_reference_sources_present() -> None:
    sources = {r["source_id"]: r for r in rows("sources")}
    for doc in DOCS:
        assert doc in sources
    for sid, stype in REFERENCE_SOURCES.items():
        assert sources[sid]["source_type"] == stype, sid
    for r in rows("sources"):
        assert r["title"] and r["publisher"], r


def test_document_files_exist() -> None:
    require_documents()
    for doc in DOCS:
        assert (DOCS_DIR / doc).exists()


def test_every_document_is_cited() -> None:
    cited = (
        {r["source_id"] for r in rows("breaches")}
        | {r["source_id"] for r in rows("penalties")}
        | {r["source_id"] for r in rows("regulatory_actions")}
    )
    assert set(DOCS) <= cited


def test_foreign_keys() -> None:
    orgs = ids("organizations", "organization_id")
    breaches = ids("breaches", "breach_id")
    actions = ids("regulatory_actions", "action_id")
    penalties = ids("penalties", "penalty_id")
    sectors = ids("sectors", "sector_code")
    for seed in ("organization_aliases", "regulatory_action_targets", "penalties", "breaches"):
        missing = {r["organization_id"] for r in rows(seed) if r["organization_id"]} - orgs
        assert not missing, (seed, missing)
    assert {r["sector_code"] for r in rows("organizations")} <= sectors
    assert {r["breach_id"] for r in rows("breach_records")} <= breaches
    assert {r["breach_id"] for r in rows("penalties") if r["breach_id"]} <= breaches
    assert {r["action_id"] for r in rows("regulatory_action_targets")} <= actions
    assert {
        r["related_action_id"] for r in rows("regulatory_actions") if r["related_action_id"]
    } <= actions
    assert {
        r["supersedes_penalty_id"] for r in rows("penalties") if r["supersedes_penalty_id"]
    } <= penalties
    assert {r["breach_type"] for r in rows("breaches")} <= ids("breach_types", "breach_type")
    assert {r["data_type"] for r in rows("breach_records")} <= ids("data_types", "data_type")
    assert {r["action_type"] for r in rows("regulatory_actions")} <= ids(
        "regulatory_action_types", "action_type"
    )
    assert all(r["organization_id"] for r in rows("penalties"))


def test_no_duplicate_targets_or_aliases() -> None:
    t = Counter((r["action_id"], r["organization_id"]) for r in rows("regulatory_action_targets"))
    assert not [k for k, n in t.items() if n > 1]
    a = Counter((r["organization_id"], r["alias"]) for r in rows("organization_aliases"))
    assert not [k for k, n in a.items() if n > 1]


# ------------------------------------------------------------------ supersedes chains


def test_supersedes_chains_have_one_current_row() -> None:
    by_id = {r["penalty_id"]: r for r in rows("penalties")}
    superseded = Counter(
        r["supersedes_penalty_id"] for r in rows("penalties") if r["supersedes_penalty_id"]
    )
    assert all(n == 1 for n in superseded.values()), superseded  # no forks

    def root(pid: str) -> str:
        seen = set()
        while by_id[pid]["supersedes_penalty_id"]:
            assert pid not in seen, "cycle"
            seen.add(pid)
            pid = by_id[pid]["supersedes_penalty_id"]
        return pid

    current_per_chain = Counter(root(pid) for pid in by_id if pid not in superseded)
    chains = {root(pid) for pid in by_id}
    assert all(current_per_chain[c] == 1 for c in chains), current_per_chain


# ------------------------------------------------------------------ the documents' figures


def test_23andme_ico_fine() -> None:
    final = one("penalties", organization_id="23andme", amount="2310000", currency="GBP")
    assert final["source_id"] == DOC003
    assert final["figure_as_stated"] == "£2.31 million"
    assert final["jurisdiction_code"] == "GB"
    assert final["penalty_kind"] == "fine"
    assert "5(1)(f)" in final["legal_basis"] and "32" in final["legal_basis"]
    assert final["announced_on"] == "2025-06-17"
    assert final["breach_id"] in ids("breaches", "breach_id")
    if final["supersedes_penalty_id"]:
        provisional = one("penalties", penalty_id=final["supersedes_penalty_id"])
        assert provisional["status"] == "proposed"
        assert provisional["source_id"] != DOC003


def test_23andme_breach() -> None:
    breach = one("breaches", organization_id="23andme")
    assert breach["source_id"] == DOC003
    if breach["records_exposed"]:
        assert breach["records_source_id"] and breach["records_source_id"] != DOC003


def test_facebook_bipa_settlement() -> None:
    doc = one("penalties", organization_id="facebook", amount="550000000", currency="USD")
    assert doc["source_id"] == DOC004
    assert doc["announced_on"] == "2020-01-29" and doc["announced_precision"] == "day"
    assert doc["jurisdiction_code"] == "US-IL"
    assert doc["penalty_kind"] == "class_action_settlement"
    assert doc["status"] == "proposed"
    assert "740 ILCS 14" in doc["legal_basis"]
    assert doc["figure_as_stated"] == "$550 million"
    amended = one("penalties", supersedes_penalty_id=doc["penalty_id"])
    assert amended["status"] == "amended"
    assert amended["amount"] == "650000000"
    source = one("sources", source_id=amended["source_id"])
    assert source["source_type"] == "court_record"


def test_anthem() -> None:
    breach = one("breaches", organization_id="anthem")
    assert breach["source_id"] == DOC001
    assert breach["records_exposed"] == "78800000"
    assert breach["jurisdiction_code"] == "US"
    record = one("breach_records", breach_id=breach["breach_id"])
    assert record["data_type"] == "personal_record"
    assert record["records"] == "78800000"
    assert record["figure_as_stated"] == "as many as 78.8 million customer records"
    assert record["source_id"] == DOC001
    ocr = one("penalties", organization_id="anthem", penalty_kind="resolution_agreement")
    assert ocr["amount"] == "16000000" and ocr["currency"] == "USD"
    assert ocr["announced_on"] == "2018-10-15"
    assert one("sources", source_id=ocr["source_id"])["source_type"] == "regulator_notice"


def test_opm() -> None:
    breach = one("breaches", organization_id="us_opm")
    assert breach["source_id"] == DOC001
    assert breach["records_exposed"] == "21000000"
    assert breach["jurisdiction_code"] == "US"
    if breach["reported_on_source_id"]:
        assert breach["reported_on_source_id"] in ids("sources", "source_id")
    recs = [
        r
        for r in rows("breach_records")
        if r["breach_id"] == breach["breach_id"] and r["source_id"] == DOC001
    ]
    got = {(r["data_type"], r["records"], r["figure_as_stated"]) for r in recs}
    assert got == {
        ("ssn", "21000000", "over 21 million Social Security numbers"),
        ("background_investigation_form", "19700000", "19.7 million forms with data"),
        ("fingerprint", "5600000", "5.6 million fingerprint records"),
    }
    assert len(recs) == 3


def test_huawei_alleged_hacking() -> None:
    alleged = [
        r for r in rows("breaches") if r["source_id"] == DOC000 and "Huawei" in r["description"]
    ]
    assert len(alleged) == 1
    assert alleged[0]["is_alleged"] == "true"
    assert (alleged[0]["reported_on"], alleged[0]["reported_precision"]) == ("2015-01-01", "year")


def test_nsa_implants_alleged() -> None:
    nsa = [
        r
        for r in rows("breaches")
        if r["source_id"] == DOC000 and "National Security Agency" in r["description"]
    ]
    assert len(nsa) == 1
    assert nsa[0]["is_alleged"] == "true"
    assert nsa[0]["organization_id"] == "unnamed_cn_technology_buyers"
    assert (nsa[0]["reported_on"], nsa[0]["reported_precision"]) == ("2015-01-01", "year")


def test_figures_as_stated_appear_in_documents() -> None:
    require_documents()

    def norm(text: str) -> str:  # the documents use non-breaking spaces inside some figures
        return re.sub(r"\s+", " ", text.replace("\u00a0", " "))

    texts = {doc: norm((DOCS_DIR / doc).read_text(encoding="utf-8")) for doc in DOCS}
    for seed in ("breach_records", "penalties"):
        for r in rows(seed):
            if r["source_id"] in texts:
                assert norm(r["figure_as_stated"]) in texts[r["source_id"]], (seed, r)


PUBLIC_RECORD_TYPES = {"government_record", "legislation", "regulator_notice", "court_record"}
REMOVED_DUPLICATE_ACTIONS = {
    "us_cn_phase_one_2020_signed",
    "us_cn_cyber_commitment_2015_09_25",
    "gb_cn_joint_statement_cyber_2015_10",
    "us_ndaa_fy2019_enacted_2018_08_13",
    "us_entity_list_surveillance_2019_10_09",
    "us_fcc_designation_2020_06_30",
    "us_fcc_usf_order_2019_11_22",
    "gb_online_safety_act_royal_assent_2023_10_26",
    "us_il_bipa_enacted_2008_10_03",
    "za_popia_commencement_2020_07_01",
    "za_popia_gazetted_2013_11_26",
}


def test_every_action_is_dated() -> None:
    for r in rows("regulatory_actions"):
        assert r["action_on"] and r["action_precision"], r["action_id"]


def test_action_on_source_is_public_record_and_stated_date_kept() -> None:
    sources = {r["source_id"]: r for r in rows("sources")}
    with_source = [r for r in rows("regulatory_actions") if r["action_on_source_id"]]
    assert with_source
    for r in with_source:
        assert r["action_on_source_id"] in sources, r["action_id"]
        assert r["action_on_source_id"] not in DOCS, r["action_id"]
        assert r["action_on_source_id"] != r["source_id"], r["action_id"]
        assert sources[r["action_on_source_id"]]["source_type"] in PUBLIC_RECORD_TYPES, r[
            "action_id"
        ]
        # the surviving row is the document's row; the document's wording is kept
        assert r["source_id"] in DOCS, r["action_id"]
        assert r["date_as_stated"].strip(), r["action_id"]


def test_date_as_stated_quotes_appear_in_documents() -> None:
    require_documents()

    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("\u00a0", " "))

    texts = {doc: norm((DOCS_DIR / doc).read_text(encoding="utf-8")) for doc in DOCS}
    for r in rows("regulatory_actions"):
        if not r["date_as_stated"]:
            continue
        assert r["source_id"] in texts, r["action_id"]
        for quoted in re.findall(r'"([^"]+)"', r["date_as_stated"]):
            assert norm(quoted) in texts[r["source_id"]], (r["action_id"], quoted)


def test_public_record_duplicates_removed() -> None:
    actions = ids("regulatory_actions", "action_id")
    assert not REMOVED_DUPLICATE_ACTIONS & actions
    assert not REMOVED_DUPLICATE_ACTIONS & ids("regulatory_action_targets", "action_id")
    assert not REMOVED_DUPLICATE_ACTIONS & {
        r["related_action_id"] for r in rows("regulatory_actions")
    }


def test_no_two_rows_describe_the_same_event() -> None:
    keys = Counter(
        (r["action_type"], r["jurisdiction_code"], r["action_on"], r["title"])
        for r in rows("regulatory_actions")
    )
    assert not [k for k, n in keys.items() if n > 1]
    # a public-record date is attached to exactly one row
    dated_by = Counter(
        r["action_on_source_id"] for r in rows("regulatory_actions") if r["action_on_source_id"]
    )
    assert not [k for k, n in dated_by.items() if n > 1]
    # no public-record row restates an event the document row already carries
    sourced = {
        (r["action_type"], r["jurisdiction_code"], r["action_on"])
        for r in rows("regulatory_actions")
        if r["action_on_source_id"]
    }
    for r in rows("regulatory_actions"):
        if r["source_id"] not in DOCS:
            assert (r["action_type"], r["jurisdiction_code"], r["action_on"]) not in sourced, r[
                "action_id"
            ]


def test_context_dated_actions() -> None:
    for action_id, precision in [
        ("cn_fin_sector_security_standards_us_vendors", "year"),
        ("us_gov_huawei_hacking_accusations", "year"),
        ("cn_corporate_social_credit_system", "month"),
        ("eu_chamber_social_credit_warning", "year"),
        ("eu_biometric_iad_standard", "year"),
    ]:
        r = one("regulatory_actions", action_id=action_id)
        assert r["source_id"] in DOCS
        assert r["action_precision"] == precision, action_id
        assert r["date_as_stated"].strip(), action_id
        assert not r["action_on_source_id"], action_id


def _targets(action_id: str, role: str = "target") -> set[str]:
    return {
        r["organization_id"]
        for r in rows("regulatory_action_targets")
        if r["action_id"] == action_id and r["target_role"] == role
    }


def test_far_rule_has_exactly_five_targets() -> None:
    far = one("regulatory_actions", action_type="procurement_rule", source_id=DOC003)
    assert far["action_on"] == "2020-08-13" and far["action_precision"] == "day"
    assert _targets(far["action_id"]) == {"huawei", "zte", "hytera", "hikvision", "dahua"}
    assert far["related_action_id"]
    law = one("regulatory_actions", action_id=far["related_action_id"])
    assert law["action_type"] == "law" and law["jurisdiction_code"] == "US"
    assert law["source_id"] == DOC003
    assert (law["action_on"], law["action_precision"]) == ("2018-08-13", "day")
    assert law["action_on_source_id"]
    assert one("sources", source_id=law["action_on_source_id"])["source_type"] == "legislation"
    assert "2019 law" in law["date_as_stated"]
    assert not [
        r
        for r in rows("regulatory_actions")
        if r["action_type"] == "law"
        and r["action_on"] == "2018-08-13"
        and r["action_id"] != law["action_id"]
    ]
    # the interim rule is a distinct, earlier event
    interim = one("regulatory_actions", action_type="procurement_rule", action_on="2020-07-14")
    assert interim["action_id"] != far["action_id"]
    assert interim["related_action_id"] == far["action_id"]
    assert interim["source_id"] not in DOCS


def test_blacklist_and_fcc() -> None:
    blacklist = one("regulatory_actions", action_id="us_blacklist_biometrics_2019")
    assert blacklist["action_type"] == "sanctions_list" and blacklist["source_id"] == DOC003
    assert (blacklist["action_on"], blacklist["action_precision"]) == ("2019-10-09", "day")
    assert "Last year" in blacklist["date_as_stated"]
    assert blacklist["action_on_source_id"] and blacklist["action_on_source_id"] not in DOCS
    assert _targets(blacklist["action_id"]) == {
        "huawei",
        "dahua",
        "hikvision",
        "iflytek",
        "megvii",
        "sensetime",
        "yitu",
    }
    sanctions_2019 = [
        r
        for r in rows("regulatory_actions")
        if r["action_type"] == "sanctions_list" and r["action_on"] == "2019-10-09"
    ]
    assert sanctions_2019 == [blacklist]
    # the May 2019 Huawei listing is a distinct event
    huawei_listing = one("regulatory_actions", action_type="sanctions_list", action_on="2019-05-16")
    assert huawei_listing["action_id"] != blacklist["action_id"]
    assert _targets(huawei_listing["action_id"]) == {"huawei"}
    fcc = [
        r for r in rows("regulatory_actions") if r["source_id"] == DOC003 and "FCC" in r["title"]
    ]
    assert len(fcc) == 2
    for r in fcc:
        assert _targets(r["action_id"]) == {"huawei", "zte"}
        assert r["action_on_source_id"] and r["date_as_stated"] and r["action_precision"] == "day"
    assert {r["action_on"] for r in fcc} == {"2020-06-30", "2019-11-22"}
    assert any("$8.3 billion" in r["title"] + r["description"] for r in fcc)
    assert not [
        r
        for r in rows("regulatory_actions")
        if r["action_on"] in {"2020-06-30", "2019-11-22"} and r not in fcc
    ]
    osa = one("regulatory_actions", action_type="law", jurisdiction_code="GB")
    assert osa["source_id"] == DOC003
    assert (osa["action_on"], osa["action_precision"]) == ("2023-10-26", "day")
    assert osa["action_on_source_id"] and osa["date_as_stated"]


def test_doc004_actions() -> None:
    doc4 = [r for r in rows("regulatory_actions") if r["source_id"] == DOC004]
    tc260 = [r for r in doc4 if r["action_type"] == "standard"]
    assert len(tc260) == 4
    for r in tc260:
        assert r["action_on"] == "2020-01-20" and r["status"] == "consultation"
        assert "2020-03-20" in r["description"] or "20 March 2020" in r["description"]
    expected = {
        ("industry_code", "2020-01-20", "CN"),
        ("campaign", "2020-01-10", "CN-ZJ"),
        ("enforcement_action", "2020-01-17", "CN"),
        ("consultation", "2020-01-10", "CN"),
        ("guidance", "2020-01-07", "US"),
        ("law", "2020-01-28", "ID"),
        ("law", "2020-07-01", "ZA"),
        ("law", "2013-11-26", "ZA"),
        ("law", "2008-10-03", "US-IL"),
    }
    got = {(r["action_type"], r["action_on"], r["jurisdiction_code"]) for r in doc4}
    assert expected <= got
    assert any(
        r["action_type"] == "enforcement_action" and "Safe Net 2020" in r["title"] for r in doc4
    )

    za = [r for r in rows("regulatory_actions") if r["jurisdiction_code"] == "ZA"]
    assert len(za) == 2 and all(r["source_id"] == DOC004 for r in za)
    popia = one("regulatory_actions", source_id=DOC004, jurisdiction_code="ZA", status="in_force")
    assert (popia["action_on"], popia["action_precision"]) == ("2020-07-01", "day")
    assert "second quarter of 2020" in popia["date_as_stated"]
    assert popia["action_on_source_id"] and popia["action_on_source_id"] not in DOCS
    published = one("regulatory_actions", related_action_id=popia["action_id"])
    assert published["source_id"] == DOC004
    assert (published["action_on"], published["action_precision"]) == ("2013-11-26", "day")
    assert published["action_on_source_id"] and "2013" in published["date_as_stated"]

    bipa = [r for r in rows("regulatory_actions") if r["jurisdiction_code"] == "US-IL"]
    assert len(bipa) == 1
    assert bipa[0]["source_id"] == DOC004 and bipa[0]["action_type"] == "law"
    assert (bipa[0]["action_on"], bipa[0]["action_precision"]) == ("2008-10-03", "day")
    assert bipa[0]["action_on_source_id"] and bipa[0]["date_as_stated"]
    assert _targets(bipa[0]["action_id"], "named") == {"facebook"}

    # later, distinct events stay distinct rows
    bill = one("regulatory_actions", source_id=DOC004, jurisdiction_code="ID")
    law_2022 = one("regulatory_actions", related_action_id=bill["action_id"])
    assert law_2022["action_on"].startswith("2022") and law_2022["source_id"] not in DOCS
    draft = one(
        "regulatory_actions", source_id=DOC004, action_type="guidance", jurisdiction_code="US"
    )
    omb = one("regulatory_actions", related_action_id=draft["action_id"])
    assert (
        omb["action_on"] == "2020-11-17"
        and "M-21-06" in omb["title"]
        and omb["source_id"] not in DOCS
    )


def test_doc000_to_002_actions() -> None:
    letter = one("regulatory_actions", source_id=DOC000, action_type="petition")
    assert letter["action_on"] == "2015-01-28"
    rules = one("regulatory_actions", action_id=letter["related_action_id"])
    assert (rules["action_on"], rules["action_precision"]) == ("2014-10-01", "quarter")
    assert _targets(
        one("regulatory_actions", source_id=DOC000, action_type="standard")["action_id"]
    ) == {
        "cisco",
        "microsoft",
    }
    rice = one("regulatory_actions", source_id=DOC001, action_type="statement")
    assert rice["action_on"] == "2015-09-21"
    assert (
        one("regulatory_actions", source_id=DOC001, action_type="guidance")["action_on"]
        == "2015-09-01"
    )
    phase_one = [r for r in rows("regulatory_actions") if r["action_on"] == "2020-01-15"]
    assert len(phase_one) == 1 and phase_one[0]["action_type"] == "agreement"
    assert phase_one[0]["source_id"] == DOC002
    assert phase_one[0]["action_precision"] == "day"
    assert phase_one[0]["action_on_source_id"] and phase_one[0]["action_on_source_id"] not in DOCS
    assert phase_one[0]["date_as_stated"]
    assert _targets(phase_one[0]["action_id"], "signatory") == {"us_government", "cn_government"}
    commitments = [
        r for r in rows("regulatory_actions") if r["related_action_id"] == phase_one[0]["action_id"]
    ]
    assert len(commitments) == 2 and all(r["source_id"] == DOC002 for r in commitments)

    espionage_2015 = [
        r
        for r in rows("regulatory_actions")
        if r["source_id"] == DOC002
        and r["action_type"] == "agreement"
        and r["action_on"].startswith("2015")
    ]
    assert len(espionage_2015) == 2
    for r in espionage_2015:
        assert r["action_on_source_id"] and r["action_on_source_id"] not in DOCS
        assert "in 2015" in r["date_as_stated"]
    got = {
        (r["action_on"], r["action_precision"], frozenset(_targets(r["action_id"], "signatory")))
        for r in espionage_2015
    }
    assert got == {
        ("2015-09-25", "day", frozenset({"us_government", "cn_government"})),
        ("2015-10-01", "month", frozenset({"gb_government", "cn_government"})),
    }
    assert not [
        r
        for r in rows("regulatory_actions")
        if r["action_type"] == "agreement"
        and r["action_on"].startswith("2015")
        and r not in espionage_2015
    ]

    social_credit = one("regulatory_actions", source_id=DOC002, action_type="regulation")
    assert (social_credit["action_on"], social_credit["action_precision"]) == (
        "2020-01-01",
        "month",
    )
    outline = one(
        "regulatory_actions", related_action_id=social_credit["action_id"], action_type="regulation"
    )
    assert outline["action_on"].startswith("2014") and outline["source_id"] not in DOCS


def test_named_organizations_present() -> None:
    required = {
        "anthem",
        "us_opm",
        "23andme",
        "facebook",
        "huawei",
        "zte",
        "hytera",
        "hikvision",
        "dahua",
        "iflytek",
        "megvii",
        "sensetime",
        "yitu",
        "amazon",
        "cisco",
        "microsoft",
        "uk_ico",
        "tc260",
    }
    assert required <= ids("organizations", "organization_id")
    aliases = {r["alias"] for r in rows("organization_aliases")}
    assert {
        "OPM",
        "Office of Personnel Management",
        "ICO",
        "Information Commissioner's Office",
        "Elevance Health",
        "Meta Platforms",
        "ZTE Corp",
        "Hytera Communications",
        "Hangzhou Hikvision Digital Technology",
        "Zhejiang Dahua Technology",
    } <= aliases
