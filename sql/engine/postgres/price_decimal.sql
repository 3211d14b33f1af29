-- a price text as numeric(18, 10), or null when it is not a number or does not fit:
-- a bad price is left null, never fatal (the cast itself would fail the whole query).
-- the nested case keeps the order: the number is only read once the text is known to be one.
create or replace function analytics_staging.price_decimal(price_text text)
returns numeric
language sql
immutable
as $$
select case
    when price_text ~ '^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?\s*$' then
        case
            when abs(cast(price_text as numeric)) < 100000000
                then cast(price_text as numeric(18, 10))
        end
end
$$
