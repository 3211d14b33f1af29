-- the catalogue as it was at time t:
-- `select * from analytics.catalogue_as_of(timestamptz '2026-11-23 00:00+00')`.
-- a table macro, since a view cannot take a parameter; bi tools can filter model_history
-- on valid_from <= t and (valid_to is null or valid_to > t) instead.
create or replace macro analytics.catalogue_as_of(t) as table
select listed.*
from analytics.listed_versions as listed
inner join analytics.model_history as history
    on history.model_id = listed.model_id and history.valid_from = listed.valid_from
where history.valid_from <= t and (history.valid_to is null or history.valid_to > t)
