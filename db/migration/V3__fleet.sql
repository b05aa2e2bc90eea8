-- Fleet orchestration: sync workers, their assignments (one per link and source shard, held under
-- a lease, fenced by an epoch), and lag samples.

-- Epochs come from one sequence: never reused, whichever control plane hands them out.
create sequence assignment_epoch_seq;

create table worker (
    id             varchar(127) primary key,
    kind           varchar(16)  not null check (kind in ('POOLED', 'SIDECAR')),
    pinned_node    varchar(300),
    address        varchar(300),
    version        varchar(63),
    started_at     timestamptz  not null,
    last_heartbeat timestamptz  not null,
    constraint worker_sidecar_pinned_ck check ((kind = 'SIDECAR') = (pinned_node is not null))
);

create table assignment (
    id               varchar(200) primary key,
    link_id          varchar(127) not null references replication_link (id) on delete cascade,
    shard_id         varchar(63)  not null,
    source_node      varchar(300) not null,
    target_node      varchar(300),
    epoch            bigint       not null,
    worker_id        varchar(127),
    lease_expires_at timestamptz,
    phase            varchar(16),
    applied_offset   bigint,
    lag_bytes        bigint,
    lag_ms           bigint,
    ops_per_sec      double precision,
    last_error       text,
    reported_at      timestamptz,
    updated_at       timestamptz  not null,
    constraint assignment_link_shard_uq unique (link_id, shard_id)
);
create index assignment_worker_idx on assignment (worker_id);

-- Lag per link and source shard: 1 s samples kept an hour, 1 min samples kept a day.
create table lag_sample (
    link_id      varchar(127)     not null references replication_link (id) on delete cascade,
    shard_id     varchar(63)      not null,
    resolution_s integer          not null check (resolution_s in (1, 60)),
    at           timestamptz      not null,
    lag_ms       bigint,
    lag_bytes    bigint,
    ops_per_sec  double precision,
    primary key (link_id, resolution_s, at, shard_id)
);
