-- How far a shard's full sync has come, as its worker reports it in each heartbeat (issue 23): the
-- keys of the source's RDB read so far, how many it holds (from its RESIZEDB records; 0 when the RDB
-- does not say) and how long the full sync has run. The link's reason turns them into a percentage
-- and an estimate of the time left. Null outside a full sync.
alter table assignment add column full_sync_keys_read bigint;
alter table assignment add column full_sync_keys_total bigint;
alter table assignment add column full_sync_elapsed_ms bigint;
