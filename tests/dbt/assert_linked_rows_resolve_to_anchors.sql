-- Every row breach_source_matches counts in a breach names that breach's anchor: the
-- breach is no row that is itself counted in another breach (the chains of links were
-- followed to their end within var('linkage_max_hops') steps).
select matched.*
from {{ ref('breach_source_matches') }} as matched
inner join {{ ref('breach_source_matches') }} as counted_elsewhere
    on matched.breach_id = counted_elsewhere.source_breach_id
