-- Discovered topology: shards and nodes of every cluster, as the poller last saw them.
-- Rows go with their cluster.

create table shard (
    cluster_name   varchar(63)  not null references cluster (name) on delete cascade,
    id             varchar(63)  not null,
    slots          text         not null default '',
    master_address varchar(300),
    updated_at     timestamptz  not null,
    primary key (cluster_name, id)
);

create table node (
    cluster_name       varchar(63)  not null references cluster (name) on delete cascade,
    address            varchar(300) not null,
    shard_id           varchar(63)  not null,
    redis_node_id      varchar(64),
    role               varchar(16)  not null check (role in ('MASTER', 'REPLICA', 'UNKNOWN')),
    healthy            boolean      not null,
    repl_offset        bigint,
    replid             varchar(64),
    replid2            varchar(64),
    second_repl_offset bigint,
    last_seen          timestamptz,
    last_error         text,
    updated_at         timestamptz  not null,
    primary key (cluster_name, address)
);
