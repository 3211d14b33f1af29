-- the catalogue as it was at time t:
-- `select * from analytics.catalogue_as_of(timestamptz '2026-11-23 00:00+00')`.
-- a table macro, since a view cannot take a parameter; bi tools can filter model_history
-- on valid_from <= t and (valid_to is null or valid_to > t) instead.
create or replace macro analytics.catalogue_as_of(t) as table
select * exclude (is_latest, change, valid_to, is_present)
from analytics.model_history
where valid_from <= t and (valid_to is null or valid_to > t) and is_present
