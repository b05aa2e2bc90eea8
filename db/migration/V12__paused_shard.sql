-- Where each shard of a paused link stood when its assignment was removed (issue 23): the link API
-- shows a paused link's backlog growing (the source master's offset now minus this), not "unknown".
create table paused_shard (
    link_id        varchar(127) not null references replication_link (id) on delete cascade,
    shard_id       varchar(63)  not null,
    source_node    varchar(300) not null,
    applied_offset bigint,
    paused_at      timestamptz  not null,
    primary key (link_id, shard_id)
);
