-- How a cluster's writes are read (issue 21): AUTO (PSYNC where the masters accept it, keyspace
-- notifications where they refuse it; ElastiCache always refuses), or forced either way.
-- psync_refused is what the topology poller last found on the cluster's masters.
alter table cluster add column capture varchar(16) not null default 'AUTO';
alter table cluster add constraint cluster_capture_known check (capture in ('AUTO', 'PSYNC', 'KEYSPACE'));
alter table cluster add column psync_refused boolean not null default false;
