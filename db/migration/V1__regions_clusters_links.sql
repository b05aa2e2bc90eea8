-- Regions, the Redis clusters in them, and the replication links between clusters.
-- Names follow [a-z0-9][a-z0-9-]{0,62}; they are primary keys and never change.

create table region (
    name         varchar(63)  primary key,
    display_name varchar(200),
    cloud        varchar(63),
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    version      bigint       not null default 0
);

create table cluster (
    name                              varchar(63)  primary key,
    region_name                       varchar(63)  not null references region (name),
    mode                              varchar(16)  not null check (mode in ('STANDALONE', 'CLUSTER', 'ELASTICACHE')),
    seeds                             text[]       not null default '{}',
    username                          varchar(255),
    password                          text,
    tls                               boolean      not null default false,
    mesh                              varchar(63),
    elasticache_replication_group_id  varchar(255),
    elasticache_aws_region            varchar(63),
    created_at                        timestamptz  not null,
    updated_at                        timestamptz  not null,
    version                           bigint       not null default 0
);
create index cluster_region_idx on cluster (region_name);
create index cluster_mesh_idx on cluster (mesh) where mesh is not null;

create table replication_link (
    id               varchar(127) primary key,
    source_cluster   varchar(63)  not null references cluster (name),
    target_cluster   varchar(63)  not null references cluster (name),
    mode             varchar(16)  not null check (mode in ('PSYNC', 'KEYSPACE', 'PROXY_MIRROR')),
    state            varchar(16)  not null check (state in ('PENDING', 'FULL_SYNC', 'STREAMING', 'PAUSED', 'BROKEN')),
    origin           varchar(16)  not null check (origin in ('MESH', 'EXPLICIT')),
    mesh             varchar(63),
    include_patterns text[]       not null default '{}',
    exclude_patterns text[]       not null default '{}',
    state_reason     text,
    state_changed_at timestamptz  not null,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    version          bigint       not null default 0,
    constraint replication_link_pair_uq unique (source_cluster, target_cluster),
    constraint replication_link_not_self_ck check (source_cluster <> target_cluster),
    constraint replication_link_mesh_ck check ((origin = 'MESH') = (mesh is not null))
);
create index replication_link_target_idx on replication_link (target_cluster);

-- What happened and why: link state changes now, role changes and divergences later.
create table event (
    id          bigserial    primary key,
    type        varchar(32)  not null,
    subject     varchar(127) not null,
    occurred_at timestamptz  not null,
    message     text         not null,
    details     jsonb        not null default '{}'
);
create index event_type_time_idx on event (type, occurred_at desc);
create index event_subject_time_idx on event (subject, occurred_at desc);
