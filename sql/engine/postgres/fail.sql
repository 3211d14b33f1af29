-- stops the query with a message: for arguments a function cannot accept.
create or replace function analytics_staging.fail(message text)
returns text
language plpgsql
as $$
begin
    raise exception '%', message;
end
$$
