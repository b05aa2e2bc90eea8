-- Each node's engine and version as its INFO server says ("redis 8.0.2", "valkey 8.0.1"), for the
-- cluster API and dashboard: a mesh mid-upgrade runs several (issue 24). Null until it answered.
alter table node add column server text;
