-- a price text as decimal(18, 10), or null when it is not a number or does not fit:
-- a bad price is left null, never fatal.
create or replace macro analytics_staging.price_decimal(price_text) as
try_cast(price_text as decimal(18, 10))
