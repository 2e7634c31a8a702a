-- Every load of every source: rows and records read, loaded, quarantined, duplicate.
select
    source_name, source_file, as_of, loaded_at, rows_read, rows_loaded,
    rows_quarantined, rows_duplicate, rows_excluded, records_unit, records_read,
    records_loaded, records_quarantined, records_duplicate, records_excluded,
    records_merged, amount_currency, amount_read::double as amount_read,
    amount_loaded::double as amount_loaded, versions_new,
    versions_updated, versions_unchanged, versions_older, load_input
from source_reconciliation
order by source_name, as_of desc, loaded_at desc
