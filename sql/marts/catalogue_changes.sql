-- one row per catalogue event: a model added, removed, back again, or its status changed.
create or replace view analytics.catalogue_changes as
with history as (
    select
        model_id,
        name,
        status,
        change,
        valid_from,
        lag(status) over (partition by model_id order by valid_from) as previous_status
    from analytics.model_history
),

events as (
    select
        model_id,
        name,
        case
            when change in ('added', 'removed', 'reappeared') then change
            when status is distinct from previous_status then 'status_changed'
        end as change,
        case when change <> 'added' then previous_status end as old_status,
        case when change <> 'removed' then status end as new_status,
        valid_from as observed_at
    from history
)

select model_id, name, change, old_status, new_status, observed_at
from events
where change is not null
