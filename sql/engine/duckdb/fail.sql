-- stops the query with a message: for arguments a macro cannot accept.
create or replace macro analytics_staging.fail(message) as error(message)
